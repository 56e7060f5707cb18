import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { panelDieboldMariano, searchDeflatedSharpe } from "../../lib/experiments/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { dieboldMarianoFromDifferential } from "../../lib/stats/mod.ts";

Deno.test("panelDieboldMariano: averages the loss differential per day, then tests the daily series", () => {
  const random = createRandom(4);
  const days = 120, stocks = 5;
  const actual: number[] = [], good: number[] = [], zero: number[] = [], day: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let s = 0; s < stocks; s++) {
      const value = 0.02 * random.normal();
      actual.push(value);
      good.push(value + 0.002 * random.normal());
      zero.push(0);
      day.push(d);
    }
  }
  const result = panelDieboldMariano(actual, good, zero, day, { horizon: 5 });
  assert.equal(result.days, days);
  assert.ok(result.statistic < 0 && result.pValue < 1e-6 && result.meanDifferential < 0);
  // The same as averaging by hand and testing the daily series.
  const daily = Array.from({ length: days }, (_, d) => {
    let sum = 0;
    for (let s = 0; s < stocks; s++) {
      const index = d * stocks + s;
      sum += (good[index] - actual[index]) ** 2 - actual[index] ** 2;
    }
    return sum / stocks;
  });
  const direct = dieboldMarianoFromDifferential(daily, { horizon: 5 });
  assertClose(direct.statistic, result.statistic, { absolute: 1e-9 });
  const same = panelDieboldMariano(actual, zero, zero, day);
  assert.equal(same.pValue, 1);
  assert.throws(() => panelDieboldMariano(actual, good, zero, [0]), /1 days for 600 forecasts/);
});

Deno.test("searchDeflatedSharpe: the best of many noise books is not significant; a real edge survives the search", () => {
  const random = createRandom(3);
  const days = 240;
  const rates = new Float64Array(days).fill(0.03);
  const noise = (drift: number) => Array.from({ length: days }, () => drift + 0.01 * random.normal());
  const trials = Array.from({ length: 50 }, () => noise(0));
  const sharpeOf = (returns: readonly number[]) => {
    const excess = returns.map((value) => value - 0.03 / 252);
    const mean = excess.reduce((sum, value) => sum + value, 0) / excess.length;
    const sd = Math.sqrt(excess.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (excess.length - 1));
    return mean / sd;
  };
  const luckiest = trials.map(sharpeOf).reduce(
    (best, value, index, all) => (value > all[best] ? index : best),
    0,
  );
  const lucky = searchDeflatedSharpe(trials, luckiest, rates);
  assert.equal(lucky.trials, 50);
  assertClose(lucky.sharpe.daily, sharpeOf(trials[luckiest]), { relative: 1e-12 });
  assert.ok(lucky.sharpe.annualised > 1, `the luckiest of 50 looks good: ${lucky.sharpe.annualised}`);
  assert.ok(lucky.deflatedSharpe < 0.95, `but is not significant after the search: ${lucky.deflatedSharpe}`);
  // a book with a real drift (≈ 0.3 daily Sharpe) among the 50 survives
  const withEdge = [...trials.slice(0, 49), noise(0.003)];
  assert.ok(searchDeflatedSharpe(withEdge, 49, rates).deflatedSharpe > 0.95);
  assert.throws(() => searchDeflatedSharpe(trials, 50, rates), /chosen trial 50 of 50/);
  assert.throws(() => searchDeflatedSharpe(trials, 0, rates.subarray(1)), /240 daily returns but 239/);
});
