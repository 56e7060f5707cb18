/**
 * Tables of notebooks 05 and 06 that read the stored corrected runs window by window: what the choice
 * of best-checkpoint rule changes, and model-vs-baseline differences with a date-block bootstrap
 * interval beside the tests that treat windows as independent.
 */
import type { SelectionRule } from "../train/mod.ts";
import type { EquiNetExperimentResult } from "./equinet.ts";
import { type DateBlockComparison, dateBlockComparison } from "./equinet_significance.ts";

const shares = (values: readonly number[]) =>
  values.map((value) => `${(value * 100).toFixed(0)}%`).join(" / ");

/** One row of {@link selectionRuleRows}. */
export type SelectionRuleRow = Record<string, string | number>;

/**
 * Per seed, the checkpoint each rule picked on validation and how it does on `set`: the configuration's
 * own rule (`selectBy`, e.g. validation loss) beside another one kept during the same run (e.g. 积分制
 * points, the original's): chosen epoch, accuracy, points and predicted 涨 / 跌 / 稳 shares under each,
 * then the mean over seeds. Empty when the runs kept no other rule.
 *
 * @example
 * ```ts
 * import { selectionRuleRows } from "./equinet_corrected_tables.ts";
 * declare const result: import("./equinet.ts").EquiNetExperimentResult;
 * const rows = selectionRuleRows(result, "points", "test");
 * ```
 */
export function selectionRuleRows(
  result: EquiNetExperimentResult,
  other: SelectionRule,
  set = "test",
): SelectionRuleRow[] {
  const own = result.config.selectBy ?? "points";
  const runs = result.runs.filter((run) => run.otherSelections?.[other]);
  if (runs.length === 0) return [];
  const rows: SelectionRuleRow[] = [];
  const sums = { ownAccuracy: 0, otherAccuracy: 0, ownPoints: 0, otherPoints: 0, same: 0 };
  for (const run of runs) {
    const chosen = run.otherSelections![other]!;
    const mine = run.reports[set].best;
    const theirs = chosen.reports[set];
    sums.ownAccuracy += mine.accuracy;
    sums.otherAccuracy += theirs.accuracy;
    sums.ownPoints += mine.points;
    sums.otherPoints += theirs.points;
    if (chosen.bestEpoch === run.bestEpoch) sums.same++;
    rows.push({
      seed: String(run.seed),
      [`epoch by ${own}`]: run.bestEpoch,
      [`epoch by ${other}`]: chosen.bestEpoch,
      [`accuracy (${own})`]: mine.accuracy.toFixed(3),
      [`accuracy (${other})`]: theirs.accuracy.toFixed(3),
      [`points (${own})`]: mine.points.toFixed(0),
      [`points (${other})`]: theirs.points.toFixed(0),
      [`涨 / 跌 / 稳 predicted (${own})`]: shares(mine.predictedShares),
      [`涨 / 跌 / 稳 predicted (${other})`]: shares(theirs.predictedShares),
    });
  }
  const count = runs.length;
  rows.push({
    seed: `mean of ${count}`,
    [`epoch by ${own}`]: "",
    [`epoch by ${other}`]: `${sums.same} of ${count} the same epoch`,
    [`accuracy (${own})`]: (sums.ownAccuracy / count).toFixed(3),
    [`accuracy (${other})`]: (sums.otherAccuracy / count).toFixed(3),
    [`points (${own})`]: (sums.ownPoints / count).toFixed(0),
    [`points (${other})`]: (sums.otherPoints / count).toFixed(0),
    [`涨 / 跌 / 稳 predicted (${own})`]: "",
    [`涨 / 跌 / 稳 predicted (${other})`]: "",
  });
  return rows;
}

/** Options of {@link dateBlockRows}. */
export interface DateBlockRowsArgs {
  /** Which stored predictions of each run: "best" (the configuration's rule), "final", or another rule's. Default "best". */
  checkpoint?: string;
  /** Seed of the bootstrap. Default 0. */
  seed?: number;
  /** Resamples. Default 2000. */
  resamples?: number;
}

/** A model's comparisons with a baseline on the test windows, by date-block bootstrap. */
export interface DateBlockRow {
  /** What is compared, in words. */
  comparison: string;
  /** Accuracy difference (seed mean − baseline). */
  accuracy: DateBlockComparison;
  /** Points-per-1000 difference. */
  points: DateBlockComparison;
}

/**
 * Model (its seeds' stored test predictions, averaged window by window) against each constant forecaster
 * (always 稳, always 跌) and, given `reference`, against another experiment's seeds: the accuracy and
 * points differences with their date-block bootstrap 95% intervals and one-sided p. Undefined when the
 * result holds no window-by-window test predictions (runs stored before they were kept).
 *
 * @example
 * ```ts
 * import { dateBlockRows } from "./equinet_corrected_tables.ts";
 * declare const result: import("./equinet.ts").EquiNetExperimentResult;
 * const rows = dateBlockRows(result);
 * ```
 */
export function dateBlockRows(
  result: EquiNetExperimentResult,
  reference?: EquiNetExperimentResult,
  args: DateBlockRowsArgs = {},
): DateBlockRow[] | undefined {
  const checkpoint = args.checkpoint ?? "best";
  const windows = result.testWindows;
  const predictionsOf = (experiment: EquiNetExperimentResult) =>
    experiment.runs.map((run) => run.testPredictions?.[checkpoint]).filter((digits): digits is string =>
      typeof digits === "string" && digits.length > 0
    );
  const model = predictionsOf(result);
  if (!windows || model.length === 0) return undefined;
  const options = { seed: args.seed ?? 0, resamples: args.resamples ?? 2000 };
  const compare = (comparison: string, baseline: string[]): DateBlockRow => ({
    comparison,
    accuracy: dateBlockComparison(windows, model, baseline, { ...options, metric: "accuracy" }),
    points: dateBlockComparison(windows, model, baseline, { ...options, metric: "points" }),
  });
  const count = windows.labels.length;
  const label = result.config.description ?? result.config.id;
  const rows = [
    compare(`${label} − always 稳`, ["2".repeat(count)]),
    compare(`${label} − always 跌`, ["1".repeat(count)]),
  ];
  if (reference) {
    const theirs = predictionsOf(reference);
    if (theirs.length > 0 && reference.testWindows?.labels === windows.labels) {
      rows.push(compare(`${label} − ${reference.config.description ?? reference.config.id}`, theirs));
    }
  }
  return rows;
}

/**
 * {@link dateBlockRows} as table rows: difference, 95% interval and one-sided p for accuracy and points.
 *
 * @example
 * ```ts
 * import { dateBlockRows, dateBlockTable } from "./equinet_corrected_tables.ts";
 * declare const result: import("./equinet.ts").EquiNetExperimentResult;
 * const table = dateBlockTable(dateBlockRows(result) ?? []);
 * ```
 */
export function dateBlockTable(rows: readonly DateBlockRow[]): Record<string, string>[] {
  const interval = (comparison: DateBlockComparison, digits: number) =>
    `${comparison.difference.toFixed(digits)} [${comparison.lower.toFixed(digits)}, ${
      comparison.upper.toFixed(digits)
    }]`;
  return rows.map((row) => ({
    comparison: row.comparison,
    "accuracy difference [95% CI]": interval(row.accuracy, 3),
    "p (accuracy)": row.accuracy.pValue.toFixed(3),
    "points difference [95% CI]": interval(row.points, 0),
    "p (points)": row.points.pValue.toFixed(3),
    "dates · block": `${row.accuracy.dates} · ${row.accuracy.blockLength}`,
  }));
}
