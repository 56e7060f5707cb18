/**
 * EquiNet's window sampler: cuts (context window → 3-day label) samples out of per-stock daily
 * bars, either exactly as the original published code did (leaky) or with a corrected,
 * chronological pipeline.
 *
 * Windows are left-padded: the newest day of every window sits at the last time step, and padded
 * (earlier) steps are marked 0 in the mask.
 */
import { EQUINET_HEADERS } from "../data/spreadsheet.ts";
import type { Random } from "../random/mod.ts";
import { PythonRandom } from "../random/mod.ts";
import { EXACT_THRESHOLD_TOLERANCE, threeDayLabels, zScoreBugLabels } from "./labels.ts";
import { type CorporateActionDay, corporateActionDays } from "./corporate_actions.ts";

const [, ...INPUT_HEADERS] = EQUINET_HEADERS;
/** The eight input columns — EquiNet's file columns after `time` — in a window's feature-axis order. */
export const EQUINET_COLUMNS: typeof INPUT_HEADERS = INPUT_HEADERS;
/** One of {@link EQUINET_COLUMNS}: open, high, low, close, volume, index volume, index close/open − 1, index high − low. */
export type EquiNetColumn = typeof EQUINET_COLUMNS[number];
/** Number of features per day (8). */
export const EQUINET_FEATURE_COUNT: number = EQUINET_COLUMNS.length;

/** One stock's daily bars: a date per row (`YYYY-MM-DD`, ascending) and one Float64Array per column. */
export type EquiNetStock = { code: string; dates: readonly string[] } & Record<EquiNetColumn, Float64Array>;

/** Name of a segment windows are drawn from. */
export type SegmentName = "train" | "validation" | "test";

/** Options of {@link EquiNetWindows}. */
export interface EquiNetWindowArgs {
  /**
   * `"published"`: the original code (LEAKY): each stock's columns z-scored over all its days,
   * stocks split into train/test files, same calendar dates on both sides.
   * `"corrected"`: chronological split across all stocks, each window normalised by its own past.
   * Default `"corrected"`.
   */
  mode?: "published" | "corrected";
  /**
   * `"fixed"`: every window has `contextDays` days ("as published": 60).
   * `"random"`: each window draws a length uniformly in `minContextDays..maxContextDays`
   * ("as designed": the author's prompt asked for 20..100; the published code never did it).
   * Default `"fixed"`.
   */
  context?: "fixed" | "random";
  /** Length of fixed windows, in trading days. Default 60. */
  contextDays?: number;
  /** Shortest random window, in trading days. Default 20. */
  minContextDays?: number;
  /** Longest random window, in trading days. Default 100. */
  maxContextDays?: number;
  /** Days from a window's last close to the labelled close. Default 3. */
  horizonDays?: number;
  /** Return at or above which the label is up. Default +0.03. */
  upThreshold?: number;
  /** Return at or below which the label is down. Default −0.02. */
  downThreshold?: number;
  /**
   * `"real"`: labels from real closes ({@link threeDayLabels}).
   * `"zscore-bug"`: the original's labels from z-scored closes ({@link zScoreBugLabels}); only
   * allowed in `"published"` mode. Default `"zscore-bug"` when published, `"real"` when corrected.
   */
  labels?: "real" | "zscore-bug";
  /**
   * Published mode: share of stock files held out as test: max(1, floor(stocks × share)), as the
   * original's `max(1, int(len(all_files) * test_ratio))`. Default 0.1 (31 of EquiNet's 319).
   */
  testStockShare?: number;
  /**
   * Published mode: the `random.seed` of the original's Python split, a non-negative integer: the
   * test stocks are those CPython's `random.sample` picks from the stocks sorted by code (= by file
   * name), replayed by {@link PythonRandom}. Default 42 (the original's).
   */
  splitSeed?: number;
  /**
   * Corrected mode: first calendar date (`YYYY-MM-DD`) of the test segment. Default: the date
   * where the last `testDateShare` of all distinct dates begins.
   */
  testStartDate?: string;
  /** Corrected mode: share of distinct dates (across all stocks) in the test segment. Default 0.2. */
  testDateShare?: number;
  /**
   * Corrected mode: share of distinct dates in a validation segment between train and test: the
   * set to pick the best epoch on, so that the test segment stays untouched. Default 0 (no
   * validation segment).
   */
  validationDateShare?: number;
  /**
   * Real labels: exact threshold moves (2.50 → 2.45 is −2.00%) land on the side the rule says
   * instead of falling to 稳 through float rounding ({@link EXACT_THRESHOLD_TOLERANCE}). Default false.
   */
  exactThresholds?: boolean;
  /**
   * Leave out every window whose inputs or label span a day on which the close moved beyond the
   * board's price limit ({@link corporateActionDays}): on unadjusted prices such a day can only be
   * a corporate action, which makes a false 跌 label or a jump inside the window. The days are
   * listed in {@link EquiNetWindows.corporateActions}. Default false.
   */
  leaveOutCorporateActions?: boolean;
}

