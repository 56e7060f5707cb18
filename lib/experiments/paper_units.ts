/**
 * The paper study as units of the results store: one configuration × reading × seed per unit, for
 * notebook 02 (`paper/tables/…`: Tables 1–3, as published and out of sample) and notebook 03
 * (`paper/honest/…`: the honest twins and the 399012 check). Notebooks compute missing units and
 * assemble their tables from the stored records; `deno task experiments` computes them in parallel.
 */
import { describeBackend, selectBackend, tf } from "../backend/mod.ts";
import { loadBars, loadRegistry, resolveDataset } from "../data/mod.ts";
import { TrainingStopped } from "../train/mod.ts";
import {
  computeUnits,
  type StoredUnit,
  type UnitDefinition,
  UnitInterrupted,
  type UnitStatus,
} from "../store/mod.ts";
import { gitCommit, summarise } from "./_private.ts";
import { resultsStoreOf } from "./store_location.ts";
import {
  type HonestExperimentResult,
  type HonestSeedResult,
  type PaperConfig,
  paperConfigs,
  type PaperData,
  type PaperExperimentResult,
  type PaperSeedResult,
  type PaperSettings,
  paperSettings,
  type PredictionTrace,
  runHonestExperiment,
  runPaperExperiment,
  type UnitReading,
} from "./paper.ts";
import { paperDataFromBars } from "./paper_data.ts";

/**
 * Bump when a code change alters what the paper's units compute (not for refactors that leave the
 * numbers alone): every stored paper unit then turns stale and is recomputed.
 */
export const PAPER_NUMERICS_VERSION = 2;
// 2: the LSTM trains through lib/train's loop and its one Adam (PyTorch's formula and ε 1e-8 instead of
//    tf.train.adam's ε 1e-7 and float32 β-powers; one random stream for shuffling and dropout; an epoch's
//    loss the mean of its batches'), so every float changes.

/** The best configuration of the paper (Table 3's 0.0109), the one notebook 03 examines. */
export const PAPER_BEST_CONFIG_ID = "data2-e200-fb0.4-u2";

/** One experiment of the paper study: a configuration on a data set, run over seeds. */
export interface PaperExperimentSpec {
  /** `tables` (notebook 02) or `honest` (notebook 03). */
  experiment: "tables" | "honest";
  /** Its name in unit ids, e.g. `data2-e200-fb0.4-u2-hiddenSize` or `honest-…-lastClose`. */
  name: string;
  /** As published (+ out of sample) or the honest next-day twin. */
  kind: "published" | "honest";
  /** Data set. */
  dataset: "chinext-399006" | "chinext300-399012";
  /** Study period by dates (default: the paper's 2012-07-02 .. 2020-11-06). */
  period?: { studyFromDate: string; studyToDate: string };
  /** The configuration. */
  config: PaperConfig;
  /** How "LSTM units" is read. */
  reading: UnitReading;
  /** Honest twin's normalisation. */
  honestNormalisation: PaperSettings["honestNormalisation"];
}

/** 399012's study period in notebook 03: from 2017-03 (history before it feeds windows) to the file's end. */
export const PAPER_399012_PERIOD = { studyFromDate: "2017-03-01", studyToDate: "2022-03-08" };

/**
 * Every experiment of the paper study: notebook 02's 14 configurations under reading A and Table 3's 6
 * under reading B; notebook 03's three honest twins on 399006 and the best configuration on 399012.
 *
 * @example
 * ```ts
 * import { paperExperimentSpecs } from "./paper_units.ts";
 * paperExperimentSpecs().length; // 25
 * ```
 */
