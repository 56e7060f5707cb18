/**
 * The hybrid design's model windows on chronological splits, cut from the features that
 * lib/features/hybrid_features.ts builds (the data, point-in-time fundamentals, macro factors and
 * technicals; re-exported here for the notebooks).
 *
 * @module
 */
import { type HybridFeatures, TECHNICAL_FEATURE_NAMES } from "../features/mod.ts";
import { type HybridWindows, hybridWindows } from "../models/mod.ts";

export * from "../features/hybrid_features.ts";

/** Which split a set of windows is cut from. */
export type SplitName = "train" | "validation" | "test";

/** Options of {@link hybridSplitWindows}. */
export interface HybridSplitArgs {
  /** Days per window. Default 60. */
  windowDays?: number;
  /** Days ahead of the target. Default 5. */
  horizonDays?: number;
  /**
   * `"return"` (default): `close[t + h] / close[t] − 1`. `"close"`: the close h days ahead divided by
   * the stock's mean close over training days — the seed's price target, made comparable across stocks.
   */
  target?: "return" | "close";
  /** Keep every n-th window end of train and validation (quick mode). Default 1. */
  strideDays?: number;
  /**
   * Keep every n-th training window end, counted from the first training day — the affordable search's
   * subsample (windows that start one day apart are nearly copies of each other); validation and test keep
   * their own strides. Default `strideDays`.
   */
  trainStrideDays?: number;
  /**
   * Keep every n-th validation window end, counted from the first validation day (the search's trials
   * score on a subsample of the validation windows too). Default `strideDays`.
   */
  validationStrideDays?: number;
  /** Keep every n-th test window end, counted from the first test day (5 = the rebalance days). Default 1. */
  testStrideDays?: number;
  /** Stocks to use (indices). Default all. */
  stocks?: readonly number[];
}

/** Windows of one split with where each came from. */
export interface SplitWindows {
  /** The windows (flat, see `hybridWindows`). */
  windows: HybridWindows;
  /** Stock index of each sample. */
  stock: Int32Array;
  /** 1 when the window's last day is an announcement day (earnings season). */
  announcement: Uint8Array;
  /** Close on each window's last day, in target units (the persistence forecast for `"close"`). */
  lastClose: Float32Array;
  /** Windows skipped for a missing input or target (counted, never hidden). */
  skipped: number;
  /** Windows left out because their inputs or target span a price break (counted, never hidden). */
  leftOutForBreaks: number;
}

/**
 * Cuts train / validation / test windows. A window ends on day t and its target lies at t + h; the
 * last training window's target day is inside training (no target from 2019), likewise validation.
 *
 * @example
 * ```ts
 * import { buildHybridFeatures, hybridSplitWindows, loadHybridUniverse } from "./hybrid_data.ts";
 * const features = buildHybridFeatures(await loadHybridUniverse({ stocks: 2 }));
 * const splits = hybridSplitWindows(features, { strideDays: 5 });
 * console.log(splits.train.windows.shape.samples);
 * ```
 */
