import assert from "node:assert/strict";
import { spearmanCorrelation } from "../../lib/stats/mod.ts";
import { assertClose } from "../_close.ts";

Deno.test("Spearman's ρ matches scipy.stats.spearmanr, ties averaged", () => {
  // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic (a tie in y)
  assertClose(spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).rho, 0.8207826816681233, {
    absolute: 1e-12,
  });
  // n = 12: the t approximation, as spearmanr(x, y, alternative="greater")
  const large = spearmanCorrelation([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], [
    2,
    7,
    1,
    8,
    2,
    8,
    1,
    8,
    2,
    8,
    4,
    5,
  ]);
  assertClose(large.rho, 0.1415796863640157, { absolute: 1e-12 });
  assertClose(large.pValueGreater, 0.33036341464341135, { absolute: 1e-9 });
  assert.equal(large.method, "t approximation");
});

Deno.test("Spearman's exact p counts the pairings that agree at least as well", () => {
  // ranks 3 1 5 2 4 against 3 1 4 2 5: ρ = 0.9; the identity and the 4 adjacent swaps reach it, of 5! = 120
  const result = spearmanCorrelation([0.3, 0.1, 0.5, 0.2, 0.4], [0.31, 0.12, 0.45, 0.25, 0.5]);
  assertClose(result.rho, 0.9, { absolute: 1e-12 });
  assertClose(result.pValueGreater, 5 / 120, { absolute: 1e-15 });
  assert.equal(result.method, "exact permutation");
  // perfect agreement: only the identity; reversed order: every pairing does at least as well
  assertClose(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 40]).pValueGreater, 1 / 24, { absolute: 1e-15 });
  assert.equal(spearmanCorrelation([1, 2, 3, 4], [40, 30, 20, 10]).rho, -1);
  assert.equal(spearmanCorrelation([1, 2, 3, 4], [40, 30, 20, 10]).pValueGreater, 1);
});

Deno.test("Spearman refuses what it cannot rank", () => {
  assert.throws(() => spearmanCorrelation([1, 2], [1, 2]), /at least 3 pairs/);
  assert.throws(() => spearmanCorrelation([1, 2, 3], [1, 2]), /3 x values but 2/);
  assert.throws(() => spearmanCorrelation([1, NaN, 3], [1, 2, 3]), /x\[1\] is NaN/);
  assert.throws(() => spearmanCorrelation([1, 1, 1], [1, 2, 3]), /no spread/);
});
