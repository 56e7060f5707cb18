/**
 * Hyperparameter search: a tree-structured Parzen estimator (TPE) after hyperopt, with resumable
 * JSON checkpoints.
 *
 * Layer 1 of the flow in lib/README.md: imports io, random.
 *
 * @example
 * ```ts
 * import { HYBRID_LSTM_SPACE, minimize, searchHistory } from "./mod.ts";
 * const result = await minimize((params) => (params.dropout as number) ** 2, HYBRID_LSTM_SPACE, {
 *   maxEvaluations: 25,
 *   seed: 1,
 * });
 * const chart = searchHistory(result.trials);
 * ```
 * @module
 */
export * from "./space.ts";
export * from "./tpe.ts";
export * from "./minimize.ts";
export * from "./history.ts";
export * from "./median_pruner.ts";
