/**
 * The deflated Sharpe ratio of Bailey & López de Prado (2014): the probability that a strategy's true
 * Sharpe ratio is above zero once the best of many trials was picked, with non-normal returns.
 */
import { normalCdf, normalQuantile } from "./normal.ts";

const EULER_MASCHERONI = 0.57721566490153286;

/** Options of {@link probabilisticSharpeRatio}. */
export interface ProbabilisticSharpeArgs {
  /** Skewness γ₃ of the returns. Default 0. */
  skewness?: number;
  /** Kurtosis γ₄ of the returns (not excess: 3 for normal). Default 3. */
  kurtosis?: number;
}

/**
 * Probabilistic Sharpe ratio: Φ((ŝ − s*) √(T − 1) / √(1 − γ₃ŝ + (γ₄ − 1)ŝ²/4)), the probability that the
 * true per-period Sharpe ratio exceeds `benchmarkSharpe` given the estimate ŝ from `length` returns. Both
 * ratios per period (not annualised).
 *
 * @example
 * ```ts
 * import { probabilisticSharpeRatio } from "./deflated_sharpe.ts";
 * probabilisticSharpeRatio(0.1, 0, 250); // ≈ 0.94
 * ```
 */
export function probabilisticSharpeRatio(
  sharpe: number,
  benchmarkSharpe: number,
  length: number,
  args: ProbabilisticSharpeArgs = {},
): number {
  const skewness = args.skewness ?? 0, kurtosis = args.kurtosis ?? 3;
  if (!(length > 1)) throw new RangeError(`probabilisticSharpeRatio: needs length > 1, got ${length}`);
  const denominator = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(denominator > 0)) return NaN;
  return normalCdf(((sharpe - benchmarkSharpe) * Math.sqrt(length - 1)) / Math.sqrt(denominator));
}

/**
 * Expected maximum of `trials` Sharpe ratios with true value 0 and variance `trialSharpeVariance`:
 * √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), γ the Euler–Mascheroni constant; 0 for one trial.
 *
 * @example
 * ```ts
 * import { expectedMaximumSharpe } from "./deflated_sharpe.ts";
 * expectedMaximumSharpe(100, 0.5 / 250); // ≈ 0.113 per day: what the best of 100 worthless trials shows
 * ```
 */
export function expectedMaximumSharpe(trials: number, trialSharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`expectedMaximumSharpe: trials must be an integer ≥ 1, got ${trials}`);
  }
  if (!(trialSharpeVariance >= 0)) {
    throw new RangeError(`expectedMaximumSharpe: variance must be ≥ 0, got ${trialSharpeVariance}`);
  }
  if (trials === 1) return 0;
  return Math.sqrt(trialSharpeVariance) * ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) +
    EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E)));
}

/** Inputs of {@link deflatedSharpeRatio}. */
export interface DeflatedSharpeArgs extends ProbabilisticSharpeArgs {
  /** Number of independent trials N the strategy was selected from (required). */
  trials: number;
  /** Variance across the trials of their per-period Sharpe ratios, V[ŝₙ] (required). */
  trialSharpeVariance: number;
  /** Number of returns T behind the selected Sharpe ratio (required). */
  length: number;
}

/** The result of {@link deflatedSharpeRatio}. */
export interface DeflatedSharpe {
  /** The deflated Sharpe ratio, a probability: PSR against {@link expectedMaxSharpe}. */
  deflatedSharpe: number;
  /** SR₀: the per-period Sharpe ratio the best of N worthless trials is expected to show. */
  expectedMaxSharpe: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014): the probabilistic Sharpe ratio of the selected
 * strategy's per-period Sharpe ratio against SR₀ = {@link expectedMaximumSharpe}(N, V), correcting for
 * the selection among N trials, for skewness, kurtosis and the sample length T. Above 0.95: significant
 * at 5% after the search. Sharpe ratios and their variance per period (not annualised).
 *
 * @example
 * ```ts
 * import { deflatedSharpeRatio } from "./deflated_sharpe.ts";
 * // The paper's example: annualised SR 2.5 and trial variance 0.5 over 5 years of days, 100 trials.
 * const result = deflatedSharpeRatio(2.5 / Math.sqrt(250), {
 *   trials: 100, trialSharpeVariance: 0.5 / 250, length: 1250, skewness: -3, kurtosis: 10,
 * });
 * result.deflatedSharpe; // ≈ 0.90: not significant at 5% after 100 trials
 * ```
 */
export function deflatedSharpeRatio(sharpe: number, args: DeflatedSharpeArgs): DeflatedSharpe {
  const expectedMaxSharpe = expectedMaximumSharpe(args.trials, args.trialSharpeVariance);
  return {
    deflatedSharpe: probabilisticSharpeRatio(sharpe, expectedMaxSharpe, args.length, args),
    expectedMaxSharpe,
  };
}
