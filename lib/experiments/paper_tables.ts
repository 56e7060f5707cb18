/**
 * The paper's Tables 1–3 and the honest twin as table rows: the published figure, ours (mean ± std
 * over seeds) and the naive baselines on the very same days, side by side.
 */
import type { SeedSummary } from "./_private.ts";
import {
  type HonestExperimentResult,
  paperConfigs,
  type PaperExperimentResult,
  type UnitReading,
} from "./paper.ts";

/** One table row: column title → cell. */
export type TableRow = Record<string, string | number>;

/**
 * `mean ± std` with a fixed number of decimals, e.g. `0.0123 ± 0.0008`.
 *
 * @example
 * ```ts
 * import { formatMeanStd } from "./paper_tables.ts";
 * formatMeanStd({ mean: 0.012345, std: 0.00081 }); // "0.0123 ± 0.0008"
 * formatMeanStd({ mean: 0.5123, std: 0.012 }, 3); // "0.512 ± 0.012"
 * ```
 */
export function formatMeanStd(summary: Pick<SeedSummary, "mean" | "std">, decimals = 4): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) {
    throw new RangeError(`formatMeanStd: decimals must be an integer 0..12, got ${decimals}`);
  }
  return `${summary.mean.toFixed(decimals)} ± ${summary.std.toFixed(decimals)}`;
}

/**
 * A share in percent, as the paper writes its MAPE: `0.0109` → `"1.09%"`.
 *
 * @example
 * ```ts
 * import { formatPercent } from "./paper_tables.ts";
 * formatPercent(0.0109); // "1.09%"
 * formatPercent(0.4943, 1); // "49.4%"
 * ```
 */
