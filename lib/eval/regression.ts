/**
 * Error metrics for price forecasts, computed on real (de-normalised) prices.
 */

/** All metrics of {@link regressionMetrics}. */
export interface RegressionMetrics {
  /** Number of forecasts scored. */
  count: number;
  /** Mean absolute percentage error, a fraction (0.0109 = 1.09%). */
  mape: number;
  /** Mean absolute error, in the target's units. */
  mae: number;
  /** Root mean squared error, in the target's units. */
  rmse: number;
  /** Share of days whose predicted move (vs `reference`) has the actual move's sign; NaN without reference. */
  directionAccuracy: number;
}

function checkLengths(name: string, actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${name}: ${actual.length} actual values but ${predicted.length} predictions`);
  }
  if (actual.length === 0) throw new RangeError(`${name}: no values to score`);
}

function checkFinite(name: string, label: string, values: ArrayLike<number>): void {
  for (let index = 0; index < values.length; index++) {
    if (!Number.isFinite(values[index])) {
      throw new RangeError(`${name}: ${label} at index ${index} is ${values[index]}`);
    }
  }
}

/**
 * MAPE = mean(|ŷ − y| / |y|), as a fraction — the paper's metric (式 9). Scores real prices only:
 * a zero actual value is an error (a sign of normalised input).
 *
 * @example
 * ```ts
 * import { meanAbsolutePercentageError } from "./regression.ts";
 * meanAbsolutePercentageError([100, 200], [110, 190]); // (0.1 + 0.05) / 2 = 0.075
 * ```
 */
export function meanAbsolutePercentageError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const name = "meanAbsolutePercentageError";
  checkLengths(name, actual, predicted);
  checkFinite(name, "prediction", predicted);
  let sum = 0;
  for (let index = 0; index < actual.length; index++) {
    const value = actual[index];
    if (!Number.isFinite(value) || value === 0) {
      throw new RangeError(
        `${name}: actual value at index ${index} is ${value}; MAPE needs real, non-zero values`,
      );
    }
    sum += Math.abs(predicted[index] - value) / Math.abs(value);
  }
  return sum / actual.length;
}

/**
 * MAE = mean(|ŷ − y|).
 *
 * @example
 * ```ts
 * import { meanAbsoluteError } from "./regression.ts";
 * meanAbsoluteError([1, 2], [2, 4]); // 1.5
 * ```
 */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths("meanAbsoluteError", actual, predicted);
  checkFinite("meanAbsoluteError", "actual value", actual);
  checkFinite("meanAbsoluteError", "prediction", predicted);
  let sum = 0;
  for (let index = 0; index < actual.length; index++) sum += Math.abs(predicted[index] - actual[index]);
  return sum / actual.length;
}

/**
 * RMSE = sqrt(mean((ŷ − y)²)).
 *
 * @example
 * ```ts
 * import { rootMeanSquaredError } from "./regression.ts";
 * rootMeanSquaredError([0, 0], [3, 4]); // sqrt(12.5)
 * ```
 */
export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths("rootMeanSquaredError", actual, predicted);
  checkFinite("rootMeanSquaredError", "actual value", actual);
  checkFinite("rootMeanSquaredError", "prediction", predicted);
  let sum = 0;
  for (let index = 0; index < actual.length; index++) sum += (predicted[index] - actual[index]) ** 2;
  return Math.sqrt(sum / actual.length);
}

/**
 * Share of days where sign(ŷ − reference) equals sign(y − reference), e.g. reference = yesterday's
 * close. A day where the actual move is exactly 0 counts as correct only if the predicted move is 0.
 * Persistence (ŷ = reference) predicts no move and so scores only the flat days.
 *
 * @example
 * ```ts
 * import { directionAccuracy } from "./regression.ts";
 * directionAccuracy([11, 9, 10], [10.5, 10.2, 9], [10, 10, 10]); // up ✓, down ✗, flat ✗ → 1/3
 * ```
 */
export function directionAccuracy(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  reference: ArrayLike<number>,
): number {
  const name = "directionAccuracy";
  checkLengths(name, actual, predicted);
  checkLengths(name, actual, reference);
  checkFinite(name, "actual value", actual);
  checkFinite(name, "prediction", predicted);
  checkFinite(name, "reference", reference);
  let correct = 0;
  for (let index = 0; index < actual.length; index++) {
    if (Math.sign(predicted[index] - reference[index]) === Math.sign(actual[index] - reference[index])) {
      correct++;
    }
  }
  return correct / actual.length;
}

/**
 * MAPE, MAE, RMSE and (given a reference such as the previous close) direction accuracy at once.
 *
 * @example
 * ```ts
 * import { regressionMetrics } from "./regression.ts";
 * const metrics = regressionMetrics([100, 200], [110, 190], [95, 195]);
 * // metrics.mape 0.075, metrics.mae 10, metrics.rmse 10, metrics.directionAccuracy 0.5
 * ```
 */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  reference?: ArrayLike<number>,
): RegressionMetrics {
  return {
    count: actual.length,
    mape: meanAbsolutePercentageError(actual, predicted),
    mae: meanAbsoluteError(actual, predicted),
    rmse: rootMeanSquaredError(actual, predicted),
    directionAccuracy: reference ? directionAccuracy(actual, predicted, reference) : NaN,
  };
}
