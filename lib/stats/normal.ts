/**
 * The standard normal distribution: CDF (through the incomplete gamma function of order ½, accurate in
 * both tails) and its inverse (Acklam's rational approximation polished by Halley steps).
 */

const SQRT_PI = 1.7724538509055160273;
const SQRT_TWO_PI = 2.5066282746310005024;
const TINY = 1e-300;

/** erfc(z) for z ≥ 0 as the regularised gamma function Q(½, z²) (series below z² = 1.5, else Lentz). */
function erfcNonNegative(z: number): number {
  const x = z * z;
  if (x < 1.5) {
    // P(½, x) = e^{−x} x^{½} / Γ(3/2) · Σ xⁿ / ((3/2)(5/2)…(½ + n))
    let term = 1 / 0.5, sum = term, a = 0.5;
    for (let n = 1; n < 500; n++) {
      a += 1;
      term *= x / a;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - (sum * Math.exp(-x) * z) / SQRT_PI;
  }
  let b = x + 0.5, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return (Math.exp(-x) * z * h) / SQRT_PI;
}

/**
 * Φ(x), the standard normal CDF, with full relative accuracy in the lower tail (Φ(−30) ≈ 4.9e-198).
 *
 * @example
 * ```ts
 * import { normalCdf } from "./normal.ts";
 * normalCdf(0); // 0.5
 * normalCdf(1.959963984540054); // 0.975
 * ```
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const tail = 0.5 * erfcNonNegative(Math.abs(x) / Math.SQRT2);
  return x < 0 ? tail : 1 - tail;
}

/**
 * The standard normal density φ(x).
 *
 * @example
 * ```ts
 * import { normalPdf } from "./normal.ts";
 * normalPdf(0); // 0.3989422804014327 = 1/√(2π)
 * ```
 */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_TWO_PI;
}

const A = [
  -3.969683028665376e+01,
  2.209460984245205e+02,
  -2.759285104469687e+02,
  1.383577518672690e+02,
  -3.066479806614716e+01,
  2.506628277459239e+00,
];
const B = [
  -5.447609879822406e+01,
  1.615858368580409e+02,
  -1.556989798598866e+02,
  6.680131188771972e+01,
  -1.328068155288572e+01,
];
const C = [
  -7.784894002430293e-03,
  -3.223964580411365e-01,
  -2.400758277161838e+00,
  -2.549732539343734e+00,
  4.374664141464968e+00,
  2.938163982698783e+00,
];
const D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
const P_LOW = 0.02425;

/** Acklam's approximation (relative error ≤ 1.15e-9). */
function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5, r = q * q;
  return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's rational approximation refined by two Halley steps on
 * {@link normalCdf} (about 1e-15 relative where p is not within 1e-3 of 1; there the rounding of p itself
 * dominates). −Infinity at 0, Infinity at 1.
 *
 * @example
 * ```ts
 * import { normalQuantile } from "./normal.ts";
 * normalQuantile(0.975); // 1.959963984540054
 * normalQuantile(0.5); // 0
 * ```
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p < 0 || p > 1) throw new RangeError(`normalQuantile: needs 0 ≤ p ≤ 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  let x = acklam(p);
  for (let step = 0; step < 2; step++) {
    // Work in the tail nearer to p so the residual keeps its relative accuracy.
    const error = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalCdf(-x);
    const u = error * SQRT_TWO_PI * Math.exp(0.5 * x * x);
    if (!Number.isFinite(u)) break; // p below ~1e-300: the density underflows, keep Acklam's value
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}
