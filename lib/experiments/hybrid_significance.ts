/**
 * Diebold–Mariano on a panel of forecasts (many stocks, one forecast each per day): the loss
 * differential is averaged over the stocks of each day first, so the test runs on one daily series and
 * the long-run variance covers the overlap of multi-day targets (horizon h), while stocks of one day —
 * which move together — count once.
 */
import {
  type DeflatedSharpe,
  deflatedSharpeRatio,
  dieboldMarianoFromDifferential,
  type ForecastLoss,
  lossDifferential,
  sampleKurtosis,
  sampleSkewness,
} from "../stats/mod.ts";
import { excessReturns } from "../eval/mod.ts";

/** Options of {@link panelDieboldMariano}. */
export interface PanelDieboldMarianoArgs {
  /** Loss of a forecast error. Default `"squared"`. */
  loss?: ForecastLoss;
  /** Forecast horizon in days (5 for 5-day returns). Default 1. */
  horizon?: number;
}

/** Result of {@link panelDieboldMariano}. */
export interface PanelDieboldMariano {
  /** Days in the daily series. */
  days: number;
  /** HLN-corrected statistic: negative when forecast A's losses are smaller. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Mean daily loss differential (A − B). */
  meanDifferential: number;
}

/**
 * DM (HLN) of forecast A against forecast B over a panel: `day[i]` is the day of forecast i.
 *
 * @example
 * ```ts
 * import { panelDieboldMariano } from "./hybrid_significance.ts";
 * const actual = [0.01, -0.02, 0.03, 0.00, 0.02, -0.01];
 * const day = [0, 0, 1, 1, 2, 2];
 * panelDieboldMariano(actual, actual, [0, 0, 0, 0, 0, 0], day).days; // 3
 * ```
 */
export function panelDieboldMariano(
  actual: ArrayLike<number>,
  forecastA: ArrayLike<number>,
  forecastB: ArrayLike<number>,
  day: ArrayLike<number>,
  args: PanelDieboldMarianoArgs = {},
): PanelDieboldMariano {
  if (day.length !== actual.length) {
    throw new RangeError(`panelDieboldMariano: ${day.length} days for ${actual.length} forecasts`);
  }
  const differential = lossDifferential(actual, forecastA, forecastB, args.loss ?? "squared");
  const sums = new Map<number, { sum: number; count: number }>();
  for (let index = 0; index < differential.length; index++) {
    const entry = sums.get(day[index]) ?? { sum: 0, count: 0 };
    entry.sum += differential[index];
    entry.count++;
    sums.set(day[index], entry);
  }
  const daily = [...sums.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry.sum / entry.count);
  const test = dieboldMarianoFromDifferential(daily, { horizon: args.horizon ?? 1 });
  return {
    days: daily.length,
    statistic: test.statistic,
    pValue: test.pValue,
    meanDifferential: daily.reduce((sum, value) => sum + value, 0) / daily.length,
  };
}

/** Result of {@link searchDeflatedSharpe}. */
export interface SearchDeflatedSharpe extends DeflatedSharpe {
  /** Trials whose validation books entered (every stored trial with a finite Sharpe ratio). */
  trials: number;
  /** The chosen trial's daily Sharpe ratio over the risk-free rate, and annualised (× √252). */
  sharpe: { daily: number; annualised: number };
  /** Variance of the trials' daily Sharpe ratios (V of the deflation). */
  trialSharpeVariance: number;
  /** Days of the chosen trial's validation book. */
  days: number;
}

/**
 * The deflated Sharpe ratio of the search's chosen trial: its validation book's daily Sharpe ratio (over the
 * risk-free rate), deflated for having been picked among every trial the search ran (Bailey & López de
 * Prado: the expected best of N worthless trials with the trials' Sharpe variance), for its returns'
 * skewness and kurtosis and for the number of days. Above 0.95: the chosen book's edge survives the search
 * at 5%.
 *
 * @example
 * ```ts
 * import { searchDeflatedSharpe } from "./hybrid_significance.ts";
 * // searchDeflatedSharpe(trials.map((trial) => trial.validationBacktest.dailyReturns), bestIndex, dailyRiskFreeRates)
 * ```
 */
export function searchDeflatedSharpe(
  trialReturns: readonly (readonly number[])[],
  chosen: number,
  riskFreeRate: ArrayLike<number>,
): SearchDeflatedSharpe {
  const dailySharpe = (returns: readonly number[]) => {
    if (returns.length !== riskFreeRate.length) {
      throw new RangeError(
        `searchDeflatedSharpe: ${returns.length} daily returns but ${riskFreeRate.length} risk-free rates`,
      );
    }
    const excess = Array.from(excessReturns(returns, riskFreeRate, 252));
    const mean = excess.reduce((sum, value) => sum + value, 0) / excess.length;
    const variance = excess.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (excess.length - 1);
    return { excess, sharpe: mean / Math.sqrt(variance) };
  };
  if (!(chosen >= 0 && chosen < trialReturns.length)) {
    throw new RangeError(`searchDeflatedSharpe: chosen trial ${chosen} of ${trialReturns.length}`);
  }
  const sharpes = trialReturns.map(dailySharpe);
  const finite = sharpes.map((entry) => entry.sharpe).filter(Number.isFinite);
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const trialSharpeVariance = finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) /
    (finite.length - 1);
  const { excess, sharpe } = sharpes[chosen];
  const deflated = deflatedSharpeRatio(sharpe, {
    trials: finite.length,
    trialSharpeVariance,
    length: excess.length,
    skewness: sampleSkewness(excess),
    kurtosis: sampleKurtosis(excess),
  });
  return {
    ...deflated,
    trials: finite.length,
    sharpe: { daily: sharpe, annualised: sharpe * Math.sqrt(252) },
    trialSharpeVariance,
    days: excess.length,
  };
}
