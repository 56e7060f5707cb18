/**
 * Evaluation: A-share backtest, portfolio metrics, benchmarks and the fit of predicted returns.
 *
 * @example
 * ```ts
 * import { maxDrawdown, sharpeRatio } from "./mod.ts";
 * maxDrawdown([100, 120, 90]); // -0.25
 * sharpeRatio([0.01, -0.01, 0.02]);
 * ```
 * @module
 */
export * from "./a_share_rules.ts";
export * from "./backtest.ts";
export * from "./benchmarks.ts";
export * from "./portfolio_metrics.ts";
export * from "./return_fit.ts";
