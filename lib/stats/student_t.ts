/**
 * Student's t distribution, through the regularised incomplete beta function.
 */
import { incompleteBetaWithComplement } from "./incomplete_beta.ts";

/**
 * P(T ≤ −|t|) for ν degrees of freedom, with full relative accuracy far in the tail (a two-sided p is
 * twice this).
 *
 * @example
 * ```ts
 * import { studentTLowerTail } from "./student_t.ts";
 * 2 * studentTLowerTail(2.570581835636314, 5); // 0.05
 * ```
 */
export function studentTLowerTail(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || Number.isNaN(degreesOfFreedom)) return NaN;
  if (!(degreesOfFreedom > 0)) throw new RangeError(`Student t: needs ν > 0, got ${degreesOfFreedom}`);
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return 0;
  const square = t * t;
  const x = degreesOfFreedom / (degreesOfFreedom + square);
  const y = square / (degreesOfFreedom + square);
  return 0.5 * incompleteBetaWithComplement(x, y, degreesOfFreedom / 2, 0.5);
}

/**
 * The Student t CDF P(T ≤ t) with ν > 0 degrees of freedom (ν need not be an integer, as in Welch's
 * test): ½ I_{ν/(ν+t²)}(ν/2, ½) below 0, one minus that above.
 *
 * @example
 * ```ts
 * import { studentTCdf } from "./student_t.ts";
 * studentTCdf(0, 5); // 0.5
 * studentTCdf(2.570581835636314, 5); // 0.975
 * ```
 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  const tail = studentTLowerTail(t, degreesOfFreedom);
  return t < 0 ? tail : 1 - tail;
}