/**
 * Resolved options: every field of {@link EquiNetWindowArgs} with its default applied. The two
 * later switches appear only when on, so that resolved options (and the checkpoints that record
 * them) of runs without them stay as they were.
 */
export type ResolvedEquiNetWindowArgs =
  & Required<Omit<EquiNetWindowArgs, "testStartDate" | "exactThresholds" | "leaveOutCorporateActions">>
  & {
    testStartDate: string | undefined;
    exactThresholds?: true;
    leaveOutCorporateActions?: true;
  };

/** A segment: which stocks, and the calendar range every used day (inputs and label close) lies in. */
export interface Segment {
  /** Segment name. */
  name: SegmentName;
  /** Indices into the stock list. */
  stockIndices: number[];
  /** First date a window's last day may have (inclusive). */
  fromDate: string;
  /** Last date a labelled close may have (inclusive): last input day + horizon ≤ this. */
  toDate: string;
}

/** One window: the stock, the index of its last input day, and its length in days. */
export interface WindowRef {
  /** Index into the stock list. */
  stockIndex: number;
  /** Row index of the window's last (newest) input day; the label reads `endIndex + horizonDays`. */
  endIndex: number;
  /** Number of input days. */
  contextDays: number;
}

/** A batch of windows as flat typed arrays (row-major), ready for a tensor. */
export interface WindowBatch {
  /** Number of windows. */
  size: number;
  /** Time steps per window after padding. */
  steps: number;
  /** Features per step (8). */
  features: number;
  /** `size × steps × features`, left-padded with zeros. */
  inputs: Float32Array;
  /** `size × steps`: 1 where a real day, 0 where padding. */
  mask: Float32Array;
  /** Real length of each window. */
  lengths: Int32Array;
  /** Class per window: UP 0, DOWN 1, FLAT 2. */
  labels: Int32Array;
  /** Realised return close[t + h] / close[t] − 1 on real prices (a target, never an input). */
  futureReturns: Float32Array;
  /** Population standard deviation of the daily log returns over days t+1..t+h (a target). */
  futureVolatility: Float32Array;
  /** The windows, in batch order. */
  refs: WindowRef[];
}

/** Options of {@link EquiNetWindows.batch}. */
export interface BatchArgs {
  /** Pad every window to this many steps (≥ the longest). Default: the longest window in the batch. */
  padToDays?: number;
}

