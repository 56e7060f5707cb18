/**
 * Evaluation: error metrics on real prices, chronological splits, the A-share backtest, portfolio metrics,
 * benchmarks and the fit of predicted returns; classification metrics (accuracy, confusion, EquiNet's
 * points score, confidence gating) and naive classification baselines.
 *
 * Layer 0 of the flow in lib/README.md: imports no other lib folder.
 *
 * @example
 * ```ts
 * import { chronologicalSplit, meanAbsolutePercentageError, pointsScore } from "./mod.ts";
 * const split = chronologicalSplit(100, { trainShare: 0.8, validationShare: 0 });
 * const mape = meanAbsolutePercentageError([100, 200], [110, 190]);
 * const points = pointsScore([2, 1, 0], [2, 2, 2]);
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
export * from "./classification.ts";
export * from "./baselines.ts";
export * from "./exposure_backtest.ts";
