import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { TECHNICAL_FEATURE_NAMES, technicalFeatures } from "../../lib/features/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assertClose(actual, expected, { absolute: tolerance });
const feature = (name: string) =>
  TECHNICAL_FEATURE_NAMES.indexOf(name as (typeof TECHNICAL_FEATURE_NAMES)[number]);

function randomBars(days: number, seed: number) {
  const random = createRandom(seed);
  const closes: number[] = [],
    highs: number[] = [],
    lows: number[] = [],
    volumes: number[] = [],
    turns: number[] = [];
  let price = 10;
  for (let day = 0; day < days; day++) {
    price *= Math.exp(random.normal(0, 0.02));
    closes.push(price);
    highs.push(price * (1 + random.uniform() * 0.02));
    lows.push(price * (1 - random.uniform() * 0.02));
    volumes.push(1e6 * (0.5 + random.uniform()));
    turns.push(1 + random.uniform());
  }
  return { close: closes, high: highs, low: lows, volume: volumes, turnoverPercent: turns };
}

Deno.test("technicalFeatures: 15 named features, warm-ups are NaN", () => {
  const { names, values } = technicalFeatures(randomBars(100, 1));
  assert.equal(names.length, 15);
  assert.equal(values.length, 15);
  const warmUp: Record<string, number> = {
    return1: 1,
    return20: 20,
    closeOverMa60: 59,
    rsi14: 14,
    macdLine: 25,
    macdHistogram: 33,
    bollingerPercentB: 19,
    atr14OverClose: 14,
    volumeRatio5to20: 19,
    turnoverRate: 0,
    volatility20: 20,
  };
  for (const [name, first] of Object.entries(warmUp)) {
    const series = values[feature(name)];
    if (first > 0) assert.ok(Number.isNaN(series[first - 1]), `${name} before warm-up`);
    assert.ok(Number.isFinite(series[first]), `${name} at day ${first}`);
  }
});

Deno.test("technicalFeatures: hand-computed values", () => {
  // closes 10, 11, …, 24 (rising by 1), then a drop of 14 to 10
  const closes = [...Array.from({ length: 15 }, (_, day) => 10 + day), 10];
  const bars = {
    close: closes,
    high: closes.map((c) => c + 0.5),
    low: closes.map((c) => c - 0.5),
    volume: closes.map(() => 100),
    turnoverPercent: closes.map(() => 2.5),
  };
  const { values } = technicalFeatures(bars);
  close(values[feature("return1")][1], 0.1);
  close(values[feature("return5")][5], 15 / 10 - 1);
  close(values[feature("closeOverMa5")][4], 14 / 12 - 1);
  close(values[feature("rsi14")][14], 1); // only gains
  close(values[feature("rsi14")][15], 13 / 27); // Wilder: gain 13/14, loss 14/14
  // true range on days 1..14: max(high − low = 1, |high − previous close| = 1.5, |low − previous close| = 0.5)
  close(values[feature("atr14OverClose")][14], 1.5 / 24);
  assert.ok(Number.isNaN(values[feature("volumeRatio5to20")][15]));
  close(values[feature("turnoverRate")][3], 0.025);
  // constant prices: MACD 0, %B undefined (no band), volume ratio 1
  const flat = Array.from({ length: 40 }, () => 5);
  const still = technicalFeatures({ close: flat, high: flat, low: flat, volume: flat });
  close(still.values[feature("macdLine")][30], 0);
  close(still.values[feature("macdHistogram")][39], 0);
  assert.ok(Number.isNaN(still.values[feature("bollingerPercentB")][30]));
  close(still.values[feature("volumeRatio5to20")][30], 1);
  assert.ok(Number.isNaN(still.values[feature("turnoverRate")][30]));
});

Deno.test("technicalFeatures: no lookahead — poisoning the future leaves every past value unchanged", () => {
  const bars = randomBars(130, 2);
  const clean = technicalFeatures(bars).values;
  for (const cut of [10, 30, 61, 100]) {
    const poison = <T extends number[]>(series: T, factor: number) =>
      series.map((value, day) => (day > cut ? value * factor : value));
    const poisoned = technicalFeatures({
      close: poison(bars.close, 3),
      high: poison(bars.high, 4),
      low: poison(bars.low, 0.5),
      volume: poison(bars.volume, 100),
      turnoverPercent: poison(bars.turnoverPercent, 50),
    }).values;
    for (let index = 0; index < 15; index++) {
      for (let day = 0; day <= cut; day++) {
        assert.ok(
          Object.is(clean[index][day], poisoned[index][day]),
          `${TECHNICAL_FEATURE_NAMES[index]} day ${day}`,
        );
      }
    }
    assert.notEqual(clean[feature("return1")][cut + 1], poisoned[feature("return1")][cut + 1]);
  }
});

Deno.test("technicalFeatures: bad input names the series and day", () => {
  assert.throws(
    () => technicalFeatures({ close: [1, 0], high: [1, 1], low: [1, 1], volume: [1, 1] }),
    /close at day index 1 is 0/,
  );
  assert.throws(
    () => technicalFeatures({ close: [1], high: [1, 1], low: [1], volume: [1] }),
    /high has 2 days/,
  );
});
