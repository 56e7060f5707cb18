/**
 * The Diebold–Mariano test of equal predictive accuracy, with the small-sample correction of Harvey,
 * Leybourne & Newbold (1997).
 */
import { studentTLowerTail } from "./student_t.ts";

/** Loss of one forecast error: |e| / |actual|, |e| or e². */
export type ForecastLoss = "absolute-percentage" | "absolute" | "squared";

/**
 * Per-day loss differential d_t = L(actual_t, forecastA_t) − L(actual_t, forecastB_t): negative where A
 * does better.
 *
 * @example
 * ```ts
 * import { lossDifferential } from "./diebold_mariano.ts";
 * lossDifferential([100, 200], [101, 200], [102, 190], "absolute"); // Float64Array [-1, -10]
 * ```
 */
export function lossDifferential(
  actual: ArrayLike<number>,
  forecastA: ArrayLike<number>,
  forecastB: ArrayLike<number>,
  loss: ForecastLoss = "squared",
): Float64Array {
  const count = actual.length;
  if (forecastA.length !== count || forecastB.length !== count) {
    throw new RangeError(
      `lossDifferential: ${count} actual values, ${forecastA.length} and ${forecastB.length} forecasts`,
    );
  }
  const result = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    const y = actual[t], a = forecastA[t], b = forecastB[t];
    if (!Number.isFinite(y) || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new RangeError(`lossDifferential: non-finite value at index ${t} (${y}, ${a}, ${b})`);
    }
    if (loss === "squared") result[t] = (a - y) ** 2 - (b - y) ** 2;
    else if (loss === "absolute") result[t] = Math.abs(a - y) - Math.abs(b - y);
    else if (loss === "absolute-percentage") {
      if (y === 0) {
        throw new RangeError(`lossDifferential: actual value 0 at index ${t}; percentage loss needs prices`);
      }
      result[t] = (Math.abs(a - y) - Math.abs(b - y)) / Math.abs(y);
    } else throw new RangeError(`lossDifferential: unknown loss "${loss}"`);
  }
  return result;
}

/** Options of {@link dieboldMariano} and {@link dieboldMarianoFromDifferential}. */
export interface DieboldMarianoArgs {
  /** Loss of a forecast error (only for {@link dieboldMariano}). Default `"squared"`. */
  loss?: ForecastLoss;
  /** Forecast horizon h ≥ 1: the long-run variance uses autocovariance lags 1..h − 1. Default 1. */
  horizon?: number;
  /**
   * Weights of the autocovariances in the long-run variance. `"rectangular"` (default): weight 1 for lags
   * 1..h − 1, the truncated estimator of Diebold & Mariano (1995) that HLN (1997) correct; it can come out
   * non-positive for h > 1, and then the Bartlett weights are used instead (the result says which).
   * `"bartlett"`: Newey–West weights 1 − k/h, never negative.
   */
  kernel?: "rectangular" | "bartlett";
}

/** The result of the Diebold–Mariano test. */
export interface DieboldMarianoResult {
  /** Number of loss differentials n. */
  count: number;
  /** Horizon h. */
  horizon: number;
  /** Mean loss differential d̄ (negative: A has the smaller loss). */
  meanDifferential: number;
  /** Long-run variance estimate γ̂₀ + 2 Σ_{k=1}^{h−1} w_k γ̂_k (autocovariances with divisor n). */
  longRunVariance: number;
  /** The kernel actually used (see {@link DieboldMarianoArgs.kernel}). */
  kernel: "rectangular" | "bartlett";
  /** The original DM statistic d̄ / √(V̂ / n). */
  dmStatistic: number;
  /** HLN's corrected statistic DM · √((n + 1 − 2h + h(h − 1)/n) / n), compared with Student t, n − 1 df. */
  statistic: number;
  /** Degrees of freedom of the reference t distribution: n − 1. */
  degreesOfFreedom: number;
  /** Two-sided p of equal accuracy. 1 when every differential is 0. */
  pValue: number;
  /** One-sided p of "A is more accurate" (mean loss differential below 0): P(T ≤ statistic). */
  pValueABetter: number;
}

