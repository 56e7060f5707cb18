/**
 * README's Results section, generated from the results store (as the Performance table is from the
 * bench): per study, units done / total, CPU time spent and left, the newest unit's date and commit,
 * and the headline table of each study computed from its stored units.
 * `deno task experiments --readme` rewrites the section between its markers.
 */
import { fileURLToPath } from "node:url";
import { formatDuration, storeSummary } from "../store/mod.ts";
import { PAPER_BEST_CONFIG_ID, type PaperStudy, paperStudy } from "./paper_units.ts";
import { resultsStoreOf } from "./store_location.ts";
import { paperConfigs } from "./paper.ts";
import { formatMeanStdPercent, formatPercent, seedVerdict } from "./paper_tables.ts";
import { unitRegistry } from "./units.ts";
import { writeFileAtomic } from "../io/mod.ts";
import type { ResultsStore } from "../store/mod.ts";
import { currentEquiNetRecord, equiNetResultFromStore } from "./equinet_units.ts";
import { dateBlockRows } from "./equinet_corrected_tables.ts";
import type { DateBlockComparison } from "./equinet_significance.ts";
import type { EquiNetExperimentResult } from "./equinet.ts";
import {
  abVerdicts,
  collapseNote,
  correctedConfig,
  equiNetSchedule,
  improvementConfigs,
  type MetricRow,
  PUBLISHED_BATCH1_SIZES,
  PUBLISHED_SIZES,
  publishedConfig,
} from "./equinet_configs.ts";
import type { EquiNetRun } from "./equinet.ts";
import { publishedComparisonRows } from "./equinet_published_table.ts";
import { readEquiNetReported } from "./equinet_reported.ts";
import { fitOverSeeds, type HybridStudy, hybridStudy } from "./hybrid_study.ts";
import { type HybridTestPeriod, hybridTestPeriod } from "./hybrid_test_period.ts";
import { backtestTable } from "./hybrid_backtest.ts";

/** Start and end markers of the generated section in README.md. */
export const RESULTS_MARKERS = [
  "<!-- results:start (deno task experiments --readme) -->",
  "<!-- results:end -->",
];

/** One line of a headline table. */
export interface HeadlineRow {
  /** What the figure is. */
  what: string;
  /** The figure (mean ± std over seeds where a model trained). */
  value: string;
  /** Beside it: the baseline or the verdict. */
  note: string;
}

/**
 * The paper study's headline, from its stored units (MAPE in percent, as the paper writes it): the
 * published 1.09% beside ours as published,
 * the no-model baselines on the same days, the out-of-sample check, the honest next-day twin and
 * the direction it gets right, and the same on 399012. Rows whose units are missing are left out.
 *
 * @example
 * ```ts ignore
 * const rows = paperHeadline(await paperStudy({ fromStore: true }));
 * ```
 */
