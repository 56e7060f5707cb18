import assert from "node:assert/strict";
import { coinFlipAccuracies, honestSeedTests } from "../../lib/experiments/mod.ts";
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
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  // About a fifth of coin-flippers reach 52.0% on 245 days (binomial: P(X ≥ 128) ≈ 0.27).
  const reach = a.filter((value) => value >= 0.52).length / a.length;
  assert.ok(reach > 0.2 && reach < 0.35, `share reaching 52%: ${reach}`);
});
