/**
 * Chronological splits: train, then validation, then test — time is never shuffled across them.
 */

/** A half-open range of indices [from, to). */
export interface IndexRange {
  /** First index. */
  from: number;
  /** One past the last index. */
  to: number;
}

/** The three segments of {@link chronologicalSplit}, in time order. */
export interface ChronologicalSplit {
  /** Earliest segment. */
  train: IndexRange;
  /** Middle segment (empty when validationShare is 0). */
  validation: IndexRange;
  /** Latest segment. */
  test: IndexRange;
}

/** Options of {@link chronologicalSplit}. */
export interface ChronologicalSplitArgs {
  /** Share of items for training. Default 0.7. */
  trainShare?: number;
  /** Share for validation. Default 0.1. The test segment gets the rest. */
  validationShare?: number;
  /** Index of the first item. Default 0 (the split covers [start, start + count)). */
  start?: number;
}

/**
 * Splits `count` consecutive items (days or windows) by time. Segment ends are rounded down, so
 * the test segment takes the remainder. "Out-of-sample as published" = `{ trainShare: 0.8,
 * validationShare: 0 }`; the honest twin uses 70/10/20.
 *
 * @example
 * ```ts
 * import { chronologicalSplit } from "./splits.ts";
 * chronologicalSplit(10); // train [0,7), validation [7,8), test [8,10)
 * ```
 */
export function chronologicalSplit(count: number, args: ChronologicalSplitArgs = {}): ChronologicalSplit {
  const trainShare = args.trainShare ?? 0.7;
  const validationShare = args.validationShare ?? 0.1;
  const start = args.start ?? 0;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`chronologicalSplit: count must be an integer ≥ 1, got ${count}`);
  }
  if (!(trainShare > 0) || !(validationShare >= 0) || trainShare + validationShare > 1 + 1e-12) {
    throw new RangeError(
      `chronologicalSplit: shares must satisfy 0 < train, 0 ≤ validation, train + validation ≤ 1; got ${trainShare}, ${validationShare}`,
    );
  }
  // The 1e-9 guards against 0.7 + 0.1 = 0.7999… turning 8 of 10 items into 7.
  const trainEnd = start + Math.floor(count * trainShare + 1e-9);
  const validationEnd = start + Math.floor(count * (trainShare + validationShare) + 1e-9);
  if (trainEnd === start) throw new RangeError(`chronologicalSplit: ${count} items leave no training items`);
  return {
    train: { from: start, to: trainEnd },
    validation: { from: trainEnd, to: validationEnd },
    test: { from: validationEnd, to: start + count },
  };
}