interface StockCache {
  labels: Int8Array;
  /** Published mode: z-scored columns, one Float64Array per column. */
  zScored?: Float64Array[];
  /** Per segment: [first, last] allowed endIndex (before the context constraint), or null. */
  ranges: Map<SegmentName, [number, number] | null>;
  /** Rows of corporate-action days (only with `leaveOutCorporateActions`). */
  actionRows: number[];
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The window settings with every default applied, checked (a RangeError names a bad setting).
 *
 * @example
 * ```ts
 * import { resolveEquiNetWindowArgs } from "./equinet_windows.ts";
 * const { contextDays, horizonDays } = resolveEquiNetWindowArgs({}); // 60, 3
 * ```
 */
export function resolveEquiNetWindowArgs(args: EquiNetWindowArgs): ResolvedEquiNetWindowArgs {
  const mode = args.mode ?? "corrected";
  const resolved: ResolvedEquiNetWindowArgs = {
    mode,
    context: args.context ?? "fixed",
    contextDays: args.contextDays ?? 60,
    minContextDays: args.minContextDays ?? 20,
    maxContextDays: args.maxContextDays ?? 100,
    horizonDays: args.horizonDays ?? 3,
    upThreshold: args.upThreshold ?? 0.03,
    downThreshold: args.downThreshold ?? -0.02,
    labels: args.labels ?? (mode === "published" ? "zscore-bug" : "real"),
    testStockShare: args.testStockShare ?? 0.1,
    splitSeed: args.splitSeed ?? 42,
    testStartDate: args.testStartDate,
    testDateShare: args.testDateShare ?? 0.2,
    validationDateShare: args.validationDateShare ?? 0,
    ...(args.exactThresholds ? { exactThresholds: true as const } : {}),
    ...(args.leaveOutCorporateActions ? { leaveOutCorporateActions: true as const } : {}),
  };
  if (mode !== "published" && mode !== "corrected") {
    throw new RangeError(
      `EquiNetWindows: mode must be "published" or "corrected", got ${JSON.stringify(mode)}`,
    );
  }
  if (mode === "corrected" && resolved.labels === "zscore-bug") {
    throw new RangeError(
      'EquiNetWindows: labels "zscore-bug" are computed from normalised values; only mode "published" reproduces them',
    );
  }
  for (const key of ["contextDays", "minContextDays", "maxContextDays", "horizonDays"] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`EquiNetWindows: ${key} must be a positive integer, got ${resolved[key]}`);
    }
  }
  if (resolved.minContextDays > resolved.maxContextDays) {
    throw new RangeError(
      `EquiNetWindows: minContextDays ${resolved.minContextDays} > maxContextDays ${resolved.maxContextDays}`,
    );
  }
  if (resolved.testDateShare <= 0 || resolved.testDateShare + resolved.validationDateShare >= 1) {
    throw new RangeError(
      "EquiNetWindows: testDateShare must be > 0 and testDateShare + validationDateShare < 1",
    );
  }
  if (mode === "published" && !(Number.isSafeInteger(resolved.splitSeed) && resolved.splitSeed >= 0)) {
    throw new RangeError(
      `EquiNetWindows: splitSeed must be a non-negative integer (Python's random.seed), got ${resolved.splitSeed}`,
    );
  }
  if (resolved.testStartDate !== undefined && !DATE_PATTERN.test(resolved.testStartDate)) {
    throw new RangeError(`EquiNetWindows: testStartDate must be YYYY-MM-DD, got ${resolved.testStartDate}`);
  }
  return resolved;
}

function validateStock(stock: EquiNetStock): void {
  const rows = stock.dates.length;
  for (const column of EQUINET_COLUMNS) {
    const values = stock[column];
    if (!(values instanceof Float64Array)) {
      throw new TypeError(`stock ${stock.code}: column ${column} must be a Float64Array`);
    }
    if (values.length !== rows) {
      throw new RangeError(
        `stock ${stock.code}: column ${column} has ${values.length} rows, dates have ${rows}`,
      );
    }
  }
  for (let row = 0; row < rows; row++) {
    const date = stock.dates[row];
    // Rows are reported 1-based with the header counted, as a spreadsheet shows them.
    if (!DATE_PATTERN.test(date)) {
      throw new RangeError(
        `stock ${stock.code}: row ${row + 2}, column time: ${JSON.stringify(date)} is not YYYY-MM-DD`,
      );
    }
    if (row > 0 && !(date > stock.dates[row - 1])) {
      throw new RangeError(
        `stock ${stock.code}: row ${row + 2}, column time: ${date} does not follow ${
          stock.dates[row - 1]
        } (dates must increase)`,
      );
    }
    for (const column of EQUINET_COLUMNS) {
      const value = stock[column][row];
      if (!Number.isFinite(value)) {
        throw new RangeError(
          `stock ${stock.code}: row ${row + 2}, column ${column}: value ${value} is not finite`,
        );
      }
    }
    if (!(stock.end[row] > 0)) {
      throw new RangeError(
        `stock ${stock.code}: row ${row + 2}, column end: close ${stock.end[row]} must be > 0`,
      );
    }
  }
}

