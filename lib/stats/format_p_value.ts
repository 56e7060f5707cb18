/**
 * A p-value as text for tables and verdicts: three decimals, or `< 0.001` where three decimals would
 * round it to zero (and `0.000` would read as "impossible").
 *
 * @example
 * ```ts
 * import { formatPValue, formatPValueRange } from "./format_p_value.ts";
 * formatPValue(0.04213); // "0.042"
 * formatPValue(3.7e-6); // "< 0.001"
 * formatPValueRange([3.7e-6, 1.5e-6]); // "< 0.001 in each"
 * formatPValueRange([0.16, 0.63]); // "0.160-0.630"
 * ```
 */
export function formatPValue(pValue: number): string {
  if (!(pValue >= 0 && pValue <= 1)) {
    throw new RangeError(`formatPValue: a p-value is in [0, 1], got ${pValue}`);
  }
  return pValue < 0.0005 ? "< 0.001" : pValue.toFixed(3);
}

/** The smallest and largest of several p-values (one per seed, say), as `a-b`; `< 0.001 in each` when all are. */
export function formatPValueRange(pValues: readonly number[]): string {
  if (pValues.length === 0) throw new RangeError("formatPValueRange: no p-values");
  const low = Math.min(...pValues), high = Math.max(...pValues);
  if (formatPValue(high) === "< 0.001") return "< 0.001 in each";
  return low === high ? formatPValue(low) : `${formatPValue(low)}-${formatPValue(high)}`;
}