export function hybridSplitWindows(
  features: HybridFeatures,
  args: HybridSplitArgs = {},
): Record<SplitName, SplitWindows> {
  const windowDays = args.windowDays ?? 60;
  const horizonDays = args.horizonDays ?? 5;
  const stride = args.strideDays ?? 1;
  const testStride = args.testStrideDays ?? 1;
  const trainStride = args.trainStrideDays ?? stride;
  const validationStride = args.validationStrideDays ?? stride;
  const strides = [
    ["strideDays", stride],
    ["trainStrideDays", trainStride],
    ["validationStrideDays", validationStride],
    ["testStrideDays", testStride],
  ] as const;
  for (const [name, value] of strides) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`hybridSplitWindows: ${name} must be a positive integer, got ${value}`);
    }
  }
  const target = args.target ?? "return";
  const stocks = args.stocks ?? features.codes.map((_, index) => index);
  const last = features.dates.length - 1;
  const ranges: Record<SplitName, [number, number]> = {
    train: [features.trainStartDay, features.trainDays - 1 - horizonDays],
    validation: [features.trainDays, features.validationDays - 1 - horizonDays],
    test: [features.validationDays, last - horizonDays],
  };
  const out = {} as Record<SplitName, SplitWindows>;
  for (const [split, [first, lastEnd]] of Object.entries(ranges) as [SplitName, [number, number]][]) {
    const parts: { windows: HybridWindows; stock: number; announcement: number[]; lastClose: number[] }[] =
      [];
    let skipped = 0;
    let leftOutForBreaks = 0;
    for (const stock of stocks) {
      const close = features.close[stock];
      let level = 1;
      if (target === "close") {
        let sum = 0, count = 0;
        for (let day = 0; day < features.trainDays; day++) {
          if (close[day] > 0) {
            sum += close[day];
            count++;
          }
        }
        level = sum / count;
      }
      const result = hybridWindows(features.fundamental[stock], features.technical[stock], close, {
        windowDays,
        horizonDays,
        firstEndDay: first,
        lastEndDay: lastEnd,
      });
      skipped += result.skipped;
      const keep: number[] = [];
      const every = split === "test" ? testStride : split === "train" ? trainStride : validationStride;
      // A window whose inputs or target span a price break (a day whose return contradicts the file's
      // pctChg) is left out and counted.
      const breaks = features.priceBreakDays[stock];
      result.windows.endDay.forEach((end, sample) => {
        if ((end - first) % every !== 0) return;
        if (breaks.some((day) => day > end - windowDays && day <= end + horizonDays)) {
          leftOutForBreaks++;
          return;
        }
        keep.push(sample);
      });
      const windows = selectSamples(result.windows, keep);
      if (target === "close") {
        windows.endDay.forEach((end, sample) => (windows.target[sample] = close[end + horizonDays] / level));
      }
      parts.push({
        windows,
        stock,
        announcement: Array.from(windows.endDay, (end) => features.announcementDay[stock][end]),
        lastClose: Array.from(windows.endDay, (end) => close[end] / level),
      });
    }
    const windows = concatWindows(
      parts.map((part) => part.windows),
      windowDays,
      features.fundamental[0].length,
    );
    out[split] = {
      windows,
      stock: Int32Array.from(
        parts.flatMap((part) => Array.from({ length: part.windows.shape.samples }, () => part.stock)),
      ),
      announcement: Uint8Array.from(parts.flatMap((part) => part.announcement)),
      lastClose: Float32Array.from(parts.flatMap((part) => part.lastClose)),
      skipped,
      leftOutForBreaks,
    };
  }
  return out;
}

/**
 * The samples `indices` of a window set, in that order.
 *
 * @example
 * ```ts
 * import { selectSamples } from "./hybrid_data.ts";
 * // selectSamples(windows, [0, 2])
 * ```
 */
export function selectSamples(windows: HybridWindows, indices: readonly number[]): HybridWindows {
  const { windowDays, fundamentalFeatures, technicalFeatures } = windows.shape;
  const fundamentalWidth = windowDays * fundamentalFeatures, technicalWidth = windowDays * technicalFeatures;
  const out: HybridWindows = {
    fundamental: new Float32Array(indices.length * fundamentalWidth),
    technical: new Float32Array(indices.length * technicalWidth),
    target: new Float32Array(indices.length),
    endDay: new Int32Array(indices.length),
    shape: { ...windows.shape, samples: indices.length },
  };
  indices.forEach((sample, position) => {
    out.fundamental.set(
      windows.fundamental.subarray(sample * fundamentalWidth, (sample + 1) * fundamentalWidth),
      position * fundamentalWidth,
    );
    out.technical.set(
      windows.technical.subarray(sample * technicalWidth, (sample + 1) * technicalWidth),
      position * technicalWidth,
    );
    out.target[position] = windows.target[sample];
    out.endDay[position] = windows.endDay[sample];
  });
  return out;
}

function concatWindows(
  parts: readonly HybridWindows[],
  windowDays: number,
  fundamentalFeatures: number,
): HybridWindows {
  const samples = parts.reduce((sum, part) => sum + part.shape.samples, 0);
  const technicalFeatures = TECHNICAL_FEATURE_NAMES.length;
  const out: HybridWindows = {
    fundamental: new Float32Array(samples * windowDays * fundamentalFeatures),
    technical: new Float32Array(samples * windowDays * technicalFeatures),
    target: new Float32Array(samples),
    endDay: new Int32Array(samples),
    shape: { samples, windowDays, fundamentalFeatures, technicalFeatures },
  };
  let offset = 0;
  for (const part of parts) {
    out.fundamental.set(part.fundamental, offset * windowDays * fundamentalFeatures);
    out.technical.set(part.technical, offset * windowDays * technicalFeatures);
    out.target.set(part.target, offset);
    out.endDay.set(part.endDay, offset);
    offset += part.shape.samples;
  }
  return out;
}
