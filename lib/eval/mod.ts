/**
 * Evaluation: error metrics on real prices and chronological splits.
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
