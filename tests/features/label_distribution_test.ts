import assert from "node:assert/strict";
import { windowLabelDistribution, zScoreBugLabels } from "../../lib/features/mod.ts";
import { hasMirror } from "../data/_mirror.ts";
import { realEquinetBars } from "../data/_equinet_real.ts";

Deno.test("windowLabelDistribution: label days run from contextDays − 1 to rows − horizon − 1", () => {
  // 8 closes, 3-day context, 2-day horizon: label days 2..5 (4 windows).
  const close = [10, 10, 10, 10, 10.5, 9.7, 10, 10];
  // t=2: 10 → 10.5 (+5%, up); t=3: 10 → 9.7 (−3%, down); t=4: 10.5 → 10 (−4.8%, down); t=5: 9.7 → 10 (+3.1%, up)
  const result = windowLabelDistribution([{ close }, { close: [1, 2, 3] }], {
    contextDays: 3,
    horizonDays: 2,
  });
  assert.equal(result.windows, 4);
  assert.deepEqual(Array.from(result.windowsPerStock), [4, 0]);
  assert.deepEqual(result.trueLabels.counts, { up: 2, down: 2, flat: 0 });
  assert.deepEqual(result.trueLabels.shares, { up: 0.5, down: 0.5, flat: 0 });
  assert.deepEqual(Array.from(result.trueCountsPerStock), [2, 2, 0, 0, 0, 0]);
  const bug = zScoreBugLabels(close, { horizonDays: 2 });
  const expected = [0, 0, 0];
  for (let day = 2; day <= 5; day++) expected[bug[day]]++;
  assert.deepEqual(Array.from(result.bugCountsPerStock.subarray(0, 3)), expected);
  assert.equal(windowLabelDistribution([]).windows, 0);
  assert.deepEqual(windowLabelDistribution([]).trueLabels.shares, { up: 0, down: 0, flat: 0 });
});

Deno.test("zScoreBugLabels: the ratio of z-scores does not depend on the std convention, only on the mean", () => {
  const close = [2.31, 2.34, 2.33, 2.4, 2.28, 2.35, 2.3, 2.5, 2.45, 2.2];
  const mean = close.reduce((sum, value) => sum + value, 0) / close.length;
  const variance = close.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  for (const deviation of [Math.sqrt(variance / close.length), Math.sqrt(variance / (close.length - 1))]) {
    const z = close.map((value) => (value - mean) / deviation);
    const ratios = z.slice(0, -3).map((value, day) => z[day + 3] / value - 1);
    const labels = ratios.map((ratio) => (ratio >= 0.03 ? 0 : ratio <= -0.02 ? 1 : 2));
    assert.deepEqual(Array.from(zScoreBugLabels(close).subarray(0, close.length - 3)), labels);
  }
});

Deno.test({
  name: "windowLabelDistribution: the 319 real EquiNet files give findings.md's shares (60+3 windows)",
  ignore: !hasMirror,
  fn: async () => {
    const stocks = await realEquinetBars()!;
    assert.equal(stocks.length, 319);
    const result = windowLabelDistribution(stocks);
    assert.equal(result.windows, 114_202);
    const percent = (share: number) => Math.round(share * 1000) / 10;
    const { trueLabels, zScoreBugLabels: bug } = result;
    assert.deepEqual(
      [percent(trueLabels.shares.up), percent(trueLabels.shares.down), percent(trueLabels.shares.flat)],
      [19.6, 29.4, 51.1],
    );
    assert.deepEqual([percent(bug.shares.up), percent(bug.shares.down), percent(bug.shares.flat)], [
      40.7,
      50.2,
      9.1,
    ]);
  },
});