/**
 * Population z-score of one column (the original's normalisation over a stock's whole history).
 * Exported so that prediction builds published-mode windows exactly as the sampler does.
 *
 * @example
 * ```ts
 * import { zScoreColumn } from "./equinet_windows.ts";
 * zScoreColumn(Float64Array.from([1, 2, 3])); // [−1.22, 0, 1.22]
 * ```
 */
export function zScoreColumn(values: Float64Array): Float64Array {
  const count = values.length;
  let mean = 0;
  for (let index = 0; index < count; index++) mean += values[index];
  mean /= count;
  let variance = 0;
  for (let index = 0; index < count; index++) variance += (values[index] - mean) ** 2;
  const deviation = Math.sqrt(variance / count) || 1;
  const result = new Float64Array(count);
  for (let index = 0; index < count; index++) result[index] = (values[index] - mean) / deviation;
  return result;
}

/**
 * Samples EquiNet windows from a set of stocks.
 *
 * - Published mode (LEAKY, for the reproduction only): each column of each stock is z-scored over
 *   all its days (the statistics read the future), test = the 10% of stock files that Python's
 *   `random.seed(42); random.sample(...)` chose,
 *   train and test cover the same dates, and the default labels are the z-score bug's.
 * - Corrected mode: the distinct dates of all stocks are split in time into train (earliest),
 *   optional validation, and test (latest). A window belongs to a segment when its last input day
 *   is on or after the segment's first date and its labelled close (last day + horizon) is on or
 *   before the segment's last date, so no training label reads a test-period close (the gap
 *   between the last training input day and the first test day is at least `horizonDays`).
 *   Each window is normalised only by its own days: prices ÷ the window's last close − 1,
 *   volumes ÷ the window's mean volume − 1, index volume and index range ÷ their window means − 1,
 *   `marketlimit` (already a daily fraction) as is.
 *
 * Porting note: the published split picks the original's 31 test stocks. The original
 * (hujiyo/EquiNet src/train.py, e6a7f85, `load_and_preprocess_data`) ran
 * `all_files = [f for f in os.listdir(data_dir) if f.endswith('.xlsx')]`, `random.seed(42)`,
 * `test_files = set(random.sample(all_files, max(1, int(len(all_files) * 0.1))))`: it samples the
 * list of file names (processed_XXXXXX.xlsx), k = 31 of 319. The author worked on Windows, where
 * NTFS lists a folder in name order, so the population is the name-sorted file list. Here the
 * stocks are sorted by code (UTF-16 code-unit order), which is file-name order for EquiNet's
 * equal-length six-digit codes, and {@link PythonRandom} replays CPython 3.2+'s `random.sample`
 * (tests/fixtures/python_random/ holds Python's own answer).
 *
 * @example
 * ```ts
 * import { EquiNetWindows } from "./equinet_windows.ts";
 * import { createRandom } from "../random/mod.ts";
 * declare const stocks: import("./equinet_windows.ts").EquiNetStock[];
 * const windows = new EquiNetWindows(stocks, { mode: "corrected", context: "random" });
 * const batch = windows.batch(windows.drawWindows("train", 1000, createRandom(1)));
 * ```
 */
export class EquiNetWindows {
  /** The stocks windows are cut from. */
  readonly stocks: readonly EquiNetStock[];
  /** Options with defaults applied. */
  readonly args: ResolvedEquiNetWindowArgs;
  /** The segments of this split (validation only when `validationDateShare` > 0). */
  readonly segments: ReadonlyMap<SegmentName, Segment>;
  /** With `leaveOutCorporateActions`: every day whose close moved beyond the price limit, by stock. */
  readonly corporateActions: readonly (CorporateActionDay & { code: string })[];
  #cache: StockCache[];

