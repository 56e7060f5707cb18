/**
 * Sample skewness and kurtosis (the moment estimators SciPy's `skew` and `kurtosis(fisher=False)` give by
 * default), inputs of the deflated Sharpe ratio.
 */

function centralMoments(values: ArrayLike<number>): [number, number, number] {
  const n = values.length;
  if (n < 2) throw new RangeError(`moments: needs at least 2 values, got ${n}`);
  let mean = 0;
  for (let index = 0; index < n; index++) mean += values[index];
  mean /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let index = 0; index < n; index++) {
    const deviation = values[index] - mean, square = deviation * deviation;
    m2 += square;
    m3 += square * deviation;
    m4 += square * square;
  }
  return [m2 / n, m3 / n, m4 / n];
}

/**
 * Sample skewness m₃ / m₂^{3/2} (moments with divisor n; 0 for a symmetric sample; NaN with no spread).
 *
 * @example
 * ```ts
 * import { sampleSkewness } from "./moments.ts";
 * sampleSkewness([1, 2, 3]); // 0
 * ```
 */
export function sampleSkewness(values: ArrayLike<number>): number {
  const [m2, m3] = centralMoments(values);
  return m2 === 0 ? NaN : m3 / m2 ** 1.5;
}

/**
 * Sample kurtosis m₄ / m₂² (not excess: about 3 for normal data; NaN with no spread).
 *
 * @example
 * ```ts
 * import { sampleKurtosis } from "./moments.ts";
 * sampleKurtosis([-1, 1, -1, 1]); // 1
 * ```
 */
export function sampleKurtosis(values: ArrayLike<number>): number {
  const [m2, , m4] = centralMoments(values);
  return m2 === 0 ? NaN : m4 / (m2 * m2);
}
