/**
 * The top-k backtest with a daily exposure: on a signal day with exposure e, hold the best
 * `round(k × e)` stocks, each at 1/k of the book, and keep the rest in cash. This is how a signal
 * multiplier (the hybrid design's 熔断 circuit breaker halving the signal) acts on a long-only
 * equal-weight book, where scaling every score alike would not change which stocks rank first.
 *
 * @module
 */
import {
  type BacktestArgs,
  type BacktestResult,
  type MarketPanel,
  Portfolio,
  topKStocks,
} from "./backtest.ts";
import { portfolioMetrics } from "./portfolio_metrics.ts";

/**
 * Like {@link backtestTopK}, but the number of stocks held on each signal day is `round(topK ×
 * exposure[day])`, each bought with at most `book value / topK` (new positions only; held ones are
 * kept as they are). With exposure 1 and at least k scored stocks every signal day it matches
 * {@link backtestTopK}.
 *
 * @example
 * ```ts
 * import { backtestTopKWithExposure } from "./exposure_backtest.ts";
 * const panel = { dates: ["2023-01-03", "2023-01-04", "2023-01-05"], codes: ["sh.600000", "sz.000001"],
 *   close: [[10, 10.2, 10.4], [20, 19.8, 19.6]] };
 * const result = backtestTopKWithExposure(panel, [[1, 1, 1], [0, 0, 0]], [0.5, 0.5, 0.5], { topK: 2, fillAt: "close" });
 * console.log(result.values[2]); // about half the book in the first stock, half in cash
 * ```
 */
export function backtestTopKWithExposure(
  panel: MarketPanel,
  scores: readonly ArrayLike<number>[],
  exposure: ArrayLike<number>,
  args: BacktestArgs = {},
): BacktestResult {
  const days = panel.dates.length;
  if (scores.length !== panel.codes.length) {
    throw new RangeError(
      `backtestTopKWithExposure: ${scores.length} score series for ${panel.codes.length} stocks`,
    );
  }
  if (exposure.length !== days) {
    throw new RangeError(`backtestTopKWithExposure: ${exposure.length} exposures for ${days} days`);
  }
  const topK = args.topK ?? 10;
  const every = args.rebalanceEveryDays ?? 5;
  const startDay = args.startDay ?? 0;
  const endDay = args.endDay ?? days - 1;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new RangeError(`topK must be a positive integer, got ${topK}`);
  }
  if (!(every >= 1)) throw new RangeError(`rebalanceEveryDays must be ≥ 1, got ${every}`);
  if (!(startDay >= 0 && startDay <= endDay && endDay < days)) {
    throw new RangeError(
      `backtestTopKWithExposure: need 0 ≤ startDay ≤ endDay < ${days}, got ${startDay}, ${endDay}`,
    );
  }
  const book = new Portfolio(panel, args);
  const length = endDay - startDay + 1;
  const values = new Float64Array(length);
  const tradedValue = new Float64Array(length);
  const selections: { signalDay: number; targets: number[] }[] = [];
  let pending: number[] | null = null;
  for (let day = startDay; day <= endDay; day++) {
    if (pending !== null) {
      const before = book.trades.length;
      const wanted = new Set(pending);
      for (let stock = 0; stock < book.shares.length; stock++) {
        if (book.shares[stock] > 0 && !wanted.has(stock)) book.sellAll(stock, day);
      }
      const slotValue = book.valueAt(day, true) / topK;
      for (const stock of pending) {
        if (!(book.shares[stock] > 0)) book.buy(stock, day, Math.min(slotValue, book.cash));
      }
      for (let index = before; index < book.trades.length; index++) {
        tradedValue[day - startDay] += book.trades[index].value;
      }
      pending = null;
    }
    values[day - startDay] = book.valueAt(day);
    if ((day - startDay) % every === 0 && day < endDay) {
      const share = exposure[day];
      if (!(share >= 0 && share <= 1)) {
        throw new RangeError(`backtestTopKWithExposure: exposure on day ${day} is ${share}, expected 0..1`);
      }
      pending = topKStocks(scores, day, Math.round(topK * share) || 0);
      selections.push({ signalDay: day, targets: pending });
    }
  }
  const profits: number[] = [];
  let commissionPaid = 0, dutyPaid = 0;
  for (const trade of book.trades) {
    if (trade.profit !== undefined) profits.push(trade.profit);
    commissionPaid += trade.commission;
    dutyPaid += trade.stampDuty;
  }
  return {
    dates: panel.dates.slice(startDay, endDay + 1),
    values,
    tradedValue,
    selections,
    trades: book.trades,
    refusals: book.refusals,
    metrics: portfolioMetrics(values, {
      tradedValue,
      tradeProfits: profits.length > 0 ? profits : undefined,
      riskFreeRate: args.riskFreeRate,
    }),
    costs: { commission: commissionPaid, stampDuty: dutyPaid },
  };
}