  /**
   * Validates the stocks, splits them into segments and computes labels (and, when published,
   * the leaky z-scores).
   *
   * @throws RangeError naming the stock, row and column of any invalid value.
   */
  constructor(stocks: readonly EquiNetStock[], args: EquiNetWindowArgs = {}) {
    if (stocks.length === 0) throw new RangeError("EquiNetWindows: no stocks given");
    this.args = resolveEquiNetWindowArgs(args);
    this.stocks = stocks;
    for (const stock of stocks) validateStock(stock);
    this.segments = this.args.mode === "published" ? this.#stockSplit() : this.#dateSplit();
    const { horizonDays, upThreshold, downThreshold } = this.args;
    const thresholdTolerance = this.args.exactThresholds ? EXACT_THRESHOLD_TOLERANCE : 0;
    const actions: (CorporateActionDay & { code: string })[] = [];
    this.#cache = stocks.map((stock, stockIndex) => {
      const labelArgs = { horizonDays, upThreshold, downThreshold, thresholdTolerance };
      const days = this.args.leaveOutCorporateActions ? corporateActionDays(stock) : [];
      for (const day of days) actions.push({ ...day, code: stock.code });
      const labels = this.args.labels === "real"
        ? threeDayLabels(stock.end, labelArgs)
        : zScoreBugLabels(stock.end, labelArgs);
      const zScored = this.args.mode === "published"
        ? EQUINET_COLUMNS.map((column) => zScoreColumn(stock[column]))
        : undefined;
      const ranges = new Map<SegmentName, [number, number] | null>();
      for (const segment of this.segments.values()) {
        ranges.set(segment.name, this.#endRange(stock, stockIndex, segment));
      }
      return { labels, zScored, ranges, actionRows: days.map((day) => day.row) };
    });
    this.corporateActions = actions;
  }

  #stockSplit(): Map<SegmentName, Segment> {
    const count = this.stocks.length;
    // The original: test_size = max(1, int(len(all_files) * test_ratio)).
    const testCount = Math.max(1, Math.floor(count * this.args.testStockShare));
    if (testCount >= count) {
      throw new RangeError(`EquiNetWindows: ${count} stocks leave no train stocks`);
    }
    // random.sample over the name-sorted file list; sampling indices picks the same positions.
    const byCode = this.stocks.map((_, index) => index).sort((a, b) => {
      const [left, right] = [this.stocks[a].code, this.stocks[b].code];
      return left < right ? -1 : left > right ? 1 : a - b;
    });
    const isTest = new Set(new PythonRandom(this.args.splitSeed).sample(byCode, testCount));
    const first = this.stocks.reduce(
      (low, stock) => stock.dates[0] < low ? stock.dates[0] : low,
      "9999-12-31",
    );
    const last = this.stocks.reduce(
      (high, stock) => stock.dates.at(-1)! > high ? stock.dates.at(-1)! : high,
      "",
    );
    const test = [...isTest].sort((a, b) => a - b);
    const train = this.stocks.map((_, index) => index).filter((index) => !isTest.has(index));
    return new Map<SegmentName, Segment>([
      ["train", { name: "train", stockIndices: train, fromDate: first, toDate: last }],
      ["test", { name: "test", stockIndices: test, fromDate: first, toDate: last }],
    ]);
  }

  #dateSplit(): Map<SegmentName, Segment> {
    const all = [...new Set(this.stocks.flatMap((stock) => stock.dates))].sort();
    const testStart = this.args.testStartDate ??
      all[Math.floor(all.length * (1 - this.args.testDateShare))];
    const testIndex = all.findIndex((date) => date >= testStart);
    if (testIndex < 0) {
      throw new RangeError(`EquiNetWindows: test start ${testStart} is after the last date ${all.at(-1)}`);
    }
    if (testIndex === 0) {
      throw new RangeError(
        `EquiNetWindows: test start ${testStart} leaves no training dates (dates ${all[0]}..${all.at(-1)})`,
      );
    }
    const validationDays = Math.floor(all.length * this.args.validationDateShare);
    const trainEnd = testIndex - validationDays; // first date after training
    if (trainEnd <= 0) throw new RangeError("EquiNetWindows: validation segment leaves no training dates");
    const everyStock = this.stocks.map((_, index) => index);
    const segments = new Map<SegmentName, Segment>();
    segments.set("train", {
      name: "train",
      stockIndices: everyStock,
      fromDate: all[0],
      toDate: all[trainEnd - 1],
    });
    if (validationDays > 0) {
      segments.set("validation", {
        name: "validation",
        stockIndices: everyStock,
        fromDate: all[trainEnd],
        toDate: all[testIndex - 1],
      });
    }
    segments.set("test", {
      name: "test",
      stockIndices: everyStock,
      fromDate: all[testIndex],
      toDate: all.at(-1)!,
    });
    return segments;
  }

  /** Allowed endIndex range of a stock in a segment: date[t] ≥ from, date[t + h] ≤ to, label defined. */
  #endRange(stock: EquiNetStock, stockIndex: number, segment: Segment): [number, number] | null {
    if (!segment.stockIndices.includes(stockIndex)) return null;
    const horizon = this.args.horizonDays;
    let first = -1;
    let last = -1;
    for (let end = 0; end + horizon < stock.dates.length; end++) {
      if (stock.dates[end] < segment.fromDate || stock.dates[end + horizon] > segment.toDate) continue;
      if (first < 0) first = end;
      last = end;
    }
    return first < 0 ? null : [first, last];
  }

  /**
   * Whether a window (its inputs and its labelled close) spans a corporate-action day: a jump from
   * row − 1 to row with both rows inside `endIndex − contextDays + 1 .. endIndex + horizonDays`.
   */
  #spansCorporateAction(stockIndex: number, endIndex: number, contextDays: number): boolean {
    const rows = this.#cache[stockIndex].actionRows;
    if (rows.length === 0) return false;
    const first = endIndex - contextDays + 2;
    const last = endIndex + this.args.horizonDays;
    return rows.some((row) => row >= first && row <= last);
  }

  /**
   * How many of a segment's fixed-length windows (default `maxContextDays` for random context,
   * else `contextDays`) span a corporate-action day and are left out, of all that fit.
   *
   * @example
   * ```ts
   * declare const windows: import("./equinet_windows.ts").EquiNetWindows;
   * const { leftOut, total } = windows.corporateActionWindows("test");
   * ```
   */
  corporateActionWindows(
    name: SegmentName,
    contextDays: number = this.args.context === "random" ? this.args.maxContextDays : this.args.contextDays,
  ): { leftOut: number; total: number } {
    const segment = this.segment(name);
    let leftOut = 0;
    let total = 0;
    for (const stockIndex of segment.stockIndices) {
      const range = this.#cache[stockIndex].ranges.get(name);
      if (!range) continue;
      for (let end = Math.max(range[0], contextDays - 1); end <= range[1]; end++) {
        total++;
        if (this.#spansCorporateAction(stockIndex, end, contextDays)) leftOut++;
      }
    }
    return { leftOut, total };
  }

  /** The segment, or a clear error if this split has none of that name. */
  segment(name: SegmentName): Segment {
    const segment = this.segments.get(name);
    if (!segment) throw new RangeError(`EquiNetWindows: this split has no ${name} segment`);
    return segment;
  }

  /**
   * Every window of a segment with a fixed length (default `contextDays`), stock by stock, in
   * date order.
   */
  allWindows(name: SegmentName, contextDays: number = this.args.contextDays): WindowRef[] {
    const segment = this.segment(name);
    const refs: WindowRef[] = [];
    for (const stockIndex of segment.stockIndices) {
      const range = this.#cache[stockIndex].ranges.get(name);
      if (!range) continue;
      for (let end = Math.max(range[0], contextDays - 1); end <= range[1]; end++) {
        if (this.#spansCorporateAction(stockIndex, end, contextDays)) continue;
        refs.push({ stockIndex, endIndex: end, contextDays });
      }
    }
    return refs;
  }

  /**
   * Draws `count` random windows from a segment: a stock uniformly among the segment's stocks, a
   * length (fixed, or uniform in min..max for random context), then a last day uniformly among
   * the days where such a window fits inside the segment.
   */
  drawWindows(name: SegmentName, count: number, random: Random): WindowRef[] {
    const segment = this.segment(name);
    const { context, contextDays, minContextDays, maxContextDays } = this.args;
    const refs: WindowRef[] = [];
    let failures = 0;
    while (refs.length < count) {
      const stockIndex = segment.stockIndices[random.int(segment.stockIndices.length)];
      const length = context === "fixed" ? contextDays : random.intBetween(minContextDays, maxContextDays);
      const range = this.#cache[stockIndex].ranges.get(name);
      const first = range ? Math.max(range[0], length - 1) : 0;
      if (!range || first > range[1]) {
        if (++failures > 1000 + 100 * count) {
          throw new RangeError(
            `EquiNetWindows: segment ${name} has (almost) no room for ${length}-day windows`,
          );
        }
        continue;
      }
      const endIndex = first + random.int(range[1] - first + 1);
      if (this.#spansCorporateAction(stockIndex, endIndex, length)) {
        if (++failures > 1000 + 100 * count) {
          throw new RangeError(
            `EquiNetWindows: segment ${name} has (almost) no window free of corporate actions`,
          );
        }
        continue;
      }
      refs.push({ stockIndex, endIndex, contextDays: length });
    }
    return refs;
  }

  /**
   * One training epoch as the original drew it: `windowsPerEpoch` random training windows
   * (default 1000), cut into batches of `batchSize` (default 50), each padded to its longest window.
   */
  drawEpoch(random: Random, windowsPerEpoch = 1000, batchSize = 50): WindowBatch[] {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `EquiNetWindows.drawEpoch: batchSize must be a positive integer, got ${batchSize}`,
      );
    }
    const refs = this.drawWindows("train", windowsPerEpoch, random);
    const batches: WindowBatch[] = [];
    for (let start = 0; start < refs.length; start += batchSize) {
      batches.push(this.batch(refs.slice(start, start + batchSize)));
    }
    return batches;
  }

  /** Class of one window (UP 0, DOWN 1, FLAT 2). */
  label(ref: WindowRef): number {
    return this.#cache[ref.stockIndex].labels[ref.endIndex];
  }

  /**
   * Builds the inputs, mask and targets of some windows. Windows are left-padded to
   * `padToDays` (default: the longest); a window longer than `padToDays` is an error, never
   * truncated.
   */
  batch(refs: readonly WindowRef[], args: BatchArgs = {}): WindowBatch {
    let longest = 0;
    for (const ref of refs) longest = Math.max(longest, ref.contextDays);
    const steps = args.padToDays ?? longest;
    if (steps < longest) {
      throw new RangeError(`EquiNetWindows.batch: a ${longest}-day window does not fit padToDays ${steps}`);
    }
    const size = refs.length;
    const features = EQUINET_FEATURE_COUNT;
    const inputs = new Float32Array(size * steps * features);
    const mask = new Float32Array(size * steps);
    const lengths = new Int32Array(size);
    const labels = new Int32Array(size);
    const futureReturns = new Float32Array(size);
    const futureVolatility = new Float32Array(size);
    const horizon = this.args.horizonDays;
    for (let item = 0; item < size; item++) {
      const ref = refs[item];
      const stock = this.stocks[ref.stockIndex];
      const cache = this.#cache[ref.stockIndex];
      const start = ref.endIndex - ref.contextDays + 1;
      if (start < 0 || ref.endIndex + horizon >= stock.dates.length || ref.contextDays < 1) {
        throw new RangeError(
          `EquiNetWindows.batch: window (stock ${stock.code}, end ${ref.endIndex}, ${ref.contextDays} days) is out of range`,
        );
      }
      const offset = steps - ref.contextDays;
      const base = (item * steps + offset) * features;
      if (cache.zScored) copyZScored(cache.zScored, start, ref.contextDays, inputs, base);
      else normaliseByOwnPast(stock, start, ref.endIndex, inputs, base);
      mask.fill(1, item * steps + offset, (item + 1) * steps);
      lengths[item] = ref.contextDays;
      labels[item] = cache.labels[ref.endIndex];
      const now = stock.end[ref.endIndex];
      futureReturns[item] = stock.end[ref.endIndex + horizon] / now - 1;
      futureVolatility[item] = logReturnDeviation(stock.end, ref.endIndex, horizon);
    }
    return {
      size,
      steps,
      features,
      inputs,
      mask,
      lengths,
      labels,
      futureReturns,
      futureVolatility,
      refs: [...refs],
    };
  }
}

