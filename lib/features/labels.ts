/**
 * EquiNet's three-way labels: 涨 (up), 跌 (down), 稳 (flat) over the next `horizonDays` days.
 */

/** Class index of 涨 (up). */
export const UP = 0;
/** Class index of 跌 (down). */
export const DOWN = 1;
/** Class index of 稳 (flat). */
export const FLAT = 2;

/** Options of {@link threeDayLabels}. */
export interface ThreeDayLabelArgs {
  /** Days between the window's last close and the labelled close. Default 3. */
  horizonDays?: number;
  /** Return at or above which the label is up. Default +0.03. */
  upThreshold?: number;
  /** Return at or below which the label is down. Default −0.02. */
  downThreshold?: number;
  /**
   * Slack on both thresholds for float rounding: a move of exactly −2.00% (2.50 → 2.45) computes as
   * −0.0199999…, which without it comes out 稳. With 1e-9 ({@link EXACT_THRESHOLD_TOLERANCE}) exact
   * moves land on the side the rule says; real prices move in fen, so no genuine return lies within
   * 1e-9 of a threshold without being on it. Default 0 (plain float comparison).
   */
  thresholdTolerance?: number;
}

/** The {@link ThreeDayLabelArgs.thresholdTolerance} that makes exact threshold moves count as reached. */
export const EXACT_THRESHOLD_TOLERANCE = 1e-9;

/**
 * Labels day t by r = close[t + horizonDays] / close[t] − 1 on real prices: up when
 * r ≥ upThreshold, down when r ≤ downThreshold, else flat. The last `horizonDays` days have no
 * label (−1).
 *
 * @example
 * ```ts
 * import { threeDayLabels } from "./labels.ts";
 * threeDayLabels([10, 10, 10, 10.5]); // Int8Array [0, -1, -1, -1] — 10 → 10.5 is +5%: up
 * threeDayLabels([2.5, 2.5, 2.5, 2.45])[0]; // 2 (稳): the float return is −0.0199999…
 * threeDayLabels([2.5, 2.5, 2.5, 2.45], { thresholdTolerance: 1e-9 })[0]; // 1 (跌): exactly −2%
 * ```
 */
export function threeDayLabels(closes: ArrayLike<number>, args: ThreeDayLabelArgs = {}): Int8Array {
  const horizonDays = args.horizonDays ?? 3;
  const upThreshold = args.upThreshold ?? 0.03;
  const downThreshold = args.downThreshold ?? -0.02;
  if (!Number.isInteger(horizonDays) || horizonDays < 1) {
    throw new RangeError(`horizonDays must be a positive integer, got ${horizonDays}`);
  }
  const tolerance = args.thresholdTolerance ?? 0;
  const labels = new Int8Array(closes.length).fill(-1);
  for (let day = 0; day + horizonDays < closes.length; day++) {
    const now = closes[day];
    if (!(now > 0)) {
      throw new RangeError(`threeDayLabels: close at index ${day} is ${now}; labels need real prices > 0`);
    }
    labels[day] = labelOfReturn(closes[day + horizonDays] / now - 1, upThreshold, downThreshold, tolerance);
  }
  return labels;
}

/** One labelled day whose label depends on how an exact threshold move is compared. */
export interface ExactThresholdMove {
  /** Row of the window's last close (the label reads `row + horizonDays`). */
  row: number;
  /** Its date, when dates were given. */
  date?: string;
  /** close[row + horizonDays] / close[row] − 1 as computed in floating point. */
  futureReturn: number;
  /** Label with a plain float comparison (what EquiNet's code gives). */
  plainLabel: number;
  /** Label with {@link EXACT_THRESHOLD_TOLERANCE} (the side the rule names). */
  exactLabel: number;
}

/**
 * The days whose label changes when exact threshold moves land on the side the rule says
 * (`thresholdTolerance` {@link EXACT_THRESHOLD_TOLERANCE}) instead of where float rounding puts
 * them: what notebook 05 counts.
 *
 * @example
 * ```ts
 * import { exactThresholdMoves } from "./labels.ts";
 * exactThresholdMoves([2.5, 2.5, 2.5, 2.45]).map((move) => [move.plainLabel, move.exactLabel]); // [[2, 1]]
 * ```
 */