export function paperExperimentSpecs(): PaperExperimentSpec[] {
  const best = paperConfigs().find((config) => config.id === PAPER_BEST_CONFIG_ID)!;
  const published = (config: PaperConfig, reading: UnitReading): PaperExperimentSpec => ({
    experiment: "tables",
    name: `${config.id}-${reading}`,
    kind: "published",
    dataset: "chinext-399006",
    config,
    reading,
    honestNormalisation: "trainScaler",
  });
  return [
    ...paperConfigs().map((config) => published(config, "hiddenSize")),
    ...paperConfigs(3).map((config) => published(config, "windowDays")),
    ...(["hiddenSize", "windowDays"] as const).map((reading): PaperExperimentSpec => ({
      experiment: "honest",
      name: `honest-${best.id}-${reading}`,
      kind: "honest",
      dataset: "chinext-399006",
      config: best,
      reading,
      honestNormalisation: "trainScaler",
    })),
    {
      experiment: "honest",
      name: `honest-${best.id}-hiddenSize-lastClose`,
      kind: "honest",
      dataset: "chinext-399006",
      config: best,
      reading: "hiddenSize",
      honestNormalisation: "lastClose",
    },
    {
      experiment: "honest",
      name: `399012-${best.id}-hiddenSize`,
      kind: "published",
      dataset: "chinext300-399012",
      period: PAPER_399012_PERIOD,
      config: best,
      reading: "hiddenSize",
      honestNormalisation: "trainScaler",
    },
    {
      experiment: "honest",
      name: `399012-honest-${best.id}-hiddenSize`,
      kind: "honest",
      dataset: "chinext300-399012",
      period: PAPER_399012_PERIOD,
      config: best,
      reading: "hiddenSize",
      honestNormalisation: "trainScaler",
    },
  ];
}

/** A prediction trace without what the data already holds: target days are consecutive from `firstTargetDay`. */
export interface CompactTrace {
  /** Index of the first target day. */
  firstTargetDay: number;
  /** Predicted closes (index points, rounded to 0.01), one per consecutive target day. */
  predicted: number[];
}

/**
 * What a paper unit stores: one seed of one experiment, its baselines and its predictions (every
 * seed's, so per-day tests against the baselines can be computed from the store).
 */
export type PaperUnitResult =
  | {
    kind: "published";
    seed: PaperSeedResult;
    model: PaperExperimentResult["model"];
    period: PaperExperimentResult["period"];
    baselines: PaperExperimentResult["baselines"];
    predictions: { asPublished: CompactTrace; outOfSampleTest: CompactTrace };
  }
  | {
    kind: "honest";
    seed: HonestSeedResult;
    model: HonestExperimentResult["model"];
    period: HonestExperimentResult["period"];
    baselines: HonestExperimentResult["baselines"];
    predictions: { test: CompactTrace };
  };

/** Options of {@link paperUnits}. */
export interface PaperUnitsArgs {
  /** Quick (CI) settings. Default false. */
  quick?: boolean;
  /** Seeds. Default the settings' (1..5 full, 1..2 quick). */
  seeds?: readonly number[];
  /** Experiments to include. Default both. */
  experiments?: readonly PaperExperimentSpec["experiment"][];
  /** Experiment names to include besides those (e.g. notebook 03 reads one of notebook 02's). Default none. */
  names?: readonly string[];
}

/** Settings that decide a unit's numbers: the paper settings without the output folder and seed list. */
function unitSettings(settings: PaperSettings) {
  const { outDir: _outDir, seeds: _seeds, ...rest } = settings;
  return rest;
}

/** The unit id of one seed of one experiment. */
export function paperUnitId(spec: Pick<PaperExperimentSpec, "experiment" | "name">, seed: number): string {
  return `paper/${spec.experiment}/${spec.name}/seed-${seed}`;
}

/**
 * The paper study's units: every experiment × seed, with settings, pinned data files and how to run.
 *
 * @example
 * ```ts ignore
 * import { paperUnits } from "./paper_units.ts";
 * const units = await paperUnits({ quick: true }); // 25 experiments × 2 seeds
 * ```
 */
export async function paperUnits(args: PaperUnitsArgs = {}): Promise<UnitDefinition<PaperUnitResult>[]> {
  const settings = paperSettings(args.quick ?? false);
  const seeds = args.seeds ?? settings.seeds;
  const registry = await loadRegistry();
  const units: UnitDefinition<PaperUnitResult>[] = [];
  for (const spec of paperExperimentSpecs()) {
    const wanted = (args.experiments?.includes(spec.experiment) ?? args.names === undefined) ||
      (args.names?.includes(spec.name) ?? false);
    if (!wanted) continue;
    const dataset = registry.datasets[spec.dataset];
    if (!dataset) throw new Error(`paperUnits: data set ${spec.dataset} is not in data/datasets.json`);
    const { reported: _reported, ...config } = spec.config;
    const epochs = Math.min(spec.config.epochs, settings.maxEpochs ?? Infinity);
    for (const seed of seeds) {
      units.push({
        id: paperUnitId(spec, seed),
        kind: `paper/${spec.kind}-e${epochs}-${spec.reading}-u${spec.config.units}`,
        settings: {
          kind: spec.kind,
          dataset: spec.dataset,
          period: spec.period ?? null,
          config,
          reading: spec.reading,
          seed,
          paper: { ...unitSettings(settings), honestNormalisation: spec.honestNormalisation },
        },
        data: dataset.files.map((file) => ({ dataset: spec.dataset, path: file.path, sha256: file.sha256 })),
        numericsVersion: PAPER_NUMERICS_VERSION,
        // Measured on the 2-core development machine (wasm, hidden 2): 8 s for 2 trainings × 200 epochs.
        estimateSeconds: 1 + epochs * (spec.kind === "published" ? 2 : 1) * 0.02,
        run: (context) =>
          runPaperUnit(
            spec,
            { ...settings, seeds: [seed], honestNormalisation: spec.honestNormalisation },
            context,
          ),
      });
    }
  }
  return units;
}

