/**
 * Naive benchmarks to show beside every strategy: equal-weight buy-and-hold of the universe, an index
 * held throughout, and a momentum rule.
 *
 * @module
 */
import { type BacktestArgs, type BacktestResult, backtestTopK, type MarketPanel } from "./backtest.ts";
import { type PortfolioMetrics, portfolioMetrics } from "./portfolio_metrics.ts";

/**
 * Buys every stock with a price on `startDay + 1` in equal amounts (same costs and rules as the
 * strategy) and holds to the end. A stock that cannot be bought that day (suspended, limit-up) is
 * not bought later: its share stays in cash.
 *
 * @example
 * ```ts
 * import { equalWeightBuyAndHold } from "./benchmarks.ts";
 * const panel = { dates: ["2023-01-03", "2023-01-04", "2023-01-05"], codes: ["sh.600000", "sz.000001"],
 *   close: [[10, 10, 11], [20, 20, 19]] };
 * equalWeightBuyAndHold(panel, { fillAt: "close" }).metrics.totalReturn;
 * ```
 */
export function equalWeightBuyAndHold(
  panel: MarketPanel,
  args: Omit<BacktestArgs, "topK" | "rebalanceEveryDays"> = {},
): BacktestResult {
  const scores = panel.close.map((series) => Float64Array.from(series, () => 1));
  return backtestTopK(panel, scores, { ...args, topK: panel.codes.length, rebalanceEveryDays: Infinity });
}

/**
 * Past `lookbackDays` return of every stock on every day: `close[t] / close[t − lookbackDays] − 1`,
 * NaN when either close is missing. Uses only data up to day t, so it can be a backtest score.
 *
 * @example
 * ```ts
 * import { momentumScores } from "./benchmarks.ts";
 * momentumScores([[10, 11, 12]], 1); // [Float64Array [NaN, 0.1, 0.0909…]]
 * ```
 */
export function momentumScores(close: readonly ArrayLike<number>[], lookbackDays = 20): Float64Array[] {
  if (!Number.isInteger(lookbackDays) || lookbackDays < 1) {
    throw new RangeError(`lookbackDays must be a positive integer, got ${lookbackDays}`);
  }
  return close.map((series) => {
    const scores = new Float64Array(series.length).fill(NaN);
    for (let day = lookbackDays; day < series.length; day++) {
      const past = series[day - lookbackDays];
      if (past > 0 && series[day] > 0) scores[day] = series[day] / past - 1;
    }
    return scores;
  });
}

/**
 * The momentum rule: hold the top-k stocks by past `lookbackDays` return, same engine and costs
 * as the strategy.
 *
 * @example
 * ```ts
 * import { momentumBacktest } from "./benchmarks.ts";
 * // momentumBacktest(panel, 20, { topK: 10 })
 * ```
 */
export function momentumBacktest(
  panel: MarketPanel,
  lookbackDays = 20,
  args: BacktestArgs = {},
): BacktestResult {
  return backtestTopK(panel, momentumScores(panel.close, lookbackDays), args);
}

/** Result of {@link indexBuyAndHold}. */
export interface IndexBuyAndHold {
  /** Value of `capitalCny` invested at the first close. */
  values: Float64Array;
  /** Metrics (win rate and profit factor over days). */
  metrics: PortfolioMetrics;
}

/**
 * An index bought at its first close and held, without costs (an index is not itself traded;
 * an ETF would add a small fee). Throws on a missing or non-positive close.
 *
 * @example
 * ```ts
 * import { indexBuyAndHold } from "./benchmarks.ts";
 * indexBuyAndHold([3000, 3030, 2970]).values; // Float64Array [1e6, 1.01e6, 0.99e6]
 * ```
 */
export function indexBuyAndHold(
  closes: ArrayLike<number>,
  args: { capitalCny?: number; riskFreeRate?: number | ArrayLike<number> } = {},
): IndexBuyAndHold {
  const capital = args.capitalCny ?? 1_000_000;
  const values = new Float64Array(closes.length);
  for (let day = 0; day < closes.length; day++) {
    if (!(closes[day] > 0)) throw new RangeError(`indexBuyAndHold: close at index ${day} is ${closes[day]}`);
    values[day] = (capital * closes[day]) / closes[0];
  }
  // A rate series here is one per return (closes.length − 1), as portfolioMetrics takes it.
  return { values, metrics: portfolioMetrics(values, { riskFreeRate: args.riskFreeRate }) };
}
