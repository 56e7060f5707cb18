/**
 * How sure is a Sharpe ratio? Lo's (2002) standard error and interval, and a paired date-block bootstrap
 * of a strategy's Sharpe ratio minus its benchmark's.
 */
import { excessReturns, TRADING_DAYS_PER_YEAR } from "../eval/portfolio_metrics.ts";
import { type BlockBootstrapArgs, type BlockBootstrapResult, dateBlockBootstrap } from "./block_bootstrap.ts";
import { sampleKurtosis, sampleSkewness } from "./moments.ts";
import { normalQuantile } from "./normal.ts";

/** Options of {@link sharpeInference}. */
export interface SharpeInferenceArgs {
  /** Periods per year (annualisation). Default 252. */
  periodsPerYear?: number;
  /** Annual risk-free rate, a number or one per return (as `SharpeArgs.riskFreeRate`). Default 0. */
  riskFreeRate?: number | ArrayLike<number>;
  /** Level of the interval. Default 0.95. */
  confidence?: number;
  /**
   * Lo's adjustment for serially correlated returns: annualise with η(q) = q / √(q + 2 Σ_{k=1}^{q−1}
   * (q − k) ρ_k) instead of √q (ρ_k: sample autocorrelations), for the ratio and its standard error alike.
   * Default false (iid: √q).
   */
  autocorrelation?: boolean;
  /** Largest lag whose autocorrelation enters η(q); higher lags count as 0. Default q − 1 (Lo), at most n − 1. */
  autocorrelationLags?: number;
  /**
   * Use the sample skewness γ₃ and kurtosis γ₄ in the variance (Mertens 2002):
   * (1 + ŝ²/2 − γ₃ŝ + (γ₄ − 3)ŝ²/4) / n instead of Lo's iid-normal (1 + ŝ²/2) / n. Default false.
   */
  nonNormal?: boolean;
}

/** The result of {@link sharpeInference}. */
export interface SharpeInference {
  /** Per-period Sharpe ratio ŝ = mean excess return / sample std (n − 1), as `lib/eval`'s `sharpeRatio`. */
  perPeriodSharpe: number;
  /** Standard error of ŝ: √((1 + ŝ²/2) / n) (Lo 2002, iid normal), or Mertens' form with `nonNormal`. */
  perPeriodStandardError: number;
  /** Annualisation factor: √q, or Lo's η(q) with `autocorrelation`. */
  annualisationFactor: number;
  /** Annualised Sharpe ratio: factor × ŝ. */
  sharpe: number;
  /** Its standard error: factor × per-period standard error. */
  standardError: number;
  /** Lower end of the normal interval sharpe ± z · standardError. */
  lower: number;
  /** Upper end. */
  upper: number;
  /** Returns used. */
  count: number;
}

/** Sample autocorrelation at `lag` (statsmodels' `acf`: autocovariance with divisor n over the variance). */
function autocorrelation(values: Float64Array, lag: number, mean: number, variance: number): number {
  let sum = 0;
  for (let t = lag; t < values.length; t++) sum += (values[t] - mean) * (values[t - lag] - mean);
  return sum / values.length / variance;
}

/**
 * Lo's (2002) standard error and confidence interval of an annualised Sharpe ratio from periodic returns:
 * iid by default; `autocorrelation` applies his η(q) annualisation for serially correlated returns (the
 * standard error is scaled by the same factor, treating η as known — his eq. 17 without the GMM term).
 *
 * @example
 * ```ts
 * import { sharpeInference } from "./sharpe_inference.ts";
 * const returns = [0.01, -0.004, 0.006, 0.002, -0.001, 0.008, -0.003, 0.004];
 * const { sharpe, lower, upper } = sharpeInference(returns);
 * // sharpe ≈ 8.5 annualised, but the 95% interval runs from about −3.3 to 20: eight days say little
 * ```
 */
