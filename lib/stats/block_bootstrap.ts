/**
 * The date-block bootstrap: resample whole dates, in blocks of consecutive dates, so that what happens on
 * one day (every stock's window of that date) and serial dependence across nearby days stay together.
 */
import { createRandom, type Random } from "../random/mod.ts";

/** Options of {@link dateBlockBootstrap}. */
export interface BlockBootstrapArgs {
  /** Seed of the resampling stream (through `createRandom`). Default 0. */
  seed?: number;
  /** Number of bootstrap resamples. Default 2000. */
  resamples?: number;
  /**
   * Block length in dates (moving) or mean block length (stationary, geometric lengths). Default
   * ⌈n^{1/3}⌉ for n dates, at least 1.
   */
  blockLength?: number;
  /**
   * `"moving"` (default): ⌈n / L⌉ blocks of L consecutive dates, starts uniform in 0..n − L, cut to n
   * dates (Künsch 1989). `"stationary"`: blocks of geometric length with mean L, wrapping round the end
   * (Politis & Romano 1994).
   */
  scheme?: "moving" | "stationary";
  /** Level of the percentile interval. Default 0.95. */
  confidence?: number;
}

/** The result of {@link dateBlockBootstrap}. */
export interface BlockBootstrapResult {
  /** The statistic on the data as they are (every row once, in order). */
  estimate: number;
  /** Lower end of the percentile interval (linear interpolation between order statistics, NumPy's default). */
  lower: number;
  /** Upper end of the percentile interval. */
  upper: number;
  /** Share of resamples whose statistic is ≤ 0: the one-sided bootstrap p of "the statistic is > 0". */
  shareAtMostZero: number;
  /** Standard deviation (n − 1) of the resampled statistics. */
  standardError: number;
  /** Resamples whose statistic was NaN (e.g. a Sharpe ratio with no spread): left out of the above. */
  invalidResamples: number;
  /** Every resampled statistic, in draw order. */
  resampled: Float64Array;
  /** Dates (resampling units). */
  dates: number;
  /** Block length used. */
  blockLength: number;
  /** Scheme used. */
  scheme: "moving" | "stationary";
  /** Level of the interval. */
  confidence: number;
}

/** Rows grouped by date, dates in ascending order. */
interface DateGroups {
  /** Rows of the k-th date. */
  rows: Int32Array[];
  /** Total rows. */
  rowCount: number;
}

function groupRows(units: number | readonly (string | number)[]): DateGroups {
  if (typeof units === "number") {
    if (!Number.isInteger(units) || units < 1) {
      throw new RangeError(`dateBlockBootstrap: needs ≥ 1 row, got ${units}`);
    }
    return { rows: Array.from({ length: units }, (_, index) => Int32Array.of(index)), rowCount: units };
  }
  if (units.length === 0) throw new RangeError("dateBlockBootstrap: no rows");
  const byDate = new Map<string | number, number[]>();
  units.forEach((date, row) => {
    const list = byDate.get(date);
    if (list) list.push(row);
    else byDate.set(date, [row]);
  });
  const keys = [...byDate.keys()].sort((a, b) =>
    typeof a === "number" && typeof b === "number"
      ? a - b
      : String(a) < String(b)
      ? -1
      : String(a) > String(b)
      ? 1
      : 0
  );
  return { rows: keys.map((key) => Int32Array.from(byDate.get(key)!)), rowCount: units.length };
}

/**
 * One resample of date positions 0..n − 1 by blocks (the draw {@link dateBlockBootstrap} makes each time).
 *
 * @example
 * ```ts
 * import { createRandom } from "../random/mod.ts";
 * import { blockResampleDates } from "./block_bootstrap.ts";
 * blockResampleDates(10, 3, "moving", createRandom(1)); // e.g. Int32Array [4,5,6, 0,1,2, 7,8,9, 2]
 * ```
 */
export function blockResampleDates(
  dates: number,
  blockLength: number,
  scheme: "moving" | "stationary",
  random: Random,
): Int32Array {
  const picked = new Int32Array(dates);
  if (scheme === "moving") {
    const length = Math.min(blockLength, dates);
    const starts = dates - length + 1;
    for (let filled = 0; filled < dates;) {
      const start = random.int(starts);
      for (let step = 0; step < length && filled < dates; step++) picked[filled++] = start + step;
    }
  } else {
    const restart = 1 / blockLength;
    let current = random.int(dates);
    picked[0] = current;
    for (let filled = 1; filled < dates; filled++) {
      current = random.uniform() < restart ? random.int(dates) : (current + 1) % dates;
      picked[filled] = current;
    }
  }
  return picked;
}

