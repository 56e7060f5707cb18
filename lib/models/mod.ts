/**
 * Models: the ChiNext paper's LSTM regressor, its linear baseline and naive forecasts, the hybrid
 * design's two-branch LSTM, EquiNet's Transformer classifier (tf ops) and its logistic baseline.
 *
 * Layer 4 of the flow in lib/README.md: imports backend, features, kernels, parallel, random, train.
 *
 * @example
 * ```ts
 * import { fitRidge, parameterCount, persistenceForecast } from "./mod.ts";
 * const naive = persistenceForecast([10, 11, 12], [1, 2]);
 * const linear = fitRidge(Float64Array.from([0, 1, 2]), Float64Array.from([1, 3, 5]));
 * const parameters = parameterCount({ dModel: 64, heads: 4, layers: 2 });
 * ```
 * @module
 */
export * from "./baselines.ts";
export * from "./linear.ts";
export * from "./lstm_regressor.ts";
export * from "./two_branch_lstm.ts";
export * from "./transformer_classifier.ts";
export * from "./logistic.ts";
