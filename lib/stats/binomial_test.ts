/**
 * The exact binomial test, two-sided as SciPy's `binomtest` computes it, and one-sided.
 */
import { incompleteBetaWithComplement, logGamma } from "./incomplete_beta.ts";

function checkCounts(name: string, successes: number, trials: number, probability: number): void {
  if (!Number.isInteger(trials) || trials < 0) {
    throw new RangeError(`${name}: trials must be an integer ≥ 0, got ${trials}`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`${name}: successes must be an integer in 0..${trials}, got ${successes}`);
  }
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`${name}: probability must be in [0, 1], got ${probability}`);
  }
}

/**
 * P(X = k) for X ~ Binomial(n, p).
 *
 * @example
 * ```ts
 * import { binomialPmf } from "./binomial_test.ts";
 * binomialPmf(5, 10, 0.5); // 252 / 1024
 * ```
 */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p),
  );
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p): I_{1−p}(n − k, k + 1).
 *
 * @example
 * ```ts
 * import { binomialCdf } from "./binomial_test.ts";
 * binomialCdf(1, 10, 0.5); // 11 / 1024
 * ```
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return incompleteBetaWithComplement(1 - p, p, n - k, k + 1);
}

/**
 * P(X > k) for X ~ Binomial(n, p): I_p(k + 1, n − k).
 *
 * @example
 * ```ts
 * import { binomialSurvival } from "./binomial_test.ts";
 * binomialSurvival(8, 10, 0.5); // 11 / 1024
 * ```
 */
export function binomialSurvival(k: number, n: number, p: number): number {
  if (k < 0) return 1;
  if (k >= n) return 0;
  return incompleteBetaWithComplement(p, 1 - p, k + 1, n - k);
}

/** SciPy's `_binary_search_for_binom_tst`: i in lo..hi with a(i) ≤ d < a(i + 1), a ascending. */
function binarySearch(a: (i: number) => number, d: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const value = a(mid);
    if (value < d) lo = mid + 1;
    else if (value > d) hi = mid - 1;
    else return mid;
  }
  return a(lo) <= d ? lo : lo - 1;
}

/** Options of {@link binomialTest}. */
export interface BinomialTestArgs {
  /** Success probability under the null hypothesis. Default 0.5. */
  probability?: number;
}

/** The result of {@link binomialTest}. */
export interface BinomialTestResult {
  /** Successes. */
  successes: number;
  /** Trials. */
  trials: number;
  /** Observed share `successes / trials` (NaN with no trials). */
  share: number;
  /**
   * Two-sided p: the total probability of every outcome no more likely than the one observed (with
   * SciPy's relative slack of 1e-7), capped at 1.
   */
  pValue: number;
  /** One-sided p of "more successes than p0 gives": P(X ≥ successes). */
  pValueGreater: number;
  /** One-sided p of "fewer": P(X ≤ successes). */
  pValueLess: number;
}

/**
 * Exact binomial test of `successes` in `trials` against success probability p0: the two-sided p-value
 * as `scipy.stats.binomtest` computes it, and both one-sided ones.
 *
 * @example
 * ```ts
 * import { binomialTest } from "./binomial_test.ts";
 * binomialTest(9, 10).pValue; // 0.021484375 = 2 × 11 / 1024
 * binomialTest(5, 10).pValue; // 1
 * ```
 */
export function binomialTest(
  successes: number,
  trials: number,
  args: BinomialTestArgs = {},
): BinomialTestResult {
  const p = args.probability ?? 0.5;
  checkCounts("binomialTest", successes, trials, p);
  const k = successes, n = trials;
  const pValueLess = binomialCdf(k, n, p);
  const pValueGreater = binomialSurvival(k - 1, n, p);
  let pValue: number;
  const d = binomialPmf(k, n, p);
  const slack = 1 + 1e-7;
  if (k === p * n) pValue = 1;
  else if (k < p * n) {
    const ix = binarySearch((x) => -binomialPmf(x, n, p), -d * slack, Math.ceil(p * n), n);
    const y = n - ix + (d * slack === binomialPmf(ix, n, p) ? 1 : 0);
    pValue = pValueLess + binomialSurvival(n - y, n, p);
  } else {
    const ix = binarySearch((x) => binomialPmf(x, n, p), d * slack, 0, Math.floor(p * n));
    const y = ix + 1;
    pValue = binomialCdf(y - 1, n, p) + pValueGreater;
  }
  return {
    successes: k,
    trials: n,
    share: n === 0 ? NaN : k / n,
    pValue: Math.min(1, pValue),
    pValueGreater,
    pValueLess,
  };
}