export function paperHeadline(study: PaperStudy): HeadlineRow[] {
  const best = paperConfigs().find((config) => config.id === PAPER_BEST_CONFIG_ID)!;
  const rows: HeadlineRow[] = [];
  const published = study.published([best], "hiddenSize")[0];
  // An honest twin is shown only when one of its seeds is stored.
  const tryHonest = (name: string) => (study.honestTraces(name).length > 0 ? study.honest(name) : undefined);
  const seeds = (values: readonly number[]) => `${values.length} seed${values.length === 1 ? "" : "s"}`;
  const reported = Math.min(...best.reported.map((entry) => entry.mape));
  rows.push({
    what: `paper's best (${best.id}), published`,
    value: formatPercent(reported),
    note: "one run, in-sample, same-day inputs",
  });
  if (published) {
    const fit = published.summary.asPublishedInSampleMape;
    const same = published.baselines.asPublished;
    rows.push(
      {
        what: "ours as published, same cell (in-sample, global scaling)",
        value: formatMeanStdPercent(fit),
        note: `${seeds(fit.values)}; beats the best no-model baseline: ${
          seedVerdict(fit.values, Math.min(same.midRange.mape, same.ridge.mape, same.persistence.mape))
        }`,
      },
      {
        what: "same day's (high+low)/2, no model",
        value: formatPercent(same.midRange.mape),
        note: "same days",
      },
      { what: "ridge on the same windows", value: formatPercent(same.ridge.mape), note: "same days" },
      {
        what: "persistence (yesterday's close)",
        value: formatPercent(same.persistence.mape),
        note: "same days",
      },
    );
    const test = published.baselines.outOfSampleTest;
    rows.push({
      what: "ours out of sample (last 20%, train-only scaler, same-day inputs)",
      value: formatMeanStdPercent(published.summary.outOfSampleTestMape),
      note: `ridge ${formatPercent(test.ridge.mape)}, (high+low)/2 ${formatPercent(test.midRange.mape)}`,
    });
  }
  const honest = tryHonest(`honest-${best.id}-hiddenSize`);
  if (honest) {
    const test = honest.baselines.test;
    rows.push({
      what: "honest twin: tomorrow's close from inputs up to today (test days)",
      value: formatMeanStdPercent(honest.summary.testMape),
      note: `persistence ${formatPercent(test.persistence.mape)}, ridge ${
        formatPercent(test.ridge.mape)
      }; beats persistence: ${seedVerdict(honest.summary.testMape.values, test.persistence.mape)}`,
    });
  }
  const relative = tryHonest(`honest-${best.id}-hiddenSize-lastClose`);
  if (relative) {
    rows.push({
      what: "honest twin, prices relative to the last close",
      value: formatMeanStdPercent(relative.summary.testMape),
      note: `persistence ${formatPercent(relative.baselines.test.persistence.mape)}; beats it: ${
        seedVerdict(relative.summary.testMape.values, relative.baselines.test.persistence.mape)
      }`,
    });
  }
  const honestB = tryHonest(`honest-${best.id}-windowDays`);
  for (const [label, result] of [["A", honest], ["B", honestB]] as const) {
    if (!result) continue;
    const direction = result.summary.testDirectionAccuracy;
    const majority = result.baselines.majorityDirection;
    rows.push({
      what: `honest next-day direction, reading ${label}`,
      value: `${(direction.mean * 100).toFixed(1)}% ± ${(direction.std * 100).toFixed(1)}`,
      note: `always "${majority.direction}" ${(majority.test * 100).toFixed(1)}%; beats it: ${
        seedVerdict(direction.values, majority.test, "higher")
      }`,
    });
  }
  const published399012 = study.published([best], "hiddenSize", "399012")[0];
  const honest399012 = tryHonest(`399012-honest-${best.id}-hiddenSize`);
  if (published399012 && honest399012) {
    const direction = honest399012.summary.testDirectionAccuracy;
    rows.push({
      what: `399012 ${published399012.period.firstDate?.slice(0, 4)}-${
        published399012.period.lastDate?.slice(0, 4)
      }: as published / honest MAPE`,
      value: `${formatMeanStdPercent(published399012.summary.asPublishedInSampleMape)} / ${
        formatMeanStdPercent(honest399012.summary.testMape)
      }`,
      note: `ridge ${
        formatPercent(published399012.baselines.asPublished.ridge.mape)
      } in-sample; persistence ${
        formatPercent(honest399012.baselines.test.persistence.mape)
      } honest; direction ${
        (direction.mean * 100).toFixed(1)
      }% vs always "${honest399012.baselines.majorityDirection.direction}" ${
        (honest399012.baselines.majorityDirection.test * 100).toFixed(1)
      }%`,
    });
  }
  return rows;
}

/** Test accuracy and 积分制 points of an EquiNet experiment: mean ± std over its seeds. */
function testFigures(result: EquiNetExperimentResult): string {
  const test = result.summary.test.best;
  return `${(test.accuracy.mean * 100).toFixed(1)}% ± ${(test.accuracy.std * 100).toFixed(1)} · ${
    test.points.mean.toFixed(0)
  } ± ${test.points.std.toFixed(0)}`;
}

