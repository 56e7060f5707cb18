/**
 * A few summary numbers per window, for linear baselines: computed only from a window's own
 * (already normalised) inputs, so they inherit the sampler's leakage properties.
 */
import type { WindowBatch } from "./equinet_windows.ts";

/** Names of the columns {@link windowSummaryFeatures} returns, in order. */
export const WINDOW_SUMMARY_NAMES = [
  "close change 1 day",
  "close change 5 days",
  "close change 20 days",
  "close change whole window",
  "daily close change deviation",
  "last day high − low",
  "last day close − open",
  "last day volume",
  "volume, last 5 days mean",
  "index close/open − 1, last day",
  "index close/open − 1, last 5 days mean",
  "index volume, last day",
  "index range, last day",
  "close position in window range",
] as const;

/** A row-major feature matrix. */
export interface FeatureMatrix {
  /** `rows × columns` values. */
  values: Float64Array;
  /** Number of samples. */
  rows: number;
  /** Number of features. */
  columns: number;
  /** Column names. */
  names: readonly string[];
}

/**
 * Summary features of each window in a batch (feature order of EQUINET_COLUMNS: open, high, low,
 * close, volume, index volume, index close/open − 1, index range). Differences of the normalised
 * close column stand in for returns (with corrected windows, close[t] − close[t−k] =
 * (c_t − c_{t−k}) / c_t); look-backs longer than a window use its first day.
 *
 * @example
 * ```ts
 * import { windowSummaryFeatures } from "./window_summary.ts";
 * declare const batch: import("./equinet_windows.ts").WindowBatch;
 * const { values, rows, columns } = windowSummaryFeatures(batch);
 * ```
 */
export function windowSummaryFeatures(batch: WindowBatch): FeatureMatrix {
  const columns = WINDOW_SUMMARY_NAMES.length;
  const values = new Float64Array(batch.size * columns);
  const { steps, features, inputs } = batch;
  for (let item = 0; item < batch.size; item++) {
    const length = batch.lengths[item];
    // value of `feature` `age` days before the window's newest day (age clipped to the window)
    const at = (age: number, feature: number) =>
      inputs[(item * steps + steps - 1 - Math.min(age, length - 1)) * features + feature];
    const close = (age: number) => at(age, 3);
    let sum = 0;
    let sumSquares = 0;
    let low = Infinity;
    let high = -Infinity;
    for (let age = 0; age < length; age++) {
      if (age + 1 < length) {
        const change = close(age) - close(age + 1);
        sum += change;
        sumSquares += change * change;
      }
      low = Math.min(low, at(age, 2));
      high = Math.max(high, at(age, 1));
    }
    const changes = Math.max(1, length - 1);
    const mean = sum / changes;
    const mean5 = (feature: number) => {
      let total = 0;
      const count = Math.min(5, length);
      for (let age = 0; age < count; age++) total += at(age, feature);
      return total / count;
    };
    const row = [
      close(0) - close(1),
      close(0) - close(5),
      close(0) - close(20),
      close(0) - close(length - 1),
      Math.sqrt(Math.max(0, sumSquares / changes - mean * mean)),
      at(0, 1) - at(0, 2),
      close(0) - at(0, 0),
      at(0, 4),
      mean5(4),
      at(0, 6),
      mean5(6),
      at(0, 5),
      at(0, 7),
      high > low ? (close(0) - low) / (high - low) : 0.5,
    ];
    values.set(row, item * columns);
  }
  return { values, rows: batch.size, columns, names: WINDOW_SUMMARY_NAMES };
}
