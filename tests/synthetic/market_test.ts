import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  generateMarket,
  randomWalkMarket,
  type SyntheticBars,
  weekdayCalendar,
} from "../../lib/synthetic/mod.ts";
import { average, excessKurtosis, lagOneAutocorrelation, logReturns } from "./_stats.ts";

function assertOhlcConsistent(bars: SyntheticBars): void {
  for (let day = 0; day < bars.dates.length; day++) {
    const where = `${bars.code} ${bars.dates[day]}`;
    assert.ok(bars.high[day] >= Math.max(bars.open[day], bars.close[day]), `${where}: high`);
    assert.ok(bars.low[day] <= Math.min(bars.open[day], bars.close[day]), `${where}: low`);
    assert.ok(bars.low[day] > 0, `${where}: low > 0`);
    assert.ok(bars.volume[day] > 0 && Number.isInteger(bars.volume[day]), `${where}: volume`);
    assert.ok(bars.amount[day] > 0, `${where}: amount`);
    for (const price of [bars.open[day], bars.high[day], bars.low[day], bars.close[day]]) {
      assert.ok(
        Math.abs(price * 100 - Math.round(price * 100)) < 1e-6,
        `${where}: ${price} not on a 0.01 tick`,
      );
    }
  }
}

/** Every price within the A-share limit of the previous close (limit prices are rounded to 0.01). */
function assertWithinLimit(bars: SyntheticBars, limitFraction = 0.1): number {
  let limitDays = 0;
  for (let day = 1; day < bars.dates.length; day++) {
    const previous = bars.close[day - 1];
    const up = Math.round(previous * (1 + limitFraction) * 100) / 100;
    const down = Math.round(previous * (1 - limitFraction) * 100) / 100;
    for (const price of [bars.open[day], bars.high[day], bars.low[day], bars.close[day]]) {
      assert.ok(
        price <= up + 1e-9 && price >= down - 1e-9,
        `${bars.code} ${bars.dates[day]}: ${price} vs ${previous}`,
      );
    }
    if (bars.close[day] === up || bars.close[day] === down) limitDays++;
  }
  return limitDays;
}

Deno.test("weekdayCalendar: weekdays only, consecutive, validated", () => {
  assert.deepEqual(weekdayCalendar("2024-01-05", 3), ["2024-01-05", "2024-01-08", "2024-01-09"]);
  assert.deepEqual(weekdayCalendar("2024-01-06", 1), ["2024-01-08"]);
  for (const date of weekdayCalendar("2023-12-25", 30)) {
    const weekday = new Date(date + "T00:00:00Z").getUTCDay();
    assert.ok(weekday >= 1 && weekday <= 5, date);
  }
  assert.throws(() => weekdayCalendar("2024-02-30", 2), /not a calendar date/);
  assert.throws(() => weekdayCalendar("2024/01/02", 2), /YYYY-MM-DD/);
});

Deno.test("generateMarket: same seed, same market; another seed, another market; forks keep stocks stable", () => {
  const a = generateMarket({ seed: 7, stockCount: 4, days: 120, suspensionProbability: 0.01 });
  const b = generateMarket({ seed: 7, stockCount: 4, days: 120, suspensionProbability: 0.01 });
  assert.deepEqual(a, b);
  const c = generateMarket({ seed: 8, stockCount: 4, days: 120, suspensionProbability: 0.01 });
  assert.notDeepEqual(a.stocks[0].close, c.stocks[0].close);
  // Adding stocks does not change the first ones (each stock draws from its own fork).
  const more = generateMarket({ seed: 7, stockCount: 6, days: 120, suspensionProbability: 0.01 });
  assert.deepEqual(more.stocks.slice(0, 4), a.stocks);
  assert.deepEqual(more.index, a.index);
});

Deno.test("generateMarket: OHLC consistent, 0.01 ticks, the ±10% limit respected and sometimes hit", () => {
  const market = generateMarket({ seed: 11, stockCount: 20, days: 400 });
  let limitDays = 0;
  for (const stock of market.stocks) {
    assertOhlcConsistent(stock);
    limitDays += assertWithinLimit(stock);
  }
  assertOhlcConsistent(market.index);
  assert.ok(limitDays > 0, "fat tails should reach the limit now and then");
  assert.ok(limitDays < 0.02 * 20 * 400, `limit days ${limitDays} should be rare`);
  assert.equal(market.index.dates.length, 400);
  assert.deepEqual(market.index.dates, market.calendar);
});

