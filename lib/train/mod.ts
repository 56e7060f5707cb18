/**
 * Training: losses, the optimiser, checkpoints and the epoch loop shared by every model.
 *
 * Layer 3 of the flow in lib/README.md: imports backend, eval, features, io, kernels, random.
 *
 * @example
 * ```ts
 * import { crossEntropyLoss } from "./mod.ts";
 * import { tf } from "../backend/mod.ts";
 * const loss = crossEntropyLoss(tf.tensor2d([[1, 0, 0]]), [0]);
 * ```
 * @module
 */
export * from "./losses.ts";
export * from "./adam.ts";
export * from "./gradient_clipping.ts";
export * from "./schedule.ts";
export * from "./checkpoint.ts";
export { PathEscapeError } from "../io/paths.ts";
export * from "./trainer.ts";
export * from "./classifier_evaluation.ts";
