/**
 * The newest window of each stock, built exactly as {@link EquiNetWindows} builds training windows,
 * for prediction: no label exists yet (the next days have not happened).
 */
import {
  EQUINET_COLUMNS,
  EQUINET_FEATURE_COUNT,
  type EquiNetStock,
  normaliseByOwnPast,
  type WindowBatch,
  zScoreColumn,
} from "./equinet_windows.ts";

/** Options of {@link latestWindows}. */
export interface LatestWindowArgs {
  /**
   * How the model's training windows were normalised: `"corrected"` (each window by its own past)
   * or `"published"` (each column z-scored over the stock's whole file, as the original). Default
   * `"corrected"`.
   */
  mode?: "published" | "corrected";
  /** Days per window (the model's context). Default 60. */
  contextDays?: number;
  /**
   * Left-pad each window to this many steps with a 0 mask, as training and evaluation batches pad
   * shorter windows of a random-context model (`EquiNetWindows.batch` `padToDays`: its
   * `maxContextDays`). At least `contextDays`. Default `contextDays` (no padding).
   */
  padToDays?: number;
}

/**
 * One window per stock ending on its last row, left-padded like training batches (to `padToDays`). Labels are −1
 * and future returns NaN: they are unknown at prediction time.
 *
 * @throws RangeError naming the stock when it has fewer rows than `contextDays`, or a non-finite
 * value or non-positive close inside the window.
 * @example
 * ```ts
 * import { latestWindows } from "./equinet_latest_window.ts";
 * declare const stock: import("./equinet_windows.ts").EquiNetStock;
 * const batch = latestWindows([stock], { mode: "corrected", contextDays: 60, padToDays: 100 });
 * ```
 */
export function latestWindows(stocks: readonly EquiNetStock[], args: LatestWindowArgs = {}): WindowBatch {
  const mode = args.mode ?? "corrected";
  const contextDays = args.contextDays ?? 60;
  if (mode !== "published" && mode !== "corrected") {
    throw new RangeError(
      `latestWindows: mode must be "published" or "corrected", got ${JSON.stringify(mode)}`,
    );
  }
  if (!Number.isInteger(contextDays) || contextDays < 1) {
    throw new RangeError(`latestWindows: contextDays must be a positive integer, got ${contextDays}`);
  }
  const steps = args.padToDays ?? contextDays;
  if (!Number.isInteger(steps) || steps < contextDays) {
    throw new RangeError(
      `latestWindows: padToDays must be an integer ≥ contextDays ${contextDays}, got ${steps}`,
    );
  }
  const offset = steps - contextDays;
  const size = stocks.length;
  const features = EQUINET_FEATURE_COUNT;
  const inputs = new Float32Array(size * steps * features);
  const mask = new Float32Array(size * steps);
  stocks.forEach((stock, item) => {
    const rows = stock.dates.length;
    if (rows < contextDays) {
      throw new RangeError(
        `stock ${stock.code}: ${rows} rows, the model needs a ${contextDays}-day window`,
      );
    }
    const start = rows - contextDays;
    for (let row = start; row < rows; row++) {
      for (const column of EQUINET_COLUMNS) {
        if (!Number.isFinite(stock[column][row])) {
          throw new RangeError(
            `stock ${stock.code}: row ${row + 2}, column ${column}: value ${
              stock[column][row]
            } is not finite`,
          );
        }
      }
      if (!(stock.end[row] > 0)) {
        throw new RangeError(
          `stock ${stock.code}: row ${row + 2}, column end: close ${stock.end[row]} must be > 0`,
        );
      }
    }
    const base = (item * steps + offset) * features;
    mask.fill(1, item * steps + offset, (item + 1) * steps);
    if (mode === "corrected") {
      normaliseByOwnPast(stock, start, rows - 1, inputs, base);
    } else {
      const zScored = EQUINET_COLUMNS.map((column) => zScoreColumn(stock[column]));
      for (let day = 0; day < contextDays; day++) {
        for (let feature = 0; feature < features; feature++) {
          inputs[base + day * features + feature] = zScored[feature][start + day];
        }
      }
    }
  });
  return {
    size,
    steps,
    features,
    inputs,
    mask,
    lengths: new Int32Array(size).fill(contextDays),
    labels: new Int32Array(size).fill(-1),
    futureReturns: new Float32Array(size).fill(NaN),
    futureVolatility: new Float32Array(size).fill(NaN),
    refs: stocks.map((stock, stockIndex) => ({
      stockIndex,
      endIndex: stock.dates.length - 1,
      contextDays,
    })),
  };
}
