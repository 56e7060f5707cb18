/**
 * Notebook 04's and README's table of the as-published sweep: per configuration of the original's
 * grid, our accuracy beside the original's own (its `test-result.xlsx`), cell by cell, beside the
 * majority rate of the buggy labels on the same split, with a flag for a model that predicts one class.
 */
import type { ClassificationReport, NaiveBaselines } from "../eval/mod.ts";
import type { EquiNetRun, LogisticBaseline } from "./equinet.ts";
import {
  collapsedClass,
  type MetricRow,
  PUBLISHED_BATCH1_SIZES,
  PUBLISHED_SIZES,
  publishedId,
} from "./equinet_configs.ts";
import { type EquiNetReportedRow, reportedOf } from "./equinet_reported.ts";

/** Options of {@link publishedComparisonRows}. */
export interface PublishedComparisonArgs {
  /** Sets shown, each as an "ours" and an "original" column. Default ["test"]. */
  sets?: readonly ("train" | "test" | "all")[];
  /** Checkpoints shown. Default ["best", "final"]. */
  checkpoints?: readonly ("best" | "final")[];
}

/** `51.0% ± 1.2`: mean ± sample standard deviation of accuracies (fractions), in percent. */
function percentSpread(values: readonly number[]): string {
  if (values.length === 0) return "—";
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length === 1) return `${(mean * 100).toFixed(1)}%`;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return `${(mean * 100).toFixed(1)}% ± ${(Math.sqrt(variance) * 100).toFixed(1)}`;
}

/**
 * One row per configuration of the original's grid (batch 50, then the batch-1 runs): our best and
 * final checkpoints' accuracy (mean ± std over the 10 evaluation samples of 1000 windows) beside the
 * original's (mean ± std over its 10 evaluations; both measurements of d_model 32 / 8 heads), the
 * majority rate of the buggy labels on the test stocks (the training labels' majority class predicted
 * for every window) and, when given, the logistic regression's accuracy there and the same-date
 * majority of the training stocks (`sameDateMajority`: the split's cross-sectional leak), whether our model predicts one class only, and its best epoch. A configuration
 * without a stored run shows "not run yet".
 *
 * @example
 * ```ts
 * import { publishedComparisonRows } from "./equinet_published_table.ts";
 * const rows = publishedComparisonRows(new Map(), [], undefined);
 * rows.length; // 18 (12 configurations at batch 50, 6 at batch 1)
 * ```
 */
export function publishedComparisonRows(
  runs: ReadonlyMap<string, EquiNetRun>,
  reported: readonly EquiNetReportedRow[],
  baselines: Record<string, NaiveBaselines> | undefined,
  args: PublishedComparisonArgs = {},
  logistic?: LogisticBaseline | null,
  sameDate?: Record<string, ClassificationReport> | null,
): MetricRow[] {
  const sets = args.sets ?? ["test"];
  const checkpoints = args.checkpoints ?? ["best", "final"];
  const majority = baselines?.test?.majority;
  return [...PUBLISHED_SIZES, ...PUBLISHED_BATCH1_SIZES].map((size) => {
    const run = runs.get(publishedId(size));
    const row: MetricRow = {
      "d_model · heads": `${size.dModel} · ${size.heads}`,
      "Adam steps / epoch": size.batchSize === 1 ? "1000 (batch 1, as the original)" : "20 (batch 50)",
    };
    for (const checkpoint of checkpoints) {
      for (const set of sets) {
        const report = run?.reports[set];
        row[`ours, ${checkpoint}, ${set}`] = !report
          ? "not run yet"
          : percentSpread(report.sampleAccuracies?.[checkpoint] ?? [report[checkpoint].accuracy]);
        const theirs = reportedOf(reported, size, checkpoint, set);
        row[`original, ${checkpoint}, ${set}`] = theirs.length === 0
          ? "not measured"
          : theirs.map((entry) => percentSpread(entry.evaluations)).join(" / ");
      }
    }
    row["majority class of the buggy labels, test"] = majority
      ? `${(majority.accuracy * 100).toFixed(1)}% (${["涨", "跌", "稳"][majority.predictedClass]})`
      : "—";
    if (logistic?.reports.test) {
      row["logistic regression (window summaries), test"] = `${
        (logistic.reports.test.accuracy * 100).toFixed(1)
      }%`;
    }
    if (sameDate?.test) {
      row["same-date majority of the training stocks (no model), test"] = `${
        (sameDate.test.accuracy * 100).toFixed(1)
      }%`;
    }
    const collapsed = run ? collapsedClass(run.reports.test?.best.predictedShares) : undefined;
    row["ours predicts one class?"] = !run ? "—" : collapsed ? `only ${collapsed}` : "no";
    row["best epoch"] = run ? run.bestEpoch : "—";
    return row;
  });
}