/**
 * EquiNet's headline from its stored units: the corrected reference on the test segment (best checkpoint
 * by its selection rule on validation; mean ± std over the stored seeds), how many seeds collapsed to one
 * class, its seed-mean points minus always 稳's with a date-block bootstrap interval, and the baselines on
 * the same fixed test sample. Empty until the reference has a stored seed.
 *
 * @example
 * ```ts ignore
 * const rows = await equiNetHeadline(store);
 * ```
 */
export async function equiNetHeadline(store: ResultsStore): Promise<HeadlineRow[]> {
  const reference = await equiNetResultFromStore(store, "corrected", correctedConfig(equiNetSchedule(false)));
  if (!reference) return [];
  const versus = dateBlockRows(reference)?.[0];
  const rows: HeadlineRow[] = [{
    what: `corrected reference (d_model 64, 2 layers; ${reference.seeds.length} seeds)`,
    value: testFigures(reference),
    note: `collapsed: ${collapseNote(reference, "test")}${
      versus ? `; minus always 稳: ${pointsInterval(versus.points)} points (date-block 95%)` : ""
    }`,
  }];
  const test = reference.baselines.test;
  // The training segment's majority label is one of the constants: say which.
  const majority = ["涨", "跌", "稳"][test.majority.predictedClass];
  const named = (label: string, symbol: string) =>
    symbol === majority ? `${label} (= the training majority label)` : label;
  for (
    const [report, label] of [[test.alwaysFlat, named("always 稳", "稳")], [
      test.alwaysDown,
      named("always 跌", "跌"),
    ], [
      test.alwaysUp,
      named("always 涨", "涨"),
    ]] as const
  ) {
    rows.push({
      what: label,
      value: `${(report.accuracy * 100).toFixed(1)}% · ${report.points}`,
      note: "no model",
    });
  }
  if (reference.logistic) {
    const logistic = reference.logistic.reports.test;
    rows.push({
      what: "logistic regression on window summaries",
      value: `${(logistic.accuracy * 100).toFixed(1)}% · ${logistic.points}`,
      note: `fitted on ${reference.logistic.trainingWindows} training windows`,
    });
  }
  return rows;
}

/** A points difference with its interval: `-12 [-40, 15]`. */
function pointsInterval(comparison: DateBlockComparison): string {
  return `${comparison.difference.toFixed(0)} [${comparison.lower.toFixed(0)}, ${
    comparison.upper.toFixed(0)
  }]`;
}

/**
 * EquiNet's improvements from the store: each variant with stored seeds beside the corrected reference —
 * test accuracy and points (mean ± std over its seeds), and the verdict on the validation segment
 * (Welch's t over seeds, Holm-corrected over the variants shown). Empty without the reference.
 *
 * @example
 * ```ts ignore
 * const rows = await equiNetImprovementRows(store);
 * ```
 */
export async function equiNetImprovementRows(store: ResultsStore): Promise<HeadlineRow[]> {
  const schedule = equiNetSchedule(false);
  const reference = await equiNetResultFromStore(store, "corrected", correctedConfig(schedule));
  if (!reference) return [];
  const variants: EquiNetExperimentResult[] = [];
  for (const config of improvementConfigs(schedule)) {
    const result = await equiNetResultFromStore(store, "improvements", config);
    if (result) variants.push(result);
  }
  if (variants.length === 0) return [];
  const verdicts = abVerdicts([reference, ...variants], "validation");
  return [
    { what: `reference (${reference.seeds.length} seeds)`, value: testFigures(reference), note: "—" },
    ...variants.map((result, index) => {
      const onTest = dateBlockRows(result, reference)?.[2];
      return {
        what: `${result.config.id} (${result.seeds.length} seeds)`,
        value: testFigures(result),
        note: `${verdicts[index].verdict} on validation (Δ ${
          verdicts[index].pointsChange.toFixed(0)
        } points, Holm p ${verdicts[index].holmPValue.toFixed(2)})${
          onTest ? `; test Δ ${pointsInterval(onTest.points)} points (date-block 95%)` : ""
        }; collapsed: ${collapseNote(result, "test")}`,
      };
    }),
  ];
}

