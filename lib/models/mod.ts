/**
 * Models: the ChiNext paper's LSTM regressor, its linear baseline and naive forecasts, and the hybrid
 * design's two-branch LSTM.
 *
 * @example
 * ```ts
 * import { fitRidge, persistenceForecast } from "./mod.ts";
 * const naive = persistenceForecast([10, 11, 12], [1, 2]);
 * const linear = fitRidge(Float64Array.from([0, 1, 2]), Float64Array.from([1, 3, 5]));
 * ```
 * @module
 */
export * from "./baselines.ts";
export * from "./linear.ts";
export * from "./lstm_regressor.ts";
export * from "./two_branch_lstm.ts";
