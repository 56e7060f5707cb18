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
  runTopKBacktest,
  topKStocks,
} from "./backtest.ts";

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
  if (exposure.length !== panel.dates.length) {
    throw new RangeError(
      `backtestTopKWithExposure: ${exposure.length} exposures for ${panel.dates.length} days`,
    );
  }
  return runTopKBacktest("backtestTopKWithExposure", panel, scores, args, {
    targetsOn: (day, topK) => {
      const share = exposure[day];
      if (!(share >= 0 && share <= 1)) {
        throw new RangeError(`backtestTopKWithExposure: exposure on day ${day} is ${share}, expected 0..1`);
      }
      return topKStocks(scores, day, Math.round(topK * share) || 0);
    },
    // Each newcomer gets at most 1/k of the book: a lower exposure leaves the other slots in cash.
    rebalance: (book, day, targets, topK) => {
      const wanted = new Set(targets);
      for (let stock = 0; stock < book.shares.length; stock++) {
        if (book.shares[stock] > 0 && !wanted.has(stock)) book.sellAll(stock, day);
      }
      const slotValue = book.valueAt(day, true) / topK;
      for (const stock of targets) {
        if (!(book.shares[stock] > 0)) book.buy(stock, day, Math.min(slotValue, book.cash));
      }
    },
  });
}
