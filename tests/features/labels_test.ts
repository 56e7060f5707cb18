import assert from "node:assert/strict";
import {
  classShares,
  DOWN,
  exactThresholdMoves,
  FLAT,
  threeDayLabels,
  UP,
  zScoreBugLabels,
} from "../../lib/features/mod.ts";

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

Deno.test("exactThresholdMoves: the days an exact −2% / +3% move changes label, with both labels", () => {
  // day 0: 2.50 → 2.45 (exactly −2%: 稳 by float, 跌 by the rule); day 1: 10 → 10.30 from row 1 is +3%;
  // day 2: 2.5 → 2.449 (−2.04%: 跌 either way)
  const closes = [2.5, 10, 2.5, 2.45, 10.3, 2.449];
  const moves = exactThresholdMoves(closes, { dates: ["d0", "d1", "d2", "d3", "d4", "d5"] });
  const plain = threeDayLabels(closes);
  const exact = threeDayLabels(closes, { thresholdTolerance: 1e-9 });
  assert.deepEqual(
    moves.map((move) => [move.row, move.date, move.plainLabel, move.exactLabel]),
    [...plain.keys()].filter((row) => plain[row] !== exact[row]).map((
      row,
    ) => [row, `d${row}`, plain[row], exact[row]]),
  );
  assert.deepEqual(moves.map((move) => move.row), [0]);
  assert.deepEqual([moves[0].plainLabel, moves[0].exactLabel], [2, 1]);
  assert.deepEqual(exactThresholdMoves([100, 100, 100, 98.01]), []);
});
