/**
 * Evaluation: classification metrics (accuracy, confusion, EquiNet's points score, gating) and
 * naive baselines.
 *
 * @example
 * ```ts
 * import { pointsScore } from "./mod.ts";
 * pointsScore([2, 1, 0], [2, 2, 2]);
 * ```
 * @module
 */
export * from "./classification.ts";
export * from "./baselines.ts";
