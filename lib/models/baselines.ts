/**
 * Naive forecasts every model must beat, computed from real prices on chosen target days.
 */

/**
 * Persistence: the forecast for day t is the close of day t − 1 ("tomorrow = today"). For a next-day
 * forecast made after day t's close this is today's close; for the paper's same-day fit it is
 * yesterday's close.
 *
 * @param closes real closes of every day.
 * @param targetDays the days to forecast (each ≥ 1).
 * @example
 * ```ts
 * import { persistenceForecast } from "./baselines.ts";
 * persistenceForecast([10, 11, 12], [1, 2]); // Float64Array [10, 11]
 * ```
 */
export function persistenceForecast(closes: ArrayLike<number>, targetDays: ArrayLike<number>): Float64Array {
  const result = new Float64Array(targetDays.length);
  for (let index = 0; index < targetDays.length; index++) {
    const day = targetDays[index];
    if (!Number.isInteger(day) || day < 1 || day >= closes.length) {
      throw new RangeError(
        `persistenceForecast: target day ${day} has no previous close (${closes.length} days)`,
      );
    }
    result[index] = closes[day - 1];
  }
  return result;
}

/**
 * Same-day mid-range: the forecast of day t's close is (high[t] + low[t]) / 2. Only fair for the
 * paper's same-day setting, where day t's high and low are model inputs too; in a next-day forecast it
 * would read the future.
 *
 * @example
 * ```ts
 * import { midRangeForecast } from "./baselines.ts";
 * midRangeForecast([12, 14], [10, 11], [0, 1]); // Float64Array [11, 12.5]
 * ```
 */
export function midRangeForecast(
  highs: ArrayLike<number>,
  lows: ArrayLike<number>,
  targetDays: ArrayLike<number>,
): Float64Array {
  if (highs.length !== lows.length) {
    throw new RangeError(`midRangeForecast: ${highs.length} highs but ${lows.length} lows`);
  }
  const result = new Float64Array(targetDays.length);
  for (let index = 0; index < targetDays.length; index++) {
    const day = targetDays[index];
    if (!Number.isInteger(day) || day < 0 || day >= highs.length) {
      throw new RangeError(`midRangeForecast: target day ${day} is outside 0..${highs.length - 1}`);
    }
    result[index] = (highs[day] + lows[day]) / 2;
  }
  return result;
}