/**
 * Diebold–Mariano / HLN test from the loss differential d_t = L(A)_t − L(B)_t directly.
 *
 * @example
 * ```ts
 * import { dieboldMarianoFromDifferential } from "./diebold_mariano.ts";
 * const result = dieboldMarianoFromDifferential([-0.2, 0.1, -0.3, -0.1, 0.05, -0.25]);
 * result.statistic < 0; // true: A's losses are smaller on average
 * ```
 */
export function dieboldMarianoFromDifferential(
  differential: ArrayLike<number>,
  args: DieboldMarianoArgs = {},
): DieboldMarianoResult {
  const horizon = args.horizon ?? 1;
  const n = differential.length;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`dieboldMariano: horizon must be an integer ≥ 1, got ${horizon}`);
  }
  if (n < 2) throw new RangeError(`dieboldMariano: needs at least 2 loss differentials, got ${n}`);
  if (horizon >= n) {
    throw new RangeError(`dieboldMariano: horizon ${horizon} needs more than ${n} differentials`);
  }
  let mean = 0;
  for (let t = 0; t < n; t++) {
    const value = differential[t];
    if (!Number.isFinite(value)) {
      throw new RangeError(`dieboldMariano: differential at index ${t} is ${value}`);
    }
    mean += value;
  }
  mean /= n;
  const centred = new Float64Array(n);
  for (let t = 0; t < n; t++) centred[t] = differential[t] - mean;
  const autocovariance = new Float64Array(horizon);
  for (let lag = 0; lag < horizon; lag++) {
    let sum = 0;
    for (let t = lag; t < n; t++) sum += centred[t] * centred[t - lag];
    autocovariance[lag] = sum / n;
  }
  const longRun = (kernel: "rectangular" | "bartlett") => {
    let variance = autocovariance[0];
    for (let lag = 1; lag < horizon; lag++) {
      variance += 2 * (kernel === "bartlett" ? 1 - lag / horizon : 1) * autocovariance[lag];
    }
    return variance;
  };
  let kernel = args.kernel ?? "rectangular";
  let variance = longRun(kernel);
  if (!(variance > 0) && kernel === "rectangular" && autocovariance[0] > 0) {
    kernel = "bartlett";
    variance = longRun(kernel);
  }
  let dmStatistic: number;
  if (variance > 0) dmStatistic = mean / Math.sqrt(variance / n);
  else dmStatistic = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  const correction = Math.sqrt((n + 1 - 2 * horizon + (horizon * (horizon - 1)) / n) / n);
  const statistic = dmStatistic * correction;
  const degreesOfFreedom = n - 1;
  const lower = studentTLowerTail(statistic, degreesOfFreedom);
  return {
    count: n,
    horizon,
    meanDifferential: mean,
    longRunVariance: variance,
    kernel,
    dmStatistic,
    statistic,
    degreesOfFreedom,
    pValue: Math.min(1, 2 * lower),
    pValueABetter: statistic <= 0 ? lower : 1 - lower,
  };
}

/**
 * Diebold–Mariano test with the Harvey–Leybourne–Newbold correction: are forecasts A and B of `actual`
 * equally accurate under the chosen loss? d_t = L(A)_t − L(B)_t; the long-run variance of d̄ sums the
 * autocovariances up to lag h − 1 (rectangular weights, as in both papers; see
 * {@link DieboldMarianoArgs.kernel}); the corrected statistic is compared with Student t on n − 1 degrees
 * of freedom.
 *
 * @example
 * ```ts
 * import { dieboldMariano } from "./diebold_mariano.ts";
 * const actual = [100, 102, 101, 105, 107, 106, 108];
 * const model = [101, 101.5, 102, 104, 106, 107, 107.5];
 * const persistence = [99, 100, 102, 101, 105, 107, 106];
 * const result = dieboldMariano(actual, model, persistence, { loss: "absolute-percentage" });
 * result.pValueABetter; // small when the model's errors are smaller than persistence's
 * ```
 */
export function dieboldMariano(
  actual: ArrayLike<number>,
  forecastA: ArrayLike<number>,
  forecastB: ArrayLike<number>,
  args: DieboldMarianoArgs = {},
): DieboldMarianoResult {
  return dieboldMarianoFromDifferential(
    lossDifferential(actual, forecastA, forecastB, args.loss ?? "squared"),
    args,
  );
}