/**
 * Quantile with linear interpolation between order statistics of an ascending array (NumPy's default).
 *
 * @example
 * ```ts
 * import { sortedQuantile } from "./block_bootstrap.ts";
 * sortedQuantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function sortedQuantile(sorted: ArrayLike<number>, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position), above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Date-block bootstrap of a statistic, typically a metric difference (model − baseline) where above 0
 * means the model is better. `units` is either the number of rows (one row per date, in date order) or
 * one date key per row (ISO strings or numbers; rows sharing a date are resampled together, dates in
 * ascending order). Each resample draws dates in blocks of consecutive dates and calls `statistic` with
 * the rows of the drawn dates (a row index may appear several times; the array is reused from call to
 * call, so copy it to keep it). A NaN statistic is left out of the interval and the p (counted in
 * `invalidResamples`). Seeded and deterministic: the same seed gives the identical result.
 *
 * @example
 * ```ts
 * import { dateBlockBootstrap } from "./block_bootstrap.ts";
 * const gain = [0.3, -0.1, 0.4, 0.2, 0.1, -0.2, 0.5, 0.3]; // per-day loss(baseline) − loss(model)
 * const mean = (rows: Int32Array) => rows.reduce((sum, row) => sum + gain[row], 0) / rows.length;
 * const result = dateBlockBootstrap(gain.length, mean, { seed: 1, blockLength: 2, resamples: 500 });
 * result.lower; // lower end of the 95% interval of the mean gain
 * result.shareAtMostZero; // bootstrap p of "no gain"
 * ```
 */
export function dateBlockBootstrap(
  units: number | readonly (string | number)[],
  statistic: (rows: Int32Array) => number,
  args: BlockBootstrapArgs = {},
): BlockBootstrapResult {
  const groups = groupRows(units);
  const dates = groups.rows.length;
  const resamples = args.resamples ?? 2000;
  const blockLength = args.blockLength ?? Math.max(1, Math.ceil(Math.cbrt(dates)));
  const scheme = args.scheme ?? "moving";
  const confidence = args.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError(`dateBlockBootstrap: resamples must be an integer ≥ 2, got ${resamples}`);
  }
  if (!(blockLength >= 1) || (scheme === "moving" && !Number.isInteger(blockLength))) {
    throw new RangeError(
      `dateBlockBootstrap: block length must be ≥ 1 (an integer for "moving"), got ${blockLength}`,
    );
  }
  if (scheme !== "moving" && scheme !== "stationary") {
    throw new RangeError(`dateBlockBootstrap: unknown scheme "${scheme}"`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`dateBlockBootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  const random = createRandom(args.seed ?? 0);
  const all = new Int32Array(groups.rowCount);
  {
    let filled = 0;
    for (const rows of groups.rows) for (const row of rows) all[filled++] = row;
  }
  const estimate = statistic(all);
  const resampled = new Float64Array(resamples);
  let buffer = new Int32Array(groups.rowCount);
  for (let draw = 0; draw < resamples; draw++) {
    const picked = blockResampleDates(dates, blockLength, scheme, random);
    let size = 0;
    for (let index = 0; index < dates; index++) size += groups.rows[picked[index]].length;
    if (size > buffer.length) buffer = new Int32Array(size);
    let filled = 0;
    for (let index = 0; index < dates; index++) {
      const rows = groups.rows[picked[index]];
      for (let row = 0; row < rows.length; row++) buffer[filled++] = rows[row];
    }
    resampled[draw] = statistic(buffer.subarray(0, size));
  }
  const valid = resampled.filter((value) => !Number.isNaN(value));
  const sorted = Float64Array.from(valid).sort();
  const count = valid.length;
  let atMostZero = 0, mean = 0;
  for (let index = 0; index < count; index++) {
    if (valid[index] <= 0) atMostZero++;
    mean += valid[index];
  }
  mean /= count;
  let squares = 0;
  for (let index = 0; index < count; index++) squares += (valid[index] - mean) ** 2;
  const alpha = 1 - confidence;
  return {
    estimate,
    lower: count === 0 ? NaN : sortedQuantile(sorted, alpha / 2),
    upper: count === 0 ? NaN : sortedQuantile(sorted, 1 - alpha / 2),
    shareAtMostZero: count === 0 ? NaN : atMostZero / count,
    standardError: count < 2 ? NaN : Math.sqrt(squares / (count - 1)),
    invalidResamples: resamples - count,
    resampled,
    dates,
    blockLength,
    scheme,
    confidence,
  };
}