export function formatPercent(value: number, decimals = 2): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(decimals)}%` : String(value);
}

/**
 * Mean ± std of a share over seeds, in percent (the std in percentage points).
 *
 * @example
 * ```ts
 * import { formatMeanStdPercent } from "./paper_tables.ts";
 * formatMeanStdPercent({ mean: 0.012345, std: 0.00081 }); // "1.23% ± 0.08"
 * ```
 */
export function formatMeanStdPercent(summary: Pick<SeedSummary, "mean" | "std">, decimals = 2): string {
  return `${formatPercent(summary.mean, decimals)} ± ${(summary.std * 100).toFixed(decimals)}`;
}

/**
 * Whether per-seed values beat a baseline: `yes (5/5)` when every seed does, `no (0/5)` when none
 * does, else `mixed (k/n)`.
 *
 * @example
 * ```ts
 * import { seedVerdict } from "./paper_tables.ts";
 * seedVerdict([0.010, 0.012, 0.020], 0.015); // "mixed (2/3)" (lower MAPE is better)
 * seedVerdict([0.55, 0.56], 0.51, "higher"); // "yes (2/2)" (higher accuracy is better)
 * ```
 */
export function seedVerdict(
  values: readonly number[],
  baseline: number,
  better: "lower" | "higher" = "lower",
): string {
  if (values.length === 0) throw new RangeError("seedVerdict: no per-seed values");
  const wins = values.filter((value) => better === "lower" ? value < baseline : value > baseline).length;
  const word = wins === values.length ? "yes" : wins === 0 ? "no" : "mixed";
  return `${word} (${wins}/${values.length})`;
}

/** Short description of a model shape, e.g. `20-day windows, 2 hidden`. */
function shape(model: { windowDays: number; hiddenSize: number }): string {
  return `${model.windowDays}-day windows, ${model.hiddenSize} hidden`;
}

/**
 * Rows of one of the paper's tables: every published cell beside our as-published fit (in-sample,
 * global scaling), our out-of-sample score (last 20% of days, train-only scaler) and the baselines
 * on the same days — persistence (yesterday's close), the same day's (high + low) / 2 and ridge on
 * the LSTM's own windows. Results are matched to the table's cells by configuration id; with several
 * readings of "units" among the results, each cell gets one row per reading (in `readings` order).
 *
 * @example
 * ```ts ignore
 * import { paperTableRows } from "./paper_tables.ts";
 * table(paperTableRows(1, results)); // 8 rows: 10/50/100/200 iterations × Data1/Data2
 * ```
 */
export function paperTableRows(
  table: 1 | 2 | 3,
  results: readonly PaperExperimentResult[],
  readings: readonly UnitReading[] = ["hiddenSize", "windowDays"],
): TableRow[] {
  const rows: TableRow[] = [];
  // A result assembled from a partial store may have fewer seeds than the others: say so in its cells.
  const seedCounts = new Set(results.map((result) => result.seeds.length));
  const fewer = (summary: SeedSummary) =>
    seedCounts.size > 1
      ? `${formatMeanStdPercent(summary)} (${summary.values.length} seed${
        summary.values.length === 1 ? "" : "s"
      })`
      : formatMeanStdPercent(summary);
  for (const config of paperConfigs(table)) {
    for (const reading of readings) {
      const result = results.find((item) => item.config.id === config.id && item.reading === reading);
      if (!result) continue;
      const published = result.baselines.asPublished;
      const test = result.baselines.outOfSampleTest;
      const inSample = result.summary.asPublishedInSampleMape;
      const outOfSample = result.summary.outOfSampleTestMape;
      const bestInSample = Math.min(
        published.persistence.mape,
        published.midRange.mape,
        published.ridge.mape,
      );
      const bestTest = Math.min(test.persistence.mape, test.midRange.mape, test.ridge.mape);
      for (const reported of config.reported) {
        rows.push({
          "paper's cell": reported.cell,
          "units read as": reading === "hiddenSize" ? "A: hidden size" : "B: window days",
          model: shape(result.model),
          "paper MAPE (published)": formatPercent(reported.mape),
          "LSTM as published (in-sample)": fewer(inSample),
          "persistence": formatPercent(published.persistence.mape),
          "(high+low)/2": formatPercent(published.midRange.mape),
          "ridge": formatPercent(published.ridge.mape),
          "LSTM out-of-sample (last 20%)": fewer(outOfSample),
          "persistence (test)": formatPercent(test.persistence.mape),
          "(high+low)/2 (test)": formatPercent(test.midRange.mape),
          "ridge (test)": formatPercent(test.ridge.mape),
          "LSTM beats every baseline? in-sample / test": `${seedVerdict(inSample.values, bestInSample)} / ${
            seedVerdict(outOfSample.values, bestTest)
          }`,
        });
      }
    }
  }
  if (rows.length === 0) {
    throw new RangeError(`paperTableRows: no result matches a configuration of Table ${table}`);
  }
  return rows;
}

/** One honest run and its label in the table. */
export interface LabelledHonestResult {
  /** Row label, e.g. `399006, train-only scaler`. */
  label: string;
  /** The result of `runHonestExperiment`. */
  result: HonestExperimentResult;
}

/**
 * Rows for the honest next-day twin: test MAPE and direction accuracy of the LSTM (mean ± std over
 * seeds) beside persistence, ridge on the same windows and the training days' majority direction.
 *
 * @example
 * ```ts ignore
 * import { honestTableRows } from "./paper_tables.ts";
 * table(honestTableRows([{ label: "399006", result }]));
 * ```
 */
export function honestTableRows(entries: readonly LabelledHonestResult[]): TableRow[] {
  return entries.map(({ label, result }) => {
    const test = result.baselines.test;
    const mape = result.summary.testMape;
    const direction = result.summary.testDirectionAccuracy;
    const majority = result.baselines.majorityDirection;
    const days = (range: [number, number]) => range[1] - range[0];
    return {
      run: label,
      model: shape(result.model),
      "days train / validation / test": `${days(result.period.train)} / ${days(result.period.validation)} / ${
        days(result.period.test)
      }`,
      "LSTM test MAPE": formatMeanStdPercent(mape),
      "persistence MAPE": formatPercent(test.persistence.mape),
      "ridge MAPE": formatPercent(test.ridge.mape),
      "LSTM beats persistence (MAPE)?": seedVerdict(mape.values, test.persistence.mape),
      "LSTM direction accuracy": formatMeanStdPercent(direction, 1),
      "ridge direction": formatPercent(test.ridge.directionAccuracy, 1),
      [`always "${majority.direction}"`]: formatPercent(majority.test, 1),
      "LSTM beats always-majority (direction)?": seedVerdict(direction.values, majority.test, "higher"),
    };
  });
}
