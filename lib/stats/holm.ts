/**
 * Holm's step-down correction of several p-values (family-wise error control without independence).
 */

/**
 * Holm-adjusted p-values, in the input order: sort ascending, multiply the i-th smallest (from 0) by
 * m − i, carry the running maximum, cap at 1 (as statsmodels' `multipletests(method="holm")`). Reject
 * hypothesis j at level α when `adjusted[j] ≤ α`. NaN p-values are not allowed.
 *
 * @example
 * ```ts
 * import { holmAdjust } from "./holm.ts";
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, index) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: p-value ${index} is ${p}`);
  });
  const order = pValues.map((_, index) => index).sort((a, b) => pValues[a] - pValues[b] || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((original, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[original]));
    adjusted[original] = running;
  });
  return adjusted;
}
