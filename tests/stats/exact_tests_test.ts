import assert from "node:assert/strict";
import { binomialTest, mcnemarFromCounts, mcnemarTest } from "../../lib/stats/mod.ts";
import { assertClose, EXACT, reference } from "./_reference.ts";

Deno.test("binomial test: two-sided, greater and less match scipy.stats.binomtest within 1e-10 relative", () => {
  for (const { k, n, p, twoSided, greater, less } of reference.binomialTest.cases) {
    const result = binomialTest(k, n, { probability: p });
    assertClose(result.pValue, twoSided, EXACT, `two-sided ${k}/${n} @ ${p}`);
    assertClose(result.pValueGreater, greater, EXACT, `greater ${k}/${n} @ ${p}`);
    assertClose(result.pValueLess, less, EXACT, `less ${k}/${n} @ ${p}`);
  }
});

Deno.test("binomial test: symmetric cases by hand", () => {
  assert.equal(binomialTest(5, 10).pValue, 1);
  assertClose(binomialTest(9, 10).pValue, 22 / 1024, 1e-13, "9 of 10");
  assertClose(binomialTest(1, 10).pValue, 22 / 1024, 1e-13, "1 of 10");
  assertClose(binomialTest(10, 10).pValueGreater, 1 / 1024, 1e-13, "10 of 10");
  assert.equal(binomialTest(0, 10).pValueGreater, 1);
  assert.equal(binomialTest(0, 0).pValue, 1);
  assert.throws(() => binomialTest(11, 10), RangeError);
});

Deno.test("McNemar exact: matches statsmodels' mcnemar(exact=True); the table counts are right", () => {
  for (const { modelOnly, baselineOnly, statistic, pValue, modelBetter } of reference.mcnemar.cases) {
    const result = mcnemarFromCounts(modelOnly, baselineOnly);
    assert.equal(result.statistic, statistic);
    assertClose(result.pValue, pValue, EXACT, `p ${modelOnly}/${baselineOnly}`);
    assertClose(result.pValueModelBetter, modelBetter, EXACT, `model better ${modelOnly}/${baselineOnly}`);
  }
  const result = mcnemarTest([1, 1, 0, 1, 0, 1], [1, 0, 0, 0, 1, 1]);
  assert.deepEqual(
    [result.bothCorrect, result.modelOnly, result.baselineOnly, result.bothWrong],
    [2, 2, 1, 1],
  );
  assert.throws(() => mcnemarTest([true], [true, false]), RangeError);
});

Deno.test("McNemar: no discordant pairs gives p = 1; symmetric discordance gives p = 1", () => {
  const same = mcnemarTest([true, false, true], [true, false, true]);
  assert.equal(same.pValue, 1);
  assert.equal(same.pValueModelBetter, 1);
  assert.equal(mcnemarFromCounts(6, 6).pValue, 1);
});