export function exactThresholdMoves(
  closes: ArrayLike<number>,
  args: Omit<ThreeDayLabelArgs, "thresholdTolerance"> & { dates?: readonly string[] } = {},
): ExactThresholdMove[] {
  const plain = threeDayLabels(closes, args);
  const exact = threeDayLabels(closes, { ...args, thresholdTolerance: EXACT_THRESHOLD_TOLERANCE });
  const horizonDays = args.horizonDays ?? 3;
  const moves: ExactThresholdMove[] = [];
  for (let row = 0; row < plain.length; row++) {
    if (plain[row] === exact[row]) continue;
    moves.push({
      row,
      ...(args.dates ? { date: args.dates[row] } : {}),
      futureReturn: closes[row + horizonDays] / closes[row] - 1,
      plainLabel: plain[row],
      exactLabel: exact[row],
    });
  }
  return moves;
}

/** The class of one return (a `tolerance` of slack on each threshold for float rounding). */
export function labelOfReturn(
  futureReturn: number,
  upThreshold = 0.03,
  downThreshold = -0.02,
  tolerance = 0,
): number {
  if (futureReturn >= upThreshold - tolerance) return UP;
  if (futureReturn <= downThreshold + tolerance) return DOWN;
  return FLAT;
}

/**
 * Reproduces the original EquiNet bug — for the "as published" notebook only. The original first
 * z-scored each stock's closes over all its days, then computed the "return"
 * z[t + h] / z[t] − 1 from those normalised values, so the ratio of two z-scores (which can be
 * negative, near zero or huge) decided the label.
 *
 * Porting note: the original divided by the population standard deviation (pandas' default is the
 * sample one; the seed code used numpy-style `.std()` on arrays, i.e. population). The convention
 * does not matter: the standard deviation cancels in z[t + h] / z[t], only the mean moves the
 * labels — on the 319 real files this reproduces findings.md's 40.7% / 50.2% / 9.1% exactly
 * (pinned in tests/features/label_distribution_test.ts). A zero z-score
 * divides by zero: we follow IEEE (±Infinity or NaN compares false, NaN falls to flat), as Python
 * floats would raise instead — such windows are vanishingly rare on real prices.
 *
 * @example
 * ```ts
 * import { zScoreBugLabels } from "./labels.ts";
 * zScoreBugLabels([1, 2, 3, 4, 5]);
 * ```
 */
export function zScoreBugLabels(closes: ArrayLike<number>, args: ThreeDayLabelArgs = {}): Int8Array {
  const count = closes.length;
  let mean = 0;
  for (let index = 0; index < count; index++) mean += closes[index];
  mean /= count;
  let variance = 0;
  for (let index = 0; index < count; index++) variance += (closes[index] - mean) ** 2;
  const deviation = Math.sqrt(variance / count) || 1;
  const horizonDays = args.horizonDays ?? 3;
  const upThreshold = args.upThreshold ?? 0.03;
  const downThreshold = args.downThreshold ?? -0.02;
  const labels = new Int8Array(count).fill(-1);
  for (let day = 0; day + horizonDays < count; day++) {
    const now = (closes[day] - mean) / deviation;
    const later = (closes[day + horizonDays] - mean) / deviation;
    labels[day] = labelOfReturn(later / now - 1, upThreshold, downThreshold);
  }
  return labels;
}

/** Share of each class among labelled days (−1 ignored): [up, down, flat]. */
export function classShares(labels: ArrayLike<number>): [number, number, number] {
  const counts = [0, 0, 0];
  let total = 0;
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index];
    if (label < 0) continue;
    counts[label]++;
    total++;
  }
  return total === 0 ? [0, 0, 0] : [counts[0] / total, counts[1] / total, counts[2] / total];
}