/**
 * EquiNet as published, from the store: per configuration of the original's grid, our best and final
 * checkpoints' test-stock accuracy beside the original's own, the majority rate of the buggy labels,
 * and the one-class flag ({@link publishedComparisonRows}). Empty until a published run is stored.
 *
 * @example
 * ```ts ignore
 * const rows = await equiNetPublishedRows(store);
 * ```
 */
export async function equiNetPublishedRows(store: ResultsStore): Promise<MetricRow[]> {
  const schedule = equiNetSchedule(false);
  const runs = new Map<string, EquiNetRun>();
  for (const size of [...PUBLISHED_SIZES, ...PUBLISHED_BATCH1_SIZES]) {
    const id = publishedConfig(size, schedule).id;
    const record = await currentEquiNetRecord(store, `equinet/published/${id}/seed-1`);
    if (record?.result.kind === "seed") runs.set(id, record.result.run);
  }
  if (runs.size === 0) return [];
  const baselines = await currentEquiNetRecord(store, "equinet/published/baselines");
  return publishedComparisonRows(
    runs,
    await readEquiNetReported(),
    baselines?.result.kind === "baselines" ? baselines.result.baselines : undefined,
    {},
    baselines?.result.kind === "baselines" ? baselines.result.logistic : undefined,
    baselines?.result.kind === "baselines" ? baselines.result.sameDateMajority : undefined,
  );
}

/**
 * The hybrid study's lines from the store: the affordable search so far (trials, pruned, the best finished
 * one), the fidelity check, the final model's test fit beside "return = 0", and CPU time against the 10 h
 * budget. The test-period portfolio table is {@link hybridTestPeriodTable}'s.
 */
export async function hybridHeadline(study?: HybridStudy): Promise<HeadlineRow[]> {
  study ??= await hybridStudy({ fromStore: true });
  const trials = study.trials.map(({ trial }) => trial);
  const finished = trials.filter((trial) => !trial.pruned && trial.loss !== null);
  const best = finished.reduce<(typeof finished)[number] | undefined>(
    (lowest, trial) => (lowest === undefined || trial.loss! < lowest.loss! ? trial : lowest),
    undefined,
  );
  const describe = (params: Record<string, number | string>) =>
    `units ${params.units}, dropout ${Number(params.dropout).toFixed(2)}, learning rate ${
      Number(params.learningRate).toPrecision(2)
    }, batch ${params.batchSize}, ${params.windowDays}-day windows`;
  const rows: HeadlineRow[] = [{
    what: "TPE search (affordable trials: every " +
      `${study.plan.affordable.trainStrideDays}th training window, ≤ ${study.plan.affordable.maxEpochs} epochs, median pruner)`,
    value: `${trials.length} of ${study.plan.trials} trials, ${trials.length - finished.length} pruned`,
    note: best
      ? `best finished: trial ${best.index}, validation MSE ${best.loss!.toFixed(6)} (${
        describe(best.params)
      })`
      : "no trial finished yet",
  }];
  const pairs = study.fidelity.filter((pair) => pair.affordable && pair.full);
  rows.push({
    what:
      "fidelity check (5 drawn configurations, affordable vs the seed's way: all windows, 50 epochs, patience 10)",
    value: `${pairs.length} of ${study.fidelity.length} trained both ways`,
    note: study.fidelityRank
      ? `Spearman ρ ${study.fidelityRank.rho.toFixed(2)} (one-sided p ${
        study.fidelityRank.pValueGreater.toFixed(3)
      })`
      : "rank correlation needs 3",
  });
  const runs = study.runs("model").map(({ run }) => run);
  if (runs.length > 0) {
    const fit = fitOverSeeds(runs.map((run) => run.fit.test));
    const zero = runs[0].fit.test.zeroBaseline;
    rows.push({
      what: `two-branch LSTM, test 2020-01 .. 2023-06 (rebalance days; ${runs.length} seeds)`,
      value: `RMSE ${fit.rmse.mean.toFixed(4)} ± ${fit.rmse.std.toFixed(4)} · R² ${
        fit.r2.mean.toFixed(3)
      } ± ${fit.r2.std.toFixed(3)}`,
      note: `"return = 0": RMSE ${zero.rmse.toFixed(4)} · R² ${zero.r2.toFixed(3)}; the books below`,
    });
  } else {
    rows.push({
      what: "two-branch LSTM and its ablations on the test period",
      value: "not computed yet",
      note: `they wait for all ${study.plan.trials} trials`,
    });
  }
  rows.push({
    what: "CPU time (sum of the stored hybrid units' wall times, 2 at a time on the 2-core machine)",
    value: formatDuration(study.wallSeconds),
    note: "the study's budget is 10 h",
  });
  return rows;
}