export function sharpeInference(returns: ArrayLike<number>, args: SharpeInferenceArgs = {}): SharpeInference {
  const q = args.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  if (typeof args.riskFreeRate === "object") {
    // A series: the same computation on the excess returns.
    return sharpeInference(excessReturns(returns, args.riskFreeRate, q), { ...args, riskFreeRate: 0 });
  }
  const riskFree = (args.riskFreeRate ?? 0) / q;
  const confidence = args.confidence ?? 0.95;
  const n = returns.length;
  if (n < 3) throw new RangeError(`sharpeInference: needs at least 3 returns, got ${n}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`sharpeInference: confidence must be in (0, 1), got ${confidence}`);
  }
  const excess = new Float64Array(n);
  let mean = 0;
  for (let t = 0; t < n; t++) {
    excess[t] = returns[t] - riskFree;
    mean += excess[t];
  }
  mean /= n;
  let squares = 0;
  for (let t = 0; t < n; t++) squares += (excess[t] - mean) ** 2;
  const std = Math.sqrt(squares / (n - 1));
  const s = std === 0 ? NaN : mean / std;
  let variance = 1 + (s * s) / 2;
  if (args.nonNormal) {
    variance += -sampleSkewness(excess) * s + ((sampleKurtosis(excess) - 3) * s * s) / 4;
  }
  const perPeriodStandardError = Math.sqrt(variance / n);
  let factor = Math.sqrt(q);
  if (args.autocorrelation) {
    const lags = Math.min(args.autocorrelationLags ?? q - 1, q - 1, n - 1);
    const biasedVariance = squares / n;
    let sum = q;
    for (let k = 1; k <= lags; k++) sum += 2 * (q - k) * autocorrelation(excess, k, mean, biasedVariance);
    factor = sum > 0 ? q / Math.sqrt(sum) : NaN;
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const sharpe = factor * s, standardError = factor * perPeriodStandardError;
  return {
    perPeriodSharpe: s,
    perPeriodStandardError,
    annualisationFactor: factor,
    sharpe,
    standardError,
    lower: sharpe - z * standardError,
    upper: sharpe + z * standardError,
    count: n,
  };
}

/** Options of {@link sharpeDifferenceBootstrap}: the bootstrap's and the Sharpe ratio's. */
export interface SharpeDifferenceArgs extends BlockBootstrapArgs {
  /** Periods per year. Default 252. */
  periodsPerYear?: number;
  /** Annual risk-free rate, a number or one per return (the same for both series). Default 0. */
  riskFreeRate?: number | ArrayLike<number>;
}

/**
 * Paired date-block bootstrap of the annualised Sharpe ratio of `returns` minus that of `benchmark` over
 * the same days (the same dates drawn for both, keeping their correlation). `shareAtMostZero` is the
 * bootstrap p of "the strategy's Sharpe ratio is higher".
 *
 * @example
 * ```ts
 * import { sharpeDifferenceBootstrap } from "./sharpe_inference.ts";
 * const strategy = [0.01, -0.004, 0.006, 0.002, -0.001, 0.008, -0.003, 0.004];
 * const index = [0.008, -0.006, 0.004, 0.003, -0.002, 0.006, -0.004, 0.001];
 * const result = sharpeDifferenceBootstrap(strategy, index, { seed: 7, resamples: 400, blockLength: 2 });
 * result.estimate; // Sharpe difference on the days as they are
 * ```
 */
export function sharpeDifferenceBootstrap(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  args: SharpeDifferenceArgs = {},
): BlockBootstrapResult {
  if (returns.length !== benchmark.length) {
    throw new RangeError(
      `sharpeDifferenceBootstrap: ${returns.length} returns vs ${benchmark.length} benchmark returns`,
    );
  }
  const q = args.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  if (typeof args.riskFreeRate === "object") {
    return sharpeDifferenceBootstrap(
      excessReturns(returns, args.riskFreeRate, q),
      excessReturns(benchmark, args.riskFreeRate, q),
      { ...args, riskFreeRate: 0 },
    );
  }
  const riskFree = (args.riskFreeRate ?? 0) / q;
  const scale = Math.sqrt(q);
  const sharpeOf = (series: ArrayLike<number>, rows: Int32Array) => {
    const n = rows.length;
    let mean = 0;
    for (let index = 0; index < n; index++) mean += series[rows[index]];
    mean = mean / n - riskFree;
    let squares = 0;
    for (let index = 0; index < n; index++) squares += (series[rows[index]] - riskFree - mean) ** 2;
    const std = Math.sqrt(squares / (n - 1));
    return std === 0 ? NaN : (mean / std) * scale;
  };
  return dateBlockBootstrap(
    returns.length,
    (rows) => sharpeOf(returns, rows) - sharpeOf(benchmark, rows),
    args,
  );
}
