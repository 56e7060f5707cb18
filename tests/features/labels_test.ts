import assert from "node:assert/strict";
import { classShares, DOWN, FLAT, threeDayLabels, UP, zScoreBugLabels } from "../../lib/features/mod.ts";

Deno.test("threeDayLabels: thresholds are inclusive and computed on real closes", () => {
  // day0: 100 → 103 (+3% exactly: up); day1: 100 → 98 (−2% exactly: down); day2: 100 → 101 (flat)
  const closes = [100, 100, 100, 103, 98, 101];
  const labels = threeDayLabels(closes);
  assert.deepEqual(Array.from(labels), [UP, DOWN, FLAT, -1, -1, -1]);
});

Deno.test("threeDayLabels: horizon and thresholds are configurable", () => {
  const labels = threeDayLabels([10, 10.6, 9.4], { horizonDays: 1, upThreshold: 0.05, downThreshold: -0.1 });
  // 10 → 10.6 = +6% (up); 10.6 → 9.4 = −11.3% (down)
  assert.deepEqual(Array.from(labels), [UP, DOWN, -1]);
});

Deno.test("threeDayLabels: refuses non-positive prices (a sign of normalised input)", () => {
  assert.throws(() => threeDayLabels([0.5, -0.2, 1.1, 0.3, 0.2]), /index 1 is -0.2/);
});

Deno.test("zScoreBugLabels: labels a ratio of z-scores, not a return", () => {
  // closes 1..5: mean 3, population std √2; z = [-1.414, -0.707, 0, 0.707, 1.414]
  // day0: z3/z0 − 1 = 0.707/−1.414 − 1 = −1.5 → down, though the price rose 300%.
  // day1: z4/z1 − 1 = 1.414/−0.707 − 1 = −3 → down.
  const labels = zScoreBugLabels([1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(labels), [DOWN, DOWN, -1, -1, -1]);
  assert.deepEqual(Array.from(threeDayLabels([1, 2, 3, 4, 5])), [UP, UP, -1, -1, -1]);
});

Deno.test("classShares ignores unlabelled days", () => {
  assert.deepEqual(classShares(Int8Array.from([UP, UP, DOWN, FLAT, -1])), [0.5, 0.25, 0.25]);
});
