import assert from "node:assert/strict";
import {
  dieboldMariano,
  dieboldMarianoFromDifferential,
  type ForecastLoss,
  lossDifferential,
} from "../../lib/stats/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { assertClose, reference, SERIES } from "./_reference.ts";

Deno.test("Diebold–Mariano / HLN matches the textbook formula (NumPy + scipy.stats.t) for 3 losses × 4 horizons", () => {
  const { actual, forecastA, forecastB } = reference.dieboldMariano.inputs;
  for (const expected of reference.dieboldMariano.cases) {
    const result = dieboldMariano(actual, forecastA, forecastB, {
      loss: expected.loss as ForecastLoss,
      horizon: expected.horizon,
    });
    const label = `${expected.loss}, h = ${expected.horizon}`;
    assert.equal(result.kernel, "rectangular");
    assert.equal(result.degreesOfFreedom, actual.length - 1);
    for (
      const key of [
        "meanDifferential",
        "longRunVariance",
        "dmStatistic",
        "statistic",
        "pValue",
        "pValueABetter",
      ] as const
    ) assertClose(result[key], expected[key], SERIES, `${label}: ${key}`);
  }
});

Deno.test("Diebold–Mariano: identical forecasts give statistic 0 and p = 1", () => {
  const actual = [10, 11, 12, 11, 13, 12];
  const forecast = [10.5, 10.8, 12.4, 11.2, 12.1, 12.5];
  for (const loss of ["squared", "absolute", "absolute-percentage"] as const) {
    const result = dieboldMariano(actual, forecast, forecast, { loss, horizon: 2 });
    assert.equal(result.statistic, 0);
    assert.equal(result.pValue, 1);
  }
});

Deno.test("Diebold–Mariano: a forecast always better drives p towards 0; the sign follows A vs B", () => {
  const random = createRandom(3);
  const actual = Array.from({ length: 250 }, () => 100 + random.normal());
  const good = actual.map((value) => value + 0.1 * random.normal());
  const bad = actual.map((value) => value + 1 + random.normal());
  const better = dieboldMariano(actual, good, bad, { loss: "absolute" });
  assert.ok(better.statistic < -10);
  assert.ok(better.pValue < 1e-15 && better.pValueABetter < 1e-15);
  const worse = dieboldMariano(actual, bad, good, { loss: "absolute" });
  assertClose(worse.statistic, -better.statistic, 1e-12, "antisymmetric");
  assert.ok(worse.pValueABetter > 1 - 1e-15);
  // A constant, non-zero differential: no variance, an infinite statistic.
  const constant = dieboldMarianoFromDifferential([-1, -1, -1, -1]);
  assert.equal(constant.statistic, -Infinity);
  assert.equal(constant.pValue, 0);
});

Deno.test("Diebold–Mariano: a non-positive rectangular variance falls back to Bartlett weights", () => {
  const alternating = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? 1 : -1) + 0.01 * t);
  const result = dieboldMarianoFromDifferential(alternating, { horizon: 2 });
  assert.equal(result.kernel, "bartlett");
  assert.ok(result.longRunVariance > 0);
  assert.equal(
    dieboldMarianoFromDifferential(alternating, { horizon: 2, kernel: "bartlett" }).statistic,
    result.statistic,
  );
});

Deno.test("loss differential: percentage loss divides by the actual value; bad inputs throw", () => {
  assert.deepEqual([...lossDifferential([100, 200], [110, 200], [100, 220], "absolute-percentage")], [
    0.1,
    -0.1,
  ]);
  assert.deepEqual([...lossDifferential([0, 0], [1, 2], [2, 0], "squared")], [-3, 4]);
  assert.throws(() => lossDifferential([0], [1], [2], "absolute-percentage"), RangeError);
  assert.throws(() => lossDifferential([1, 2], [1], [2, 3]), RangeError);
  assert.throws(() => dieboldMarianoFromDifferential([1, 2, 3], { horizon: 3 }), RangeError);
});
