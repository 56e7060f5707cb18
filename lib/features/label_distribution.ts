/**
 * How EquiNet's labels are distributed over all context windows of a universe — with the true
 * labels (returns on real closes) and with the original's z-score bug, side by side.
 */
import { DOWN, FLAT, type ThreeDayLabelArgs, threeDayLabels, UP, zScoreBugLabels } from "./labels.ts";

/** Options of {@link windowLabelDistribution}. */
export interface WindowLabelDistributionArgs extends ThreeDayLabelArgs {
  /** Days in a context window; the label day t is its last day. Default 60 (EquiNet as published). */
  contextDays?: number;
}

/** Counts and shares of the three classes. */
export interface LabelDistribution {
  /** Windows per class: up, down, flat. */
  counts: { up: number; down: number; flat: number };
  /** Shares per class (counts / windows); 0 when there are no windows. */
  shares: { up: number; down: number; flat: number };
}

/** Result of {@link windowLabelDistribution}. */
export interface WindowLabelDistributions {
  /** Stocks given. */
  stocks: number;
  /** Windows over all stocks: per stock max(0, rows − contextDays − horizonDays + 1). */
  windows: number;
  /** Windows per stock, in input order. */
  windowsPerStock: Int32Array;
  /** Labels from returns on real closes ({@link threeDayLabels}). */
  trueLabels: LabelDistribution;
  /** Labels as the original computed them, from z-scored closes ({@link zScoreBugLabels}). */
  zScoreBugLabels: LabelDistribution;
  /** Per stock [up, down, flat] counts of the true labels, row-major (stocks × 3). */
  trueCountsPerStock: Int32Array;
  /** Per stock [up, down, flat] counts of the buggy labels, row-major (stocks × 3). */
  bugCountsPerStock: Int32Array;
}

/**
 * Counts the labels of every `contextDays` + `horizonDays` window of every stock: the label day t
 * runs from `contextDays − 1` to `rows − horizonDays − 1` (for 60 + 3 days and 420 rows: t = 59 ..
 * 416, 358 windows). The true label of t compares close[t + h] with close[t]; the buggy label
 * is the original's, from closes z-scored over the stock's whole history (which the original
 * also did — the statistics include the future).
 *
 * @example
 * ```ts
 * import { windowLabelDistribution } from "./label_distribution.ts";
 * const stocks = [{ close: Array.from({ length: 80 }, (_, day) => 10 + Math.sin(day / 3)) }];
 * const { windows, trueLabels } = windowLabelDistribution(stocks); // 18 windows
 * ```
 */
export function windowLabelDistribution(
  stocks: readonly { close: ArrayLike<number> }[],
  args: WindowLabelDistributionArgs = {},
): WindowLabelDistributions {
  const contextDays = args.contextDays ?? 60;
  const horizonDays = args.horizonDays ?? 3;
  if (!Number.isInteger(contextDays) || contextDays < 1) {
    throw new RangeError(`contextDays must be a positive integer, got ${contextDays}`);
  }
  const windowsPerStock = new Int32Array(stocks.length);
  const trueCountsPerStock = new Int32Array(stocks.length * 3);
  const bugCountsPerStock = new Int32Array(stocks.length * 3);
  for (let stock = 0; stock < stocks.length; stock++) {
    const closes = stocks[stock].close;
    const trueLabels = threeDayLabels(closes, args);
    const bugLabels = zScoreBugLabels(closes, args);
    const lastLabelDay = closes.length - horizonDays - 1;
    for (let day = contextDays - 1; day <= lastLabelDay; day++) {
      trueCountsPerStock[stock * 3 + trueLabels[day]]++;
      bugCountsPerStock[stock * 3 + bugLabels[day]]++;
      windowsPerStock[stock]++;
    }
  }
  const windows = windowsPerStock.reduce((sum, count) => sum + count, 0);
  return {
    stocks: stocks.length,
    windows,
    windowsPerStock,
    trueLabels: distribution(trueCountsPerStock, windows),
    zScoreBugLabels: distribution(bugCountsPerStock, windows),
    trueCountsPerStock,
    bugCountsPerStock,
  };
}

function distribution(countsPerStock: Int32Array, windows: number): LabelDistribution {
  const totals = [0, 0, 0];
  for (let index = 0; index < countsPerStock.length; index++) totals[index % 3] += countsPerStock[index];
  const share = (count: number) => (windows === 0 ? 0 : count / windows);
  return {
    counts: { up: totals[UP], down: totals[DOWN], flat: totals[FLAT] },
    shares: { up: share(totals[UP]), down: share(totals[DOWN]), flat: share(totals[FLAT]) },
  };
}
