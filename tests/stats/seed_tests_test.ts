import assert from "node:assert/strict";
import { holmAdjust, seedRuleFalseVerdictRate, welchTest } from "../../lib/stats/mod.ts";
import { assertClose, EXACT, reference } from "./_reference.ts";

Deno.test("Holm adjustment matches statsmodels' multipletests(method='holm')", () => {
  for (const { p, adjusted } of reference.holm.cases) {
    holmAdjust(p).forEach((value, index) => assertClose(value, adjusted[index], 1e-15, `${p}[${index}]`));
  }
  assert.deepEqual(holmAdjust([]), []);
  assert.throws(() => holmAdjust([0.1, NaN]), RangeError);
});

Deno.test("Welch's t-test matches scipy.stats.ttest_ind(equal_var=False) within 1e-10 relative", () => {
  for (const expected of reference.welch.cases) {
    const result = welchTest(expected.a, expected.b);
    assertClose(result.statistic, expected.statistic, EXACT, "t");
    assertClose(result.degreesOfFreedom, expected.degreesOfFreedom, EXACT, "df");
    assertClose(result.pValue, expected.pValue, EXACT, "p");
    assertClose(result.pValueGreater, expected.pValueGreater, EXACT, "p greater");
  }
  const flat = welchTest([1, 1, 1], [1, 1]);
  assert.ok(Number.isNaN(flat.statistic));
  assert.equal(welchTest([2, 2], [1, 1]).pValue, 0);
});

Deno.test("the old seed-std rule errs ~10.5% / 21% / 33% with 5 / 3 / 2 seeds and no effect; seeded", () => {
  const expected: Record<number, number> = { 5: 0.105, 3: 0.21, 2: 0.333 };
  for (const seeds of [5, 3, 2]) {
    const result = seedRuleFalseVerdictRate({ seeds, trials: 4000, seed: 1 });
    assert.ok(
      Math.abs(result.oldRuleRate - expected[seeds]) < 4 * result.oldRuleStandardError + 0.005,
      `${seeds} seeds: ${result.oldRuleRate}`,
    );
    assert.ok(result.welchRate <= 0.07, `Welch ${result.welchRate}`);
  }
  const a = seedRuleFalseVerdictRate({ seeds: 3, trials: 500, seed: 7 });
  assert.deepEqual(a, seedRuleFalseVerdictRate({ seeds: 3, trials: 500, seed: 7 }));
  assert.notEqual(a.oldRuleRate, seedRuleFalseVerdictRate({ seeds: 3, trials: 500, seed: 8 }).oldRuleRate);
});
