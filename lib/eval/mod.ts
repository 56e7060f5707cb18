/**
 * Evaluation: error metrics on real prices, chronological splits, the A-share backtest, portfolio metrics,
 * benchmarks and the fit of predicted returns.
 *
 * @example
 * ```ts
 * import { chronologicalSplit, meanAbsolutePercentageError } from "./mod.ts";
 * const split = chronologicalSplit(100, { trainShare: 0.8, validationShare: 0 });
 * const mape = meanAbsolutePercentageError([100, 200], [110, 190]);
 * ```
 * @module
 */
export * from "./regression.ts";
export * from "./splits.ts";
export * from "./a_share_rules.ts";
export * from "./backtest.ts";
export * from "./benchmarks.ts";
export * from "./portfolio_metrics.ts";
export * from "./return_fit.ts";
