import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  annualisedReturn,
  annualTurnover,
  dailyReturns,
  excessReturns,
  forwardReturns,
  maxDrawdown,
  portfolioMetrics,
  profitFactor,
  returnFit,
  sharpeRatio,
  winRate,
} from "../../lib/eval/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assertClose(actual, expected, { absolute: tolerance });

Deno.test("dailyReturns and annualisedReturn by hand", () => {
  const returns = dailyReturns([100, 110, 99]);
  close(returns[0], 0.1);
  close(returns[1], -0.1);
  // 100 → 121 over two periods, two periods a year: 21% a year
  close(annualisedReturn([100, 110, 121], 2), 0.21);
  // the same growth over four periods with two a year: √1.21 − 1 = 10% a year
  close(annualisedReturn([100, 100, 100, 100, 121], 2), 0.1);
});

Deno.test("sharpeRatio: sample deviation, risk-free rate subtracted per period", () => {
  // mean 0.02, sample std 0.01, √4 = 2 → 4
  close(sharpeRatio([0.01, 0.02, 0.03], { periodsPerYear: 4 }), 4);
  // 4% a year over 4 periods = 1% per period: mean excess 0.01 → 2
  close(sharpeRatio([0.01, 0.02, 0.03], { periodsPerYear: 4, riskFreeRate: 0.04 }), 2);
  assert.ok(Number.isNaN(sharpeRatio([0.01, 0.01])));
  // a rate series: one annual rate per return; a constant series is the constant rate
  close(sharpeRatio([0.01, 0.02, 0.03], { periodsPerYear: 4, riskFreeRate: [0.04, 0.04, 0.04] }), 2);
  // rates 0, 4%, 0 a year over 4 periods: excess 0.01, 0.01, 0.03 → mean 1/60, sample std √(1/7500)
  close(
    sharpeRatio([0.01, 0.02, 0.03], { periodsPerYear: 4, riskFreeRate: [0, 0.04, 0] }),
    (1 / 60) / Math.sqrt(1 / 7500) * 2,
    1e-9,
  );
  assert.deepEqual(
    Array.from(excessReturns([0.01, 0.02], [0.0252, 0.0504], 252)).map((value) => +value.toFixed(6)),
    [0.0099, 0.0198],
  );
  assert.throws(
    () => sharpeRatio([0.01, 0.02, 0.03], { riskFreeRate: [0.04] }),
    /1 risk-free rates for 3 returns/,
  );
  assert.throws(() => excessReturns([0.01], [Number.NaN]), /risk-free rate NaN at period 0/);
  // through portfolioMetrics and the backtest: a per-day series is taken over the curve's days
  const values = [100, 101, 103, 102];
  assertClose(
    portfolioMetrics(values, { riskFreeRate: [0.02, 0.03, 0.04] }).sharpe,
    sharpeRatio(dailyReturns(values), { riskFreeRate: [0.02, 0.03, 0.04] }),
    { absolute: 1e-12 },
  );
});

Deno.test("maxDrawdown: worst fall from a running peak", () => {
  close(maxDrawdown([100, 120, 90, 130, 65]), -0.5);
  assert.equal(maxDrawdown([1, 2, 3]), 0);
});

Deno.test("winRate and profitFactor", () => {
  assert.equal(winRate([5, -2, 0, 1]), 0.5);
  assert.equal(profitFactor([5, -2, 1, -1]), 2);
  assert.equal(profitFactor([1, 2]), Infinity);
  assert.ok(Number.isNaN(profitFactor([])));
  assert.ok(Number.isNaN(winRate([])));
});

Deno.test("annualTurnover: one full switch of the book a year is 1", () => {
  close(annualTurnover([0, 200, 0], [100, 100, 100], 2), 1);
  assert.throws(() => annualTurnover([0], [1, 2]), /1 traded values vs 2 values/);
});

Deno.test("portfolioMetrics: states its win basis", () => {
  const days = portfolioMetrics([100, 101, 99, 103]);
  assert.equal(days.winBasis, "days");
  close(days.winRate, 2 / 3);
  close(days.totalReturn, 0.03);
  assert.ok(Number.isNaN(days.turnover));
  const trades = portfolioMetrics([100, 101, 99, 103], { tradeProfits: [3, -1] });
  assert.equal(trades.winBasis, "trades");
  assert.equal(trades.profitFactor, 3);
});

Deno.test("returnFit: MAE, RMSE, R² and the zero baseline by hand; NaN pairs counted", () => {
  const fit = returnFit([1, 2, 3, NaN], [1, 2, 4, 0.5]);
  assert.equal(fit.count, 3);
  assert.equal(fit.skipped, 1);
  close(fit.mae, 1 / 3);
  close(fit.rmse, Math.sqrt(1 / 3));
  // realised mean 7/3, SS_tot = 42/9, SS_res = 1
  close(fit.r2, 1 - 9 / 42);
  close(fit.zeroBaseline.mae, 7 / 3);
  close(fit.zeroBaseline.rmse, Math.sqrt(7));
  close(fit.zeroBaseline.r2, 1 - 21 / (42 / 9));
  assert.throws(() => returnFit([1], [1, 2]), /1 predictions vs 2/);
});

Deno.test("forwardReturns: the realised return from day t to t + horizon", () => {
  const realised = forwardReturns([10, 11, 0, 12.1], 1);
  close(realised[0], 0.1);
  assert.ok(Number.isNaN(realised[1]) && Number.isNaN(realised[2]) && Number.isNaN(realised[3]));
  close(forwardReturns([10, 11, 12.1], 2)[0], 0.21);
});