const dataCache = new Map<string, Promise<{ data: PaperData; dates: readonly string[] }>>();

/** The paper's input for a data set and period (loaded once per process). */
export function paperDataFor(
  dataset: PaperExperimentSpec["dataset"],
  period?: PaperExperimentSpec["period"],
): Promise<{ data: PaperData; dates: readonly string[] }> {
  const key = `${dataset} ${JSON.stringify(period ?? null)}`;
  let pending = dataCache.get(key);
  if (!pending) {
    pending = (async () => {
      const resolved = await resolveDataset(dataset);
      const bars = await loadBars(resolved.files[0].localPath);
      const data = paperDataFromBars(bars, { source: resolved.files[0].localPath, ...period });
      return { data, dates: bars.dates };
    })();
    dataCache.set(key, pending);
  }
  return pending;
}

let backendReady: Promise<unknown> | undefined;

async function runPaperUnit(
  spec: PaperExperimentSpec,
  settings: PaperSettings,
  context: Parameters<UnitDefinition["run"]>[0],
): Promise<PaperUnitResult> {
  backendReady ??= selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "wasm");
  await backendReady;
  const { data } = await paperDataFor(spec.dataset, spec.period);
  const epochs = Math.min(spec.config.epochs, settings.maxEpochs ?? Infinity);
  const phases = spec.kind === "published" ? 2 : 1;
  let finished = 0;
  const options = {
    reading: spec.reading,
    settings,
    write: false,
    checkpointFolder: context.checkpointFolder,
    shouldStop: context.shouldStop,
    onProgress: (step: { phase: string; epoch: number; epochs: number }) => {
      finished++;
      if (step.epoch % 20 === 0 || step.epoch === step.epochs) {
        context.progress(`${step.phase} epoch ${step.epoch}/${step.epochs}`, finished / (phases * epochs));
      }
    },
  };
  try {
    if (spec.kind === "published") {
      const result = await runPaperExperiment(data, spec.config, options);
      return {
        kind: "published",
        seed: result.seeds[0],
        model: result.model,
        period: result.period,
        baselines: result.baselines,
        predictions: {
          asPublished: compact(result.predictions.asPublished),
          outOfSampleTest: compact(result.predictions.outOfSampleTest),
        },
      };
    }
    const result = await runHonestExperiment(data, spec.config, options);
    return {
      kind: "honest",
      seed: result.seeds[0],
      model: result.model,
      period: result.period,
      baselines: result.baselines,
      predictions: { test: compact(result.predictions.test) },
    };
  } catch (error) {
    if (error instanceof TrainingStopped) {
      throw new UnitInterrupted(paperUnitId(spec, settings.seeds[0]), error.message);
    }
    throw error;
  }
}

function compact(trace: PredictionTrace): CompactTrace {
  const first = trace.targetDays[0];
  trace.targetDays.forEach((day, index) => {
    if (day !== first + index) {
      throw new Error(`paper predictions: target days are not consecutive at ${index}`);
    }
  });
  return { firstTargetDay: first, predicted: trace.predicted.map((value) => Math.round(value * 100) / 100) };
}

function expand(trace: CompactTrace, dates: readonly string[], close: Float64Array): PredictionTrace {
  const targetDays = trace.predicted.map((_, index) => trace.firstTargetDay + index);
  return {
    targetDays,
    dates: targetDays.map((day) => dates[day]),
    actual: targetDays.map((day) => close[day]),
    predicted: trace.predicted,
  };
}