/** Published mode: copies z-scored values (hot loop: plain typed-array copies). */
function copyZScored(
  zScored: Float64Array[],
  start: number,
  length: number,
  out: Float32Array,
  base: number,
): void {
  const features = zScored.length;
  for (let day = 0; day < length; day++) {
    for (let feature = 0; feature < features; feature++) {
      out[base + day * features + feature] = zScored[feature][start + day];
    }
  }
}

/**
 * Corrected mode: normalises days start..end by values of those days only (nothing after `end`
 * is read), writing `(end − start + 1) × 8` values at `out[base..]`. Hot loop: two passes over the
 * window. Exported so that prediction builds the latest window exactly as training did.
 *
 * @example
 * ```ts
 * import { normaliseByOwnPast } from "./equinet_windows.ts";
 * declare const stock: import("./equinet_windows.ts").EquiNetStock;
 * const out = new Float32Array(60 * 8);
 * normaliseByOwnPast(stock, stock.dates.length - 60, stock.dates.length - 1, out, 0);
 * ```
 */
export function normaliseByOwnPast(
  stock: EquiNetStock,
  start: number,
  end: number,
  out: Float32Array,
  base: number,
): void {
  const length = end - start + 1;
  const lastClose = stock.end[end];
  let volumeSum = 0;
  let marketVolumeSum = 0;
  let marketRangeSum = 0;
  for (let day = start; day <= end; day++) {
    volumeSum += stock.volume[day];
    marketVolumeSum += stock.marketvolume[day];
    marketRangeSum += stock.marketrange[day];
  }
  const volumeMean = volumeSum / length;
  const marketVolumeMean = marketVolumeSum / length;
  const marketRangeMean = marketRangeSum / length;
  for (let day = 0; day < length; day++) {
    const row = start + day;
    const at = base + day * EQUINET_FEATURE_COUNT;
    out[at] = stock.start[row] / lastClose - 1;
    out[at + 1] = stock.max[row] / lastClose - 1;
    out[at + 2] = stock.min[row] / lastClose - 1;
    out[at + 3] = stock.end[row] / lastClose - 1;
    out[at + 4] = volumeMean > 0 ? stock.volume[row] / volumeMean - 1 : 0;
    out[at + 5] = marketVolumeMean > 0 ? stock.marketvolume[row] / marketVolumeMean - 1 : 0;
    out[at + 6] = stock.marketlimit[row];
    out[at + 7] = marketRangeMean > 0 ? stock.marketrange[row] / marketRangeMean - 1 : 0;
  }
}

function logReturnDeviation(closes: Float64Array, end: number, horizon: number): number {
  let sum = 0;
  let sumSquares = 0;
  for (let day = end + 1; day <= end + horizon; day++) {
    const value = Math.log(closes[day] / closes[day - 1]);
    sum += value;
    sumSquares += value * value;
  }
  const mean = sum / horizon;
  return Math.sqrt(Math.max(0, sumSquares / horizon - mean * mean));
}
