/**
 * Models built from TensorFlow.js ops, and plain baselines.
 *
 * @example
 * ```ts
 * import { parameterCount } from "./mod.ts";
 * parameterCount({ dModel: 64, heads: 4, layers: 2 });
 * ```
 * @module
 */
export * from "./transformer_classifier.ts";
export * from "./logistic.ts";
