import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  applySignalMultiplier,
  earningsSeasonAdjust,
  earningsSeasonAdjustWindows,
  rollingAnnualisedVolatility,
  volatilityBreaker,
} from "../../lib/risk/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assertClose(actual, expected, { absolute: tolerance });

Deno.test("earnings season: profitability features × 1.5 on announcement days only; A/B switch", () => {
  const features = [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]];
  const flags = Uint8Array.of(0, 1, 0, 1);
  const out = earningsSeasonAdjust(features, flags, { profitabilityFeatures: [0, 2] });
  assert.deepEqual(Array.from(out[0]), [1, 1.5, 1, 1.5]);
  assert.deepEqual(Array.from(out[1]), [2, 2, 2, 2]);
  assert.deepEqual(Array.from(out[2]), [3, 4.5, 3, 4.5]);
  assert.deepEqual(features[0], [1, 1, 1, 1]); // input untouched
  const off = earningsSeasonAdjust(features, flags, { profitabilityFeatures: [0, 2], enabled: false });
  assert.deepEqual(off.map((s) => Array.from(s)), features);
  const held = earningsSeasonAdjust([[1, 1, 1, 1]], Uint8Array.of(1, 0, 0, 0), {
    profitabilityFeatures: [0],
    holdDays: 2,
  });
  assert.deepEqual(Array.from(held[0]), [1.5, 1.5, 1, 1]);
  assert.throws(() => earningsSeasonAdjust([[1]], Uint8Array.of(0)), /feature index 1 outside 0..0/);
});

Deno.test("rolling volatility: population std × √252 over the window, past data only", () => {
  const vol = rollingAnnualisedVolatility([0.01, -0.01, 0.03, NaN], 2);
  assert.ok(Number.isNaN(vol[0]));
  close(vol[1], 0.01 * Math.sqrt(252));
  close(vol[2], 0.02 * Math.sqrt(252));
  assert.ok(Number.isNaN(vol[3]));
  // poisoning a later return leaves earlier values unchanged
  const a = rollingAnnualisedVolatility([0.01, 0.02, -0.01, 0.005, 0.03], 3);
  const b = rollingAnnualisedVolatility([0.01, 0.02, -0.01, 0.005, 9], 3);
  assert.deepEqual(a.slice(0, 4), b.slice(0, 4));
});

Deno.test("volatility breaker: trips only above 0.2 and rising, halving the signal", () => {
  // window 2: daily vol = |r1 − r0| / 2 × √252 ; 0.02 spread → 0.159 (below), 0.04 → 0.317, 0.06 → 0.476
  const returns = [0, 0.02, 0.06, 0, 0.06, 0.02];
  const result = volatilityBreaker(returns, { windowDays: 2 });
  const expectedVol = [NaN, 0.01, 0.02, 0.03, 0.03, 0.02].map((s) => s * Math.sqrt(252));
  for (let day = 1; day < 6; day++) close(result.volatility[day], expectedVol[day]);
  // day 2: 0.317 > 0.2 and rising → trip; day 3: 0.476 rising → trip; day 4: flat → no; day 5: falling → no
  assert.deepEqual(Array.from(result.tripped), [0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(result.multiplier), [1, 1, 0.5, 0.5, 1, 1]);
  assert.deepEqual(Array.from(applySignalMultiplier([1, 1, 1, 1, 1, 1], result.multiplier)), [
    1,
    1,
    0.5,
    0.5,
    1,
    1,
  ]);
  const off = volatilityBreaker(returns, { windowDays: 2, enabled: false });
  assert.deepEqual(Array.from(off.tripped), [0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(off.multiplier), [1, 1, 1, 1, 1, 1]);
  // a higher threshold keeps it quiet
  assert.deepEqual(Array.from(volatilityBreaker(returns, { windowDays: 2, threshold: 0.5 }).tripped), [
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
});

Deno.test("earnings season as written: the whole window of an announcement-day sample is scaled", () => {
  const windows = Float32Array.of(1, 2, 1, 2, 1, 2, 1, 2); // 2 samples × 2 steps × 2 features
  const out = earningsSeasonAdjustWindows(windows, 2, 2, Uint8Array.of(0, 1), { profitabilityFeatures: [0] });
  assert.deepEqual(Array.from(out), [1, 2, 1, 2, 1.5, 2, 1.5, 2]);
  const off = earningsSeasonAdjustWindows(windows, 2, 2, Uint8Array.of(0, 1), {
    profitabilityFeatures: [0],
    enabled: false,
  });
  assert.deepEqual(off, windows);
  assert.throws(() => earningsSeasonAdjustWindows(windows, 2, 2, Uint8Array.of(1)), /8 values for 1 × 2 × 2/);
});
