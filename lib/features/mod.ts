/**
 * Features and labels computed from validated daily bars.
 *
 * Layer 2 of the flow in lib/README.md: imports data, random.
 *
 * @example
 * ```ts
 * import { threeDayLabels } from "./mod.ts";
 * const labels = threeDayLabels([10, 10.1, 10.2, 10.4, 10.5]);
 * ```
 * @module
 */
export * from "./labels.ts";
export * from "./corporate_actions.ts";
export * from "./label_distribution.ts";
export * from "./pct_change.ts";
export * from "./scaler.ts";
export * from "./windows.ts";
export * from "./window_relative.ts";
export * from "./point_in_time.ts";
export * from "./fundamental_processor.ts";
export * from "./macro.ts";
export * from "./economic_phase.ts";
export * from "./technical.ts";
export * from "./equinet_windows.ts";
export * from "./random_walk_stocks.ts";
export * from "./window_summary.ts";
export * from "./equinet_stock.ts";
export * from "./equinet_latest_window.ts";
export * from "./equinet_universe.ts";
export * from "./hybrid_features.ts";
export * from "./index_membership.ts";
