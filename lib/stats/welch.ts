/**
 * Welch's t-test: do two sets of per-seed metrics have different means, without assuming equal variances?
 */
import { studentTLowerTail } from "./student_t.ts";

/** The result of {@link welchTest}. */
export interface WelchResult {
  /** mean(a) − mean(b). */
  meanDifference: number;
  /** t = (mean(a) − mean(b)) / √(s²_a/n_a + s²_b/n_b). */
  statistic: number;
  /** Welch–Satterthwaite degrees of freedom. */
  degreesOfFreedom: number;
  /** Two-sided p (as `scipy.stats.ttest_ind(a, b, equal_var=False)`). */
  pValue: number;
  /** One-sided p of "mean(a) > mean(b)". */
  pValueGreater: number;
}

function meanAndVariance(values: ArrayLike<number>, name: string): [number, number] {
  const n = values.length;
  if (n < 2) throw new RangeError(`welchTest: sample ${name} needs at least 2 values, got ${n}`);
  let mean = 0;
  for (let index = 0; index < n; index++) mean += values[index];
  mean /= n;
  let squares = 0;
  for (let index = 0; index < n; index++) squares += (values[index] - mean) ** 2;
  return [mean, squares / (n - 1)];
}

/**
 * Welch's unequal-variance t-test of two samples, e.g. a variant's per-seed points against the
 * reference's. With no spread in either sample the statistic is NaN (equal means) or ±Infinity.
 *
 * @example
 * ```ts
 * import { welchTest } from "./welch.ts";
 * const result = welchTest([0.52, 0.55, 0.53, 0.56, 0.54], [0.50, 0.51, 0.49, 0.52, 0.50]);
 * result.pValue; // ≈ 0.0041 (t ≈ 4.13 on ≈ 7.3 df)
 * ```
 */
export function welchTest(a: ArrayLike<number>, b: ArrayLike<number>): WelchResult {
  const [meanA, varianceA] = meanAndVariance(a, "a");
  const [meanB, varianceB] = meanAndVariance(b, "b");
  const shareA = varianceA / a.length, shareB = varianceB / b.length;
  const spread = shareA + shareB;
  const meanDifference = meanA - meanB;
  if (spread === 0) {
    const statistic = meanDifference === 0 ? NaN : meanDifference > 0 ? Infinity : -Infinity;
    return {
      meanDifference,
      statistic,
      degreesOfFreedom: NaN,
      pValue: Number.isNaN(statistic) ? NaN : 0,
      pValueGreater: Number.isNaN(statistic) ? NaN : statistic > 0 ? 0 : 1,
    };
  }
  const statistic = meanDifference / Math.sqrt(spread);
  const degreesOfFreedom = (spread * spread) /
    ((shareA * shareA) / (a.length - 1) + (shareB * shareB) / (b.length - 1));
  const lower = studentTLowerTail(statistic, degreesOfFreedom);
  return {
    meanDifference,
    statistic,
    degreesOfFreedom,
    pValue: Math.min(1, 2 * lower),
    pValueGreater: statistic >= 0 ? lower : 1 - lower,
  };
}