/** A Markdown table of rows that share their keys, under a title; nothing when there are no rows. */
function rowsTable(title: string, rows: readonly MetricRow[]): string[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  return [
    title,
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${columns.map((column) => String(row[column])).join(" | ")} |`),
    "",
  ];
}

/**
 * The Results section as Markdown (between its markers), from the committed store.
 *
 * @example
 * ```ts ignore
 * console.log(await resultsSection());
 * ```
 */
export async function resultsSection(): Promise<string> {
  const definitions = await unitRegistry.definitions();
  const { store } = resultsStoreOf(false);
  const statuses = await store.status(definitions);
  const summaries = storeSummary(statuses);
  const rows = summaries.filter((row) => !row.group.includes("/"));
  // CPU time of each EquiNet experiment's current units (the sum of their wall times), for its tables.
  const equinetCpu = ["corrected", "improvements", "published"].map((experiment) => {
    const row = summaries.find((entry) => entry.group === `equinet/${experiment}`);
    return `${experiment} ${formatDuration(row?.spentSeconds ?? 0)}`;
  }).join(" · ");
  // The hybrid study's units and its test-period books (it loads the hybrid data to trade them).
  const period = await hybridTestPeriod({ fromStore: true });
  const lines = [
    RESULTS_MARKERS[0],
    "",
    "| study | units done / total | stale | CPU time spent | CPU time left (est.) | newest unit |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) =>
      `| ${row.group} | ${row.done} / ${row.total} | ${row.stale} | ${formatDuration(row.spentSeconds)} | ${
        formatDuration(row.leftSeconds)
      } | ${
        row.newest
          ? `${row.newest.finishedAt.slice(0, 10)}, commit ${row.newest.commit?.slice(0, 7) ?? "unknown"}`
          : "—"
      } |`
    ),
    "",
  ];
  lines.push(
    ...headlineTable(
      "**The ChiNext LSTM paper** (notebooks 02-03; 399006 over the paper's 2012-07-02 .. 2020-11-06; MAPE in " +
        "percent, as the paper writes it; ours = mean ± std over seeds, the std in percentage points):",
      ["MAPE", "beside it"],
      paperHeadline(await paperStudy({ fromStore: true })),
      2,
    ),
    ...headlineTable(
      "**EquiNet, corrected** (notebook 05's reference; 涨/跌/稳 over the next 3 days; best checkpoint by validation " +
        "loss; test segment, a fixed sample of 1000 windows; accuracy · 积分制 points, mean ± std over seeds; the " +
        "date-block bootstrap resamples whole dates of that sample):",
      ["accuracy · points", "beside it"],
      await equiNetHeadline(store),
    ),
    ...headlineTable(
      "**EquiNet, improvements** (notebook 06: one change each against the reference; test accuracy · points, " +
        "verdict decided on the validation segment):",
      ["test accuracy · points", "against the reference"],
      await equiNetImprovementRows(store),
    ),
    ...rowsTable(
      "**EquiNet as published** (notebook 04, LEAKY on purpose: whole-file z-scores, labels from z-scored " +
        "closes, 31 test stocks sharing every date with training, the best checkpoint chosen on the test " +
        "stocks; one seed per configuration as the original; accuracy on the test stocks, mean ± std over " +
        "10 samples of 1000 random windows, ours beside the original's own `test-result.xlsx`):",
      await equiNetPublishedRows(store),
    ),
    `EquiNet CPU time (the sum of the current units' wall times, 2 units at a time on the 2-core machine): ${equinetCpu}; ` +
      `the study's budget is 16 h.`,
    "",
    ...headlineTable(
      "**The hybrid fundamentals + LSTM design** (notebooks 07-09; 100 stocks, train 2013-2018, validation 2019, " +
        "test 2020-01 .. 2023-06; 5-day forward returns; every trial, fidelity run, seed and ablation a unit):",
      ["figure", "beside it"],
      await hybridHeadline(period.study),
    ),
    ...hybridTestPeriodTable(period),
  );
  lines.push(RESULTS_MARKERS[1]);
  return await formatMarkdown(lines.join("\n"));
}

/**
 * The hybrid study's test-period table (notebook 09's, fewer columns): the model and its variants beside the
 * baselines and the seed's claim, and the CPU time of the stored units.
 *
 * @example
 * ```ts ignore
 * hybridTestPeriodTable(await hybridTestPeriod({ fromStore: true }));
 * ```
 */
export function hybridTestPeriodTable(period: HybridTestPeriod): string[] {
  const columns = [
    "strategy",
    "seeds",
    "RMSE",
    "R²",
    "annualised return",
    "Sharpe",
    "max drawdown",
    "win rate (closed trades)",
    "turnover (×/year)",
  ];
  const { features, startDay, endDay, settings, study } = period;
  const title =
    `Hybrid test period ${features.dates[startDay]} .. ${features.dates[endDay]} (notebook 09): ` +
    `top-${settings.topK} of ${settings.stocks} stocks rebalanced every 5 days, A-share costs and rules, fills at ` +
    `the next open; mean ± std over the stored seeds; Sharpe over the 10-year government bond yield as known ` +
    `each day. ` +
    (period.runs.model.length === 0
      ? `The model rows wait for the search (${study.trials.length} of ${study.plan.trials} trials stored). `
      : "") +
    `CPU time of the stored hybrid units: ${formatDuration(study.wallSeconds)} of the 10 h budget.`;
  return rowsTable(
    title,
    backtestTable(period.rows).map((row) =>
      Object.fromEntries(columns.map((column) => [column, row[column] ?? "—"]))
    ),
  );
}

/** A headline table under its title, or nothing when it has fewer than `minimumRows` rows. */
function headlineTable(
  title: string,
  columns: [string, string],
  rows: HeadlineRow[],
  minimumRows = 1,
): string[] {
  if (rows.length < minimumRows) return [];
  return [
    title,
    "",
    `| | ${columns[0]} | ${columns[1]} |`,
    "| --- | --- | --- |",
    ...rows.map((row) => `| ${row.what} | ${row.value} | ${row.note} |`),
    "",
  ];
}

/** Markdown as `deno fmt` writes it (aligned tables), so README stays unchanged under `deno fmt`. */
async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text + "\n"));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(`deno fmt: ${new TextDecoder().decode(output.stderr)}`);
  return new TextDecoder().decode(output.stdout).trimEnd();
}

/** README.md with its Results section replaced by {@link resultsSection} (written atomically). */
export async function writeResultsReadme(
  path = fileURLToPath(new URL("../../README.md", import.meta.url)),
): Promise<void> {
  const readme = await Deno.readTextFile(path);
  const start = readme.indexOf(RESULTS_MARKERS[0]);
  const end = readme.indexOf(RESULTS_MARKERS[1]);
  if (start < 0 || end < start) {
    throw new Error(`${path} has no Results markers (${RESULTS_MARKERS.join(" … ")})`);
  }
  await writeFileAtomic(
    path,
    readme.slice(0, start) + (await resultsSection()) + readme.slice(end + RESULTS_MARKERS[1].length),
  );
}