/** Options of {@link paperStudy}. */
export interface PaperStudyArgs extends PaperUnitsArgs {
  /** Read the store only; compute nothing (`EQUILAB_FROM_STORE=1`). Default false. */
  fromStore?: boolean;
  /** Called before each unit is computed (finished count, total to compute, unit id). */
  onUnit?: (done: number, total: number, id: string) => void | Promise<void>;
}

/** What {@link paperStudy} gives a notebook. */
export interface PaperStudy {
  /** Status of every unit of the selected experiments (for {@link storeCoverage}-style notes). */
  statuses: UnitStatus[];
  /** As-published results of configurations under a reading, assembled from the stored seeds (in `configs` order; experiments with no stored seed left out). */
  published(
    configs: readonly PaperConfig[],
    reading: UnitReading,
    dataset?: "399012",
  ): PaperExperimentResult[];
  /**
   * The honest twin named (`honest-…`, `399012-honest-…`), assembled from its stored seeds; an error
   * naming the units to compute when none is stored.
   */
  honest(name: string): HonestExperimentResult;
  /** Every stored seed's test predictions of the honest twin named (for per-day tests against baselines). */
  /**
   * Every stored seed's as-published and out-of-sample test predictions of one configuration (notebook
   * 02's), for per-day tests against the baselines.
   */
  publishedTraces(config: PaperConfig, reading: UnitReading): {
    seed: number;
    asPublished: PredictionTrace;
    outOfSampleTest: PredictionTrace;
  }[];
  honestTraces(name: string): { seed: number; test: PredictionTrace }[];
}

/**
 * Computes the missing units of the selected paper experiments (unless `fromStore`) and returns the
 * assembler of their results.
 *
 * @example
 * ```ts ignore
 * const study = await paperStudy({ quick: true, experiments: ["tables"] });
 * const table1 = study.published(paperConfigs(1), "hiddenSize");
 * ```
 */
export async function paperStudy(args: PaperStudyArgs = {}): Promise<PaperStudy> {
  const quick = args.quick ?? false;
  const definitions = await paperUnits(args);
  const { store, checkpointRoot } = resultsStoreOf(quick);
  const statuses = await computeUnits(store, definitions, {
    fromStore: args.fromStore,
    checkpointRoot,
    onUnit: args.onUnit,
    backend: paperBackend,
    git: gitCommit,
  });
  const specs = paperExperimentSpecs();
  const recordsOf = (spec: PaperExperimentSpec) =>
    statuses.filter((status) =>
      status.stored && status.definition.id.startsWith(`paper/${spec.experiment}/${spec.name}/`)
    )
      .map((status) => status.stored as StoredUnit<PaperUnitResult>)
      .sort((a, b) => seedOf(a) - seedOf(b));
  const loaded = new Map<string, { dates: readonly string[]; close: Float64Array }>();
  for (const spec of specs) {
    if (recordsOf(spec).length === 0 || loaded.has(spec.dataset)) continue;
    const { data, dates } = await paperDataFor(spec.dataset, spec.period);
    loaded.set(spec.dataset, { dates, close: data.columns.close });
  }
  const settings = paperSettings(quick);
  return {
    statuses,
    published(configs, reading, dataset) {
      const results: PaperExperimentResult[] = [];
      for (const config of configs) {
        const name = dataset === "399012" ? `399012-${config.id}-${reading}` : `${config.id}-${reading}`;
        const spec = specs.find((entry) => entry.name === name);
        if (!spec) throw new Error(`paper study: no experiment ${name}`);
        const records = recordsOf(spec);
        if (records.length === 0) continue;
        results.push(assemblePublished(spec, records, settings, loaded.get(spec.dataset)!));
      }
      return results;
    },
    publishedTraces(config, reading) {
      const spec = specs.find((entry) => entry.name === `${config.id}-${reading}`);
      if (!spec) throw new Error(`paper study: no experiment ${config.id}-${reading}`);
      const series = loaded.get(spec.dataset);
      return recordsOf(spec).flatMap((record) => {
        const result = record.result;
        if (result.kind !== "published" || !series) return [];
        return [{
          seed: result.seed.seed,
          asPublished: expand(result.predictions.asPublished, series.dates, series.close),
          outOfSampleTest: expand(result.predictions.outOfSampleTest, series.dates, series.close),
        }];
      });
    },
    honestTraces(name) {
      const spec = specs.find((entry) => entry.name === name && entry.kind === "honest");
      if (!spec) throw new Error(`paper study: no honest experiment ${name}`);
      const series = loaded.get(spec.dataset);
      return recordsOf(spec).flatMap((record) => {
        const result = record.result;
        if (result.kind !== "honest" || !series) return [];
        return [{
          seed: result.seed.seed,
          test: expand(result.predictions.test, series.dates, series.close),
        }];
      });
    },
    honest(name) {
      const spec = specs.find((entry) => entry.name === name && entry.kind === "honest");
      if (!spec) throw new Error(`paper study: no honest experiment ${name}`);
      const records = recordsOf(spec);
      if (records.length === 0) {
        throw new Error(
          `paper study: no unit of paper/${spec.experiment}/${spec.name} is stored; compute them with ` +
            `\`deno task experiments paper/${spec.experiment}/${spec.name}\``,
        );
      }
      return assembleHonest(spec, records, settings, loaded.get(spec.dataset)!);
    },
  };
}