Deno.test("generateMarket: volatility clustering and fat tails; volume rises with |return|", () => {
  const market = generateMarket({ seed: 5, stockCount: 20, days: 600 });
  const clustering = average(
    market.stocks.map((stock) => lagOneAutocorrelation(logReturns(stock.close).map(Math.abs))),
  );
  const kurtosis = average(market.stocks.map((stock) => excessKurtosis(logReturns(stock.close))));
  assert.ok(clustering > 0.04, `autocorrelation of |r| ${clustering}`);
  assert.ok(kurtosis > 0.5, `excess kurtosis ${kurtosis}`);
  assert.ok(lagOneAutocorrelation(logReturns(market.index.close).map(Math.abs)) > 0.05);
  // Volume tied to |return|: the correlation of log volume with |r| is clearly positive.
  const correlations = market.stocks.map((stock) => {
    const absolute = logReturns(stock.close).map(Math.abs);
    const volume = Array.from(stock.volume.subarray(1), Math.log);
    const meanA = average(absolute), meanV = average(volume);
    let covariance = 0, varianceA = 0, varianceV = 0;
    for (let day = 0; day < absolute.length; day++) {
      covariance += (absolute[day] - meanA) * (volume[day] - meanV);
      varianceA += (absolute[day] - meanA) ** 2;
      varianceV += (volume[day] - meanV) ** 2;
    }
    return covariance / Math.sqrt(varianceA * varianceV);
  });
  assert.ok(average(correlations) > 0.3, `corr(|r|, log volume) ${average(correlations)}`);
  // Stocks load on the market factor: their returns correlate with the index's.
  assert.ok(market.betas.every((beta) => beta >= 0.6 && beta <= 1.4));
  const indexReturns = logReturns(market.index.close);
  const withIndex = market.stocks.map((stock) => {
    const returns = logReturns(stock.close);
    const meanS = average(returns), meanI = average(indexReturns);
    let covariance = 0, varianceS = 0, varianceI = 0;
    for (let day = 0; day < returns.length; day++) {
      covariance += (returns[day] - meanS) * (indexReturns[day] - meanI);
      varianceS += (returns[day] - meanS) ** 2;
      varianceI += (indexReturns[day] - meanI) ** 2;
    }
    return covariance / Math.sqrt(varianceS * varianceI);
  });
  assert.ok(average(withIndex) > 0.3, `corr(stock, index) ${average(withIndex)}`);
});

Deno.test("randomWalkMarket: i.i.d. returns — no clustering, no fat tails, no lag-1 structure", () => {
  const market = randomWalkMarket({ seed: 5, stockCount: 20, days: 600 });
  const clustering = average(
    market.stocks.map((stock) => lagOneAutocorrelation(logReturns(stock.close).map(Math.abs))),
  );
  const kurtosis = average(market.stocks.map((stock) => excessKurtosis(logReturns(stock.close))));
  const lagOne = average(market.stocks.map((stock) => lagOneAutocorrelation(logReturns(stock.close))));
  // 20 stocks × 599 returns: the standard error of each average is about 0.01 (kurtosis 0.04).
  assertClose(clustering, 0, { absolute: 0.03, label: `autocorrelation of |r| ${clustering}` });
  assertClose(kurtosis, 0, { absolute: 0.2, label: `excess kurtosis ${kurtosis}` });
  assertClose(lagOne, 0, { absolute: 0.03, label: `lag-1 autocorrelation ${lagOne}` });
  for (const stock of market.stocks) {
    assertOhlcConsistent(stock);
    assertWithinLimit(stock);
  }
  assert.equal(market.kind, "randomWalk");
  assert.deepEqual(
    randomWalkMarket({ seed: 5, stockCount: 2, days: 50 }),
    randomWalkMarket({ seed: 5, stockCount: 2, days: 50 }),
  );
  assert.throws(() => randomWalkMarket({ dailyVolatility: 0.05 }), /dailyVolatility/);
});

Deno.test("generateMarket: suspensions remove days, dates stay increasing and within the calendar", () => {
  const market = generateMarket({ seed: 3, stockCount: 10, days: 300, suspensionProbability: 0.01 });
  const calendar = new Set(market.calendar);
  let suspendedStocks = 0;
  for (const stock of market.stocks) {
    if (stock.dates.length < 300) suspendedStocks++;
    for (let day = 0; day < stock.dates.length; day++) {
      assert.ok(calendar.has(stock.dates[day]));
      if (day > 0) assert.ok(stock.dates[day] > stock.dates[day - 1]);
    }
    assertWithinLimit(stock); // a reopening gap is also limited to ±10% a day
    assert.equal(stock.close.length, stock.dates.length);
  }
  assert.ok(suspendedStocks >= 5, `${suspendedStocks} of 10 stocks had suspensions`);
  assert.ok(
    generateMarket({ seed: 3, stockCount: 10, days: 300 }).stocks.every((s) => s.dates.length === 300),
  );
});

Deno.test("generateMarket: bad arguments are refused with the offending value", () => {
  assert.throws(
    () => generateMarket({ garchAlpha: 0.2, garchBeta: 0.85 }),
    /alpha \+ beta < 1, got 0.2, 0.85/,
  );
  assert.throws(() => generateMarket({ days: 1 }), /days must be an integer >= 2, got 1/);
  assert.throws(() => generateMarket({ degreesOfFreedom: 2 }), /degreesOfFreedom must be > 2/);
  assert.throws(() => generateMarket({ suspensionProbability: 1 }), /suspensionProbability/);
});
