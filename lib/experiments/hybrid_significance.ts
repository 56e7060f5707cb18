/**
 * Diebold–Mariano on a panel of forecasts (many stocks, one forecast each per day): the loss
 * differential is averaged over the stocks of each day first, so the test runs on one daily series and
 * the long-run variance covers the overlap of multi-day targets (horizon h), while stocks of one day —
 * which move together — count once.
 */
import { dieboldMarianoFromDifferential, type ForecastLoss, lossDifferential } from "../stats/mod.ts";

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
