/**
 * Is an EquiNet model better than always saying one class? Against a constant forecaster, McNemar's
 * exact test needs only the model's confusion matrix: the constant is right exactly on the windows of its
 * class, so the discordant pairs are the model's right calls on the other classes (model only) and its
 * wrong calls on that class (constant only). The exact binomial test compares the model's accuracy with
 * the constant's share. Both treat windows as independent, which windows of different stocks on one date
 * are not: read them as optimistic (a p-value too small, if anything).
 */
import { binomialTest, mcnemarFromCounts } from "../stats/mod.ts";

/** The tests of one model (one seed, one set) against always saying `constantClass`. */
export interface ConstantClassTests {
  /** Windows evaluated. */
  windows: number;
  /** Windows the model called right. */
  modelRight: number;
  /** Windows the constant is right on (those of its class). */
  constantRight: number;
  /** Model right where the constant is wrong. */
  modelOnly: number;
  /** Constant right where the model is wrong. */
  constantOnly: number;
  /** McNemar's exact test, two-sided. */
  mcnemarPValue: number;
  /** Exact binomial test of the model's right calls against the constant's share, one-sided (model better). */
  binomialPValue: number;
}

/**
 * The tests of a confusion matrix (rows: true class, columns: predicted class) against a constant class.
 *
 * @example
 * ```ts
 * import { constantClassTests } from "./equinet_significance.ts";
 * // 涨, 跌, 稳 rows; a model that always says 稳 ties the constant 稳 exactly:
 * constantClassTests([[0, 0, 20], [0, 0, 30], [0, 0, 50]], 2).mcnemarPValue; // 1
 * ```
 */
export function constantClassTests(
  confusion: readonly (readonly number[])[],
  constantClass: number,
): ConstantClassTests {
  const classes = confusion.length;
  if (classes === 0 || confusion.some((row) => row.length !== classes)) {
    throw new RangeError(`constantClassTests: the confusion matrix must be square, got ${classes} rows`);
  }
  if (!Number.isInteger(constantClass) || constantClass < 0 || constantClass >= classes) {
    throw new RangeError(`constantClassTests: class ${constantClass} is not one of 0..${classes - 1}`);
  }
  let windows = 0, modelRight = 0, modelOnly = 0;
  for (let truth = 0; truth < classes; truth++) {
    for (let predicted = 0; predicted < classes; predicted++) {
      const count = confusion[truth][predicted];
      windows += count;
      if (truth === predicted) {
        modelRight += count;
        if (truth !== constantClass) modelOnly += count;
      }
    }
  }
  const constantRight = confusion[constantClass].reduce((sum, count) => sum + count, 0);
  const constantOnly = constantRight - confusion[constantClass][constantClass];
  return {
    windows,
    modelRight,
    constantRight,
    modelOnly,
    constantOnly,
    mcnemarPValue: mcnemarFromCounts(modelOnly, constantOnly).pValue,
    binomialPValue: windows === 0
      ? 1
      : binomialTest(modelRight, windows, { probability: constantRight / windows }).pValueGreater,
  };
}
