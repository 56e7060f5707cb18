import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  corporateActionDays,
  EQUINET_COLUMNS,
  type EquiNetStock,
  EquiNetWindows,
  exactThresholdMoves,
  priceLimit,
  randomWalkStocks,
  threeDayLabels,
} from "../../lib/features/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { realEquinetBars } from "../data/_equinet_real.ts";

Deno.test("priceLimit: ±10% main boards, ±20% STAR and ChiNext from 2020-08-24, ±30% Beijing", () => {
  assert.equal(priceLimit("600519", "2024-01-02"), 0.1);
  assert.equal(priceLimit("000926", "2024-07-08"), 0.1);
  assert.equal(priceLimit("688981", "2019-08-01"), 0.2);
  assert.equal(priceLimit("300750", "2020-08-21"), 0.1);
  assert.equal(priceLimit("300750", "2020-08-24"), 0.2);
  assert.equal(priceLimit("301236", "2023-01-03"), 0.2);
  assert.equal(priceLimit("830799", "2023-01-03"), 0.3);
  assert.equal(priceLimit("SZ#300750", "2024-01-02"), 0.2);
});

Deno.test("corporateActionDays: moves beyond the limit plus a fen's rounding, never a limit move itself", () => {
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"];
  // 2.49 → 2.74 is a +10.04% limit-up (rounded to the fen); 2.74 → 1.90 is −30.7%: ex-rights.
  const main = { code: "600000", dates, end: Float64Array.of(2.49, 2.74, 1.9, 1.88, 1.9) };
  assert.deepEqual(
    corporateActionDays(main).map((day) => [day.row, day.date, day.change.toFixed(3), day.limit]),
    [
      [2, "2024-01-04", "-0.307", 0.1],
    ],
  );
  // +15% is a corporate action on the main board, a legal move on ChiNext after the reform.
  const rise = Float64Array.of(10, 11.5, 11.5, 11.5, 11.5);
  assert.equal(corporateActionDays({ code: "000001", dates, end: rise }).length, 1);
  assert.equal(corporateActionDays({ code: "300001", dates, end: rise }).length, 0);
});

Deno.test("leaveOutCorporateActions: no window's inputs or label span the jump; the count is reported; off changes nothing", () => {
  const [walk] = randomWalkStocks(createRandom(3), { stocks: 1, days: 120 });
  const stock = { ...walk, code: "600001" } as EquiNetStock;
  // A 30% drop at row 70 (ex-rights): scale every price column from row 70 on.
  const scaled = { ...stock } as EquiNetStock;
  for (const column of ["start", "max", "min", "end"] as const) {
    scaled[column] = Float64Array.from(
      stock[column],
      (value: number, row: number) => (row >= 70 ? value * 0.7 : value),
    );
  }
  const other = randomWalkStocks(createRandom(4), { stocks: 2, days: 120 }).map((s, i) => ({
    ...s,
    code: `60000${i + 2}`,
  }));
  const args = { contextDays: 20, validationDateShare: 0.1 };
  const plain = new EquiNetWindows([scaled, ...other as EquiNetStock[]], args);
  const filtered = new EquiNetWindows([scaled, ...other as EquiNetStock[]], {
    ...args,
    leaveOutCorporateActions: true,
  });
  assert.deepEqual(filtered.corporateActions.map((day) => [day.code, day.row]), [["600001", 70]]);
  assert.equal(plain.corporateActions.length, 0);
  const spans = (ref: { stockIndex: number; endIndex: number; contextDays: number }) =>
    ref.stockIndex === 0 && ref.endIndex - ref.contextDays + 2 <= 70 && 70 <= ref.endIndex + 3;
  const all = plain.allWindows("train");
  const kept = filtered.allWindows("train");
  assert.ok(all.some(spans));
  assert.ok(!kept.some(spans));
  assert.equal(all.length - kept.length, all.filter(spans).length);
  assert.deepEqual(filtered.corporateActionWindows("train", 20), {
    leftOut: all.filter(spans).length,
    total: all.length,
  });
  const drawn = filtered.drawWindows("train", 500, createRandom(9));
  assert.ok(!drawn.some(spans));
  // Off: the draws are the same as before the option existed (the resolved options carry no new key).
  assert.equal("leaveOutCorporateActions" in plain.args, false);
  assert.deepEqual(
    plain.drawWindows("train", 50, createRandom(9)),
    new EquiNetWindows([scaled, ...other as EquiNetStock[]], args).drawWindows("train", 50, createRandom(9)),
  );
  void EQUINET_COLUMNS;
});

Deno.test("exactThresholds: 2.50 → 2.45 is 跌 and 10.00 → 10.30 is 涨; plain float comparison gives 稳 for the first", () => {
  assert.equal(threeDayLabels([2.5, 2.5, 2.5, 2.45])[0], 2);
  assert.equal(threeDayLabels([2.5, 2.5, 2.5, 2.45], { thresholdTolerance: 1e-9 })[0], 1);
  assert.equal(threeDayLabels([10, 10, 10, 10.3], { thresholdTolerance: 1e-9 })[0], 0);
  // A genuine −1.99% stays 稳.
  assert.equal(threeDayLabels([100, 100, 100, 98.01], { thresholdTolerance: 1e-9 })[0], 2);
});

Deno.test("on EquiNet's 319 files: 39 exact-threshold labels change, 7 corporate-action days (000926 2024-07-08 −29.8%, …)", async () => {
  const stocks = await realEquinetBars();
  if (!stocks) return;
  let changed = 0;
  const days: string[] = [];
  for (const bars of stocks) {
    const plain = threeDayLabels(bars.close);
    const exact = threeDayLabels(bars.close, { thresholdTolerance: 1e-9 });
    let here = 0;
    for (let row = 0; row < plain.length; row++) if (plain[row] !== exact[row]) here++;
    // exactThresholdMoves (what notebook 05 counts) finds the same days, each a move of exactly −2% / +3%
    const moves = exactThresholdMoves(bars.close, { dates: bars.dates });
    assert.equal(moves.length, here);
    for (const move of moves) {
      // an exact −2% or +3% move
      assertClose(move.futureReturn, move.futureReturn < 0 ? -0.02 : 0.03, { absolute: 1e-9 });
      assert.equal(move.date, bars.dates[move.row]);
    }
    changed += here;
    const code = String(bars.meta.code);
    for (const day of corporateActionDays({ code, dates: bars.dates, end: bars.close })) {
      days.push(`${code} ${day.date} ${(day.change * 100).toFixed(1)}%`);
    }
  }
  assert.equal(changed, 39);
  assert.deepEqual(days.sort(), [
    "000517 2024-08-27 -14.7%",
    "000926 2024-07-08 -29.8%",
    "002021 2023-12-29 -24.6%",
    "002303 2024-09-18 -12.7%",
    "600162 2024-06-06 -18.0%",
    "600617 2024-06-27 -32.6%",
    "601518 2023-06-29 -29.8%",
  ]);
});
