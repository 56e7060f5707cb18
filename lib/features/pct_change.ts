/**
 * Day-over-day percentage change of a price series.
 */

/**
 * pct[t] = values[t] / values[t − 1] − 1, as a fraction (0.01 = +1%). Day 0 has no previous value and
 * is NaN: slice the series after computing it (so the first day of a study period still gets its
 * change from the day before).
 *
 * Porting note: the paper's "涨跌幅" (pct change, Data2's sixth input) is not in our ChiNext file;
 * we derive it from closes. Exchanges publish it in percent; we keep a fraction.
 *
 * @example
 * ```ts
 * import { pctChange } from "./pct_change.ts";
 * pctChange([100, 110, 99]); // Float64Array [NaN, 0.1, -0.1]
 * ```
 */
export function pctChange(values: ArrayLike<number>): Float64Array {
  const result = new Float64Array(values.length);
  if (values.length > 0) result[0] = NaN;
  for (let day = 1; day < values.length; day++) {
    const previous = values[day - 1];
    if (!(previous > 0)) {
      throw new RangeError(`pctChange: value at index ${day - 1} is ${previous}; needs a price > 0`);
    }
    result[day] = values[day] / previous - 1;
  }
  return result;
}