/** The backend line stored with each paper unit. */
export async function paperBackend(): Promise<string> {
  await tf.ready();
  return describeBackend().summary;
}

function seedOf(record: StoredUnit): number {
  return Number(record.settings.seed);
}

function provenanceOf(records: readonly StoredUnit[]) {
  const newest = records.reduce((a, b) => (a.finishedAt >= b.finishedAt ? a : b));
  return {
    backend: newest.backend,
    backendName: newest.backend.split(/[\s:(]/)[0],
    git: newest.git,
    createdAt: records.reduce((a, b) => (a.finishedAt <= b.finishedAt ? a : b)).finishedAt,
    wallSeconds: records.reduce((sum, record) => sum + record.wallSeconds, 0),
    path: null,
  };
}

function assemblePublished(
  spec: PaperExperimentSpec,
  records: readonly StoredUnit<PaperUnitResult>[],
  settings: PaperSettings,
  series: { dates: readonly string[]; close: Float64Array },
): PaperExperimentResult {
  const results = records.map((record) => record.result).filter((result) => result.kind === "published");
  const seeds = results.map((result) => result.seed);
  const first = results[0];
  const withPredictions = results.find((result) => result.predictions);
  const predictions = withPredictions?.predictions
    ? {
      seed: withPredictions.seed.seed,
      asPublished: expand(withPredictions.predictions.asPublished, series.dates, series.close),
      outOfSampleTest: expand(withPredictions.predictions.outOfSampleTest, series.dates, series.close),
    }
    : undefined;
  return {
    kind: "paper",
    experiment: spec.name,
    config: spec.config,
    reading: spec.reading,
    model: first.model,
    settings: { ...settings, seeds: seeds.map((seed) => seed.seed) },
    period: first.period,
    seeds,
    summary: {
      asPublishedInSampleMape: summarise(seeds.map((seed) => seed.asPublished.inSample.mape)),
      outOfSampleInSampleMape: summarise(seeds.map((seed) => seed.outOfSample.inSample.mape)),
      outOfSampleTestMape: summarise(seeds.map((seed) => seed.outOfSample.test.mape)),
    },
    baselines: first.baselines,
    predictions: predictions as PaperExperimentResult["predictions"],
    ...provenanceOf(records),
  };
}

function assembleHonest(
  spec: PaperExperimentSpec,
  records: readonly StoredUnit<PaperUnitResult>[],
  settings: PaperSettings,
  series: { dates: readonly string[]; close: Float64Array },
): HonestExperimentResult {
  const results = records.map((record) => record.result).filter((result) => result.kind === "honest");
  const seeds = results.map((result) => result.seed);
  const first = results[0];
  const withPredictions = results.find((result) => result.predictions);
  return {
    kind: "honest",
    experiment: spec.name,
    config: spec.config,
    reading: spec.reading,
    model: first.model,
    settings: {
      ...settings,
      seeds: seeds.map((seed) => seed.seed),
      honestNormalisation: spec.honestNormalisation,
    },
    period: first.period,
    seeds,
    summary: {
      validationMape: summarise(seeds.map((seed) => seed.validation.mape)),
      testMape: summarise(seeds.map((seed) => seed.test.mape)),
      testDirectionAccuracy: summarise(seeds.map((seed) => seed.test.directionAccuracy)),
    },
    baselines: first.baselines,
    predictions: (withPredictions?.predictions
      ? {
        seed: withPredictions.seed.seed,
        test: expand(withPredictions.predictions.test, series.dates, series.close),
      }
      : undefined) as HonestExperimentResult["predictions"],
    ...provenanceOf(records),
  };
}
