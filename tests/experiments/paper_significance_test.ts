import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  coinFlipAccuracies,
  directionBlockBootstrap,
  honestSeedTests,
  paperSignificanceRows,
  seedVerdicts,
  verdictText,
} from "../../lib/experiments/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

/** A random walk of closes and a trace over its last 200 days. */
function walk(seed: number) {
  const random = createRandom(seed);
  const close = new Float64Array(260);
  close[0] = 1000;
  for (let day = 1; day < close.length; day++) close[day] = close[day - 1] * (1 + 0.01 * random.normal());
  const targetDays = Array.from({ length: 200 }, (_, index) => 60 + index);
  return { close, targetDays, actual: targetDays.map((day) => close[day]) };
}

Deno.test("honestSeedTests: a forecast that knows tomorrow beats persistence and the majority; persistence itself does not", () => {
  const { close, targetDays, actual } = walk(3);
  const perfect = honestSeedTests(1, { targetDays, actual, predicted: actual.slice() }, close, "up");
  assert.equal(perfect.days, 200);
  assert.equal(perfect.directionCorrect, 200);
  assert.ok(perfect.versusPersistence.statistic < 0);
  assert.ok(perfect.versusPersistence.pValueModelBetter < 1e-12);
  assert.ok(perfect.binomialPValue < 1e-12 && perfect.mcnemarPValue < 1e-12);
  const ups = targetDays.filter((day) => close[day] > close[day - 1]).length;
  assert.equal(perfect.majorityRate, ups / 200);

  const persistence = targetDays.map((day) => close[day - 1]);
  const same = honestSeedTests(2, { targetDays, actual, predicted: persistence }, close, "up");
  assert.equal(same.versusPersistence.statistic, 0);
  assert.equal(same.versusPersistence.pValue, 1);
  assert.equal(same.directionCorrect, 0, "predicting no move is never a right call");
  assert.ok(same.binomialPValue > 0.999);
});

Deno.test("coinFlipAccuracies: seeded, sorted, centred on one half", () => {
  const moves = Array.from({ length: 245 }, (_, index) => (index % 3 === 0 ? -1 : 1));
  const a = coinFlipAccuracies(moves, 2000, 11);
  assert.deepEqual(a, coinFlipAccuracies(moves, 2000, 11));
  assert.notDeepEqual(a, coinFlipAccuracies(moves, 2000, 12));
  for (let index = 1; index < a.length; index++) assert.ok(a[index - 1] <= a[index]);
  const mean = a.reduce((sum, value) => sum + value, 0) / a.length;
  assertClose(mean, 0.5, { absolute: 0.01, label: `mean ${mean}` });
  // About a fifth of coin-flippers reach 52.0% on 245 days (binomial: P(X ≥ 128) ≈ 0.27).
  const reach = a.filter((value) => value >= 0.52).length / a.length;
  assert.ok(reach > 0.2 && reach < 0.35, `share reaching 52%: ${reach}`);
});

Deno.test("seedVerdicts and verdictText: seeds counted better, worse or indistinguishable, with the median p", () => {
  const { close, targetDays, actual } = walk(5);
  const persistence = targetDays.map((day) => close[day - 1]);
  const random = createRandom(9);
  const noisy = (scale: number) => ({
    actual,
    predicted: actual.map((value) => value * (1 + scale * random.normal())),
  });
  // Errors of 0.1% beat persistence's ~1% daily moves; errors of 5% lose to them; persistence ties itself.
  const verdicts = seedVerdicts(
    [noisy(0.001), noisy(0.001), noisy(0.05), { actual, predicted: persistence }],
    persistence,
  );
  assert.deepEqual([verdicts.better, verdicts.worse, verdicts.seeds], [2, 1, 4]);
  assert.match(verdictText(verdicts), /^better 2\/4, worse 1\/4, no difference in 1\/4 \(median p /);
  assert.equal(
    verdictText({ better: 0, worse: 0, seeds: 3, medianPValue: 0.5 }),
    "no difference in 3/3 (median p 0.50)",
  );
  assert.equal(
    verdictText({ better: 3, worse: 0, seeds: 3, medianPValue: 0.004 }),
    "better 3/3 (median p 4e-3)",
  );
});

Deno.test("paperSignificanceRows: one row per configuration, each seed tested against the same days' baselines", () => {
  const { close, targetDays, actual } = walk(8);
  const high = Float64Array.from(close, (value) => value * 1.02); // (high + low) / 2 = 1.005 × close
  const low = Float64Array.from(close, (value) => value * 0.99);
  const trace = { targetDays, actual, predicted: actual.map((value) => value * 1.0001) };
  const result = { experiment: "x", config: { id: "data2-e200-fb0.4-u2" }, reading: "hiddenSize" };
  const rows = paperSignificanceRows(
    () => [{ asPublished: trace, outOfSampleTest: trace }, { asPublished: trace, outOfSampleTest: trace }],
    [result as unknown as Parameters<typeof paperSignificanceRows>[1][number]],
    { close, high, low },
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0].configuration, "data2-e200-fb0.4-u2");
  assert.match(rows[0]["out of sample vs persistence"], /^better 2\/2 /);
  assert.match(rows[0]["as published vs (high+low)/2"], /^better 2\/2 /);
  assert.throws(
    () => paperSignificanceRows(() => [], [result as never], { close, high, low }),
    /no stored seed of x/,
  );
});

Deno.test("directionBlockBootstrap: seed-mean direction accuracy minus always-majority, resampled in blocks of days", () => {
  const { close, targetDays, actual } = walk(4);
  const perfect = { targetDays, actual, predicted: targetDays.map((day) => close[day]) };
  const random = createRandom(8);
  const noisy = {
    targetDays,
    actual,
    predicted: targetDays.map((day) => close[day - 1] * (1 + 0.01 * random.normal())),
  };
  const up = targetDays.filter((day) => close[day] > close[day - 1]).length / targetDays.length;
  // a forecaster that knows tomorrow is right every day: difference 1 − (share of up days), p 0
  const known = directionBlockBootstrap([perfect], close, "up", { resamples: 300 });
  assert.equal(known.days, targetDays.length);
  assertClose(known.difference, 1 - up, { absolute: 1e-12 });
  assert.equal(known.pValue, 0);
  assert.ok(known.lower > 0 && known.lower <= known.difference && known.difference <= known.upper);
  assert.equal(known.blockLength, Math.ceil(Math.cbrt(targetDays.length)));
  // two seeds average day by day
  const both = directionBlockBootstrap([perfect, noisy], close, "up", { resamples: 300 });
  const noisyOnly = directionBlockBootstrap([noisy], close, "up", { resamples: 300 });
  assertClose(both.difference, (known.difference + noisyOnly.difference) / 2, { absolute: 1e-12 });
  assert.equal(both.seeds, 2);
  // seeded: the same seed, the same interval
  assert.deepEqual(
    directionBlockBootstrap([noisy], close, "down", { seed: 5, resamples: 200 }),
    directionBlockBootstrap([noisy], close, "down", { seed: 5, resamples: 200 }),
  );
  assert.throws(() => directionBlockBootstrap([], close, "up"), /no traces/);
  assert.throws(
    () =>
      directionBlockBootstrap(
        [perfect, { ...noisy, targetDays: targetDays.map((day) => day + 1) }],
        close,
        "up",
      ),
    /same target days/,
  );
});
