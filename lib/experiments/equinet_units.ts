/**
 * The EquiNet study as units of the results store: one configuration × one seed per unit, plus one
 * baseline unit per window setting (naive baselines and the logistic regression, on the same fixed
 * evaluation samples).
 * - `equinet/corrected/corrected/seed-N` — notebook 05's reference, and 06's A/B reference;
 * - `equinet/improvements/<variant>/seed-N` — notebook 06's six changes;
 * - `equinet/published/<size>/seed-N` — notebook 04's sweep as the original ran it (LEAKY);
 * - `equinet/<corrected|published>/baselines` — the baselines of each window setting.
 * Each seed trains through `runEquiNetSeed` with its checkpoint in the unit's folder, so a unit that is
 * cut off continues from its last finished epoch (断点续训).
 */
import { describeBackend, selectBackend, tf } from "../backend/mod.ts";
import { loadRegistry } from "../data/mod.ts";
import { type EquiNetUniverse, EquiNetWindows, loadEquiNetUniverse } from "../features/mod.ts";
import type { EpochRecord } from "../train/mod.ts";
import {
  computeUnits,
  type ResultsStore,
  type StoredUnit,
  type UnitDefinition,
  UnitInterrupted,
  type UnitStatus,
} from "../store/mod.ts";
import { gitCommit } from "./_private.ts";
import { resultsStoreOf } from "./store_location.ts";
import {
  equiNetBaselines,
  type EquiNetConfig,
  type EquiNetExperimentResult,
  type EquiNetRun,
  evaluationLabelShares,
  evaluationSets,
  logisticBaseline,
  runEquiNetExperiment,
  runEquiNetSeed,
  sameDateMajority,
  summariseRuns,
  type TestWindows,
  testWindowsOf,
} from "./equinet.ts";
import {
  CORRECTED_WINDOWS,
  correctedConfig,
  equiNetSchedule,
  improvementConfigs,
  PUBLISHED_BATCH1_SIZES,
  PUBLISHED_SIZES,
  PUBLISHED_WINDOWS,
  publishedConfig,
} from "./equinet_configs.ts";

/**
 * Bump when a code change alters what the corrected EquiNet units (05, 06) compute (windows,
 * labels, model, training, evaluation): every stored corrected unit then turns stale.
 * 2: exact −2% / +3% moves land on the rule's side, windows spanning a corporate-action day are left
 * out, the best checkpoint is chosen by validation loss (validation points kept beside it), and each
 * run stores its test predictions window by window.
 */
export const EQUINET_NUMERICS_VERSION = 2;

/**
 * The same for the as-published units (04): kept apart so that a fix of the corrected pipeline
 * (real labels, date-paired market rows) leaves the published sweep, which keeps the original's
 * bugs on purpose, valid.
 */
export const EQUINET_PUBLISHED_NUMERICS_VERSION = 1;

function numericsVersionOf(setting: Setting): number {
  return setting === "published" ? EQUINET_PUBLISHED_NUMERICS_VERSION : EQUINET_NUMERICS_VERSION;
}

/**
 * Published units' extra setting naming how the test stocks are chosen: the split moved from
 * lib/random's shuffle to CPython's `random.sample` (the original's 31 stocks), which turns stored
 * published units stale without touching the corrected ones' fingerprints.
 */
function publishedSplit(setting: Setting): Record<string, string> {
  return setting === "published" ? { testStocks: "cpython-random.sample" } : {};
}

/** Options of {@link equiNetUnits}. */
export interface EquiNetUnitsArgs {
  /** Quick (CI) settings. Default false. */
  quick?: boolean;
  /** Seeds of the corrected reference and each improvement. Default 1..5 (quick: 1..2). */
  seeds?: readonly number[];
  /** Seeds per published configuration. Default [1] (one run per configuration, as the original). */
  publishedSeeds?: readonly number[];
}

/** What a training unit stores: one seed's run, without the confusion-heavy parts it does not need. */
export type EquiNetUnitResult = { kind: "seed"; run: EquiNetRun } | {
  kind: "baselines";
  baselines: ReturnType<typeof equiNetBaselines>;
  logistic: ReturnType<typeof logisticBaseline> | null;
  labelShares: Record<string, number[]>;
  /** Published: the most common label of the training stocks on the same date ({@link sameDateMajority}). */
  sameDateMajority?: ReturnType<typeof sameDateMajority>;
  /**
   * Corrected: the fixed test sample every seed unit is evaluated on, window by window (last input
   * day, stock code, true class as one digit 0 涨 / 1 跌 / 2 稳), in the order of the seed units'
   * `testPredictions`: what a date-block bootstrap resamples.
   */
  testWindows?: TestWindows;
};

type Setting = "corrected" | "published";

/** How a setting pairs the market columns with the stocks' days: corrected by date, published as stored. */
function alignMarketOf(setting: Setting): "position" | "date" {
  return setting === "corrected" ? "date" : "position";
}

/** The windows of one setting. */
interface Prepared {
  windows: EquiNetWindows;
}

const prepared = new Map<Setting, Promise<Prepared>>();

/** The windows of a setting (loaded once per process). */
function windowsFor(setting: Setting): Promise<Prepared> {
  let pending = prepared.get(setting);
  if (!pending) {
    pending = (async () => {
      const universe = await loadEquiNetUniverse({
        alignMarket: alignMarketOf(setting),
      });
      // The units' data are equinet-319's files as the registry pins them: a file left out would change
      // what every unit computes without changing its fingerprint.
      if (!universe.reference) {
        throw new Error(
          `EquiNet units: equinet-319 did not load whole (${universe.rejected.length} files rejected, ` +
            `${universe.leftOut.length} left out, ${universe.quirkRows.length} quirk rows dropped)` +
            (universe.rejected[0] ? `: ${universe.rejected[0].reason}` : ""),
        );
      }
      const stocks = universe.stocks;
      return {
        windows: new EquiNetWindows(stocks, setting === "corrected" ? CORRECTED_WINDOWS : PUBLISHED_WINDOWS),
      };
    })();
    prepared.set(setting, pending);
  }
  return pending;
}

/**
 * The windows the EquiNet units of a setting train on (the universe loaded once per process, market
 * columns paired by date for "corrected", by position for "published"), for code that needs their
 * segments beside a unit's record (the model release's card).
 *
 * @example
 * ```ts ignore
 * const windows = await equiNetSettingWindows("corrected");
 * windows.segment("test").fromDate;
 * ```
 */
export async function equiNetSettingWindows(setting: Setting): Promise<EquiNetWindows> {
  return (await windowsFor(setting)).windows;
}

let backendReady: Promise<unknown> | undefined;
function ensureBackend(): Promise<unknown> {
  backendReady ??= selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "wasm");
  return backendReady;
}

/** The backend line stored with each EquiNet unit. */
export async function equiNetBackend(): Promise<string> {
  await tf.ready();
  return describeBackend().summary;
}

/**
 * Every unit of the EquiNet study, in the order worth running them: the corrected reference first,
 * then the improvements, then the published sweep (smallest first).
 *
 * @example
 * ```ts ignore
 * import { equiNetUnits } from "./equinet_units.ts";
 * (await equiNetUnits()).length; // 5 + 6 × 5 + (12 + 6) × 1 + 2
 * ```
 */
export async function equiNetUnits(
  args: EquiNetUnitsArgs = {},
): Promise<UnitDefinition<EquiNetUnitResult>[]> {
  const quick = args.quick ?? false;
  const schedule = equiNetSchedule(quick);
  const seeds = args.seeds ?? (quick ? [1, 2] : [1, 2, 3, 4, 5]);
  const publishedSeeds = args.publishedSeeds ?? [1];
  const registry = await loadRegistry();
  const dataset = registry.datasets["equinet-319"];
  if (!dataset) throw new Error("equiNetUnits: data set equinet-319 is not in data/datasets.json");
  const data = dataset.files.map((file) => ({
    dataset: "equinet-319",
    path: file.path,
    sha256: file.sha256,
  }));
  const units: UnitDefinition<EquiNetUnitResult>[] = [];
  const seedUnit = (
    experiment: string,
    setting: Setting,
    config: EquiNetConfig,
    seed: number,
    estimate: number,
  ) => {
    const id = `equinet/${experiment}/${config.id}/seed-${seed}`;
    units.push({
      id,
      // Units of one kind cost about the same (the runner's estimates average them): the batch size
      // changes the cost as much as the width does (batch 1 takes ~4× batch 50).
      kind: `equinet/${setting}-d${config.model.dModel}-l${config.model.layers ?? 2}-ff${
        config.model.feedForwardUnits ?? "default"
      }${(config.batchSize ?? 50) === 50 ? "" : `-batch${config.batchSize}`}`,
      settings: {
        setting,
        config,
        seed,
        alignMarket: alignMarketOf(setting),
        ...publishedSplit(setting),
      },
      data,
      numericsVersion: numericsVersionOf(setting),
      estimateSeconds: estimate,
      run: async (context) => {
        await ensureBackend();
        const { windows } = await windowsFor(setting);
        const onEpochEnd = (record: EpochRecord) => {
          context.progress(
            `epoch ${record.epoch}/${record.epochs} loss ${record.trainingLoss.toFixed(4)}`,
            record.epoch / record.epochs,
          );
          // Called after the epoch's checkpoint is written: stopping here loses nothing.
          if (context.shouldStop() && record.epoch < record.epochs) {
            throw new UnitInterrupted(id, `after epoch ${record.epoch}`);
          }
        };
        const run = await runEquiNetSeed(windows, config, evaluationSets(windows, config), {
          seed,
          checkpointFolder: context.checkpointFolder,
          resume: true,
          onEpochEnd,
          alignMarket: alignMarketOf(setting),
        });
        return { kind: "seed", run };
      },
    });
  };
  const baselineUnit = (setting: Setting, config: EquiNetConfig) => {
    units.push({
      id: `equinet/${setting}/baselines`,
      kind: "equinet/baselines",
      settings: {
        setting,
        windows: config.windows,
        evaluationWindows: config.evaluationWindows,
        logisticWindows: schedule.logisticWindows,
        alignMarket: alignMarketOf(setting),
        ...publishedSplit(setting),
        // Published: 10 evaluation samples per set, and the logistic regression too (how far a linear
        // model on window summaries gets on the leaky windows).
        ...(setting === "published"
          ? { evaluationSamples: config.evaluationSamples, logistic: true, sameDateMajority: true }
          : {}),
      },
      data,
      numericsVersion: numericsVersionOf(setting),
      estimateSeconds: 60,
      run: async () => {
        await ensureBackend();
        const { windows } = await windowsFor(setting);
        const sets = evaluationSets(windows, config);
        const labelShares = evaluationLabelShares(sets);
        return {
          kind: "baselines",
          baselines: equiNetBaselines(windows, sets),
          logistic: logisticBaseline(windows, config, sets, schedule.logisticWindows),
          ...(setting === "published"
            ? { sameDateMajority: sameDateMajority(windows, sets) }
            : { testWindows: testWindowsOf(windows, sets) }),
          labelShares,
        };
      },
    });
  };
  // Estimates for kinds not measured yet in the store (once one unit of a kind is stored, its measured
  // mean is used): corrected seeds measured at 3.5-5 min each (native BLAS, 2 units side by side).
  const corrected = correctedConfig(schedule);
  baselineUnit("corrected", corrected);
  const correctedEstimate = quick ? 10 : 4.2 * 60;
  for (const seed of seeds) seedUnit("corrected", "corrected", corrected, seed, correctedEstimate);
  for (const config of improvementConfigs(schedule)) {
    for (const seed of seeds) seedUnit("improvements", "corrected", config, seed, correctedEstimate * 1.2);
  }
  const published = publishedConfig(PUBLISHED_SIZES[0], schedule);
  baselineUnit("published", published);
  // Batch 50 for every configuration of the original's grid, smallest first, with the first batch-1
  // unit (the original's one Adam step per window) second so that both kinds run side by side.
  // Measured with native BLAS, two units at a time: d32-h8 10.8 min at batch 50, 43 min at batch 1;
  // d128-h8 ≈ 22 min at batch 50 (tests/bench/equinet_unit_bench.ts); others scaled by d_model.
  const bySize = [...PUBLISHED_SIZES].sort((a, b) => a.dModel - b.dModel || a.heads - b.heads);
  // Batch 1: the 8-head baselines of the original's sheet (d32-h8, d24-h8) before the head variants.
  const batch1 = [...PUBLISHED_BATCH1_SIZES].sort((a, b) =>
    Number(b.heads === 8) - Number(a.heads === 8) || b.dModel - a.dModel || a.heads - b.heads
  );
  const ordered = [bySize[0], batch1[0], ...bySize.slice(1), ...batch1.slice(1)];
  for (const size of ordered) {
    const config = publishedConfig(size, schedule);
    const batch50Minutes = 8 + 14 * (size.dModel / 128);
    const estimate = quick ? 10 : (size.batchSize === 1 ? 4 : 1) * batch50Minutes * 60;
    for (const seed of publishedSeeds) seedUnit("published", "published", config, seed, estimate);
  }
  return units;
}

const definitionsByMode = new Map<boolean, Promise<Map<string, UnitDefinition<EquiNetUnitResult>>>>();

/**
 * The stored record of an EquiNet unit when it is current — computed by the unit's present definition
 * (its settings, data and numerics version give the stored fingerprint) — else undefined: a stale record
 * (e.g. computed before a numerics change) is never read as a result.
 *
 * @example
 * ```ts ignore
 * const record = await currentEquiNetRecord(new ResultsStore("out/results"), "equinet/corrected/baselines");
 * ```
 */
export async function currentEquiNetRecord(
  store: ResultsStore,
  id: string,
  quick = false,
): Promise<StoredUnit<EquiNetUnitResult> | undefined> {
  let definitions = definitionsByMode.get(quick);
  if (!definitions) {
    definitions = equiNetUnits({ quick }).then((units) => new Map(units.map((unit) => [unit.id, unit])));
    definitionsByMode.set(quick, definitions);
  }
  const definition = (await definitions).get(id);
  if (!definition) return undefined;
  const [status] = await store.status([definition]);
  return status.state === "done" ? status.stored as StoredUnit<EquiNetUnitResult> : undefined;
}

/**
 * An experiment's result assembled from its current stored units ({@link currentEquiNetRecord}) — the
 * same shape `runEquiNetExperiment` returns — or undefined when none of its seeds is stored and current:
 * its seed units (in seed order) with the baselines unit of its window setting.
 *
 * @example
 * ```ts ignore
 * const store = new ResultsStore("out/results");
 * const corrected = await equiNetResultFromStore(store, "corrected", correctedConfig(equiNetSchedule(false)));
 * ```
 */
export async function equiNetResultFromStore(
  store: ResultsStore,
  experiment: "corrected" | "improvements" | "published",
  config: EquiNetConfig,
  seeds: readonly number[] = [1, 2, 3, 4, 5],
  args: { quick?: boolean } = {},
): Promise<EquiNetExperimentResult | undefined> {
  const runs: EquiNetRun[] = [];
  let wallSeconds = 0;
  for (const seed of seeds) {
    const record = await currentEquiNetRecord(
      store,
      `equinet/${experiment}/${config.id}/seed-${seed}`,
      args.quick,
    );
    if (record?.result.kind !== "seed") continue;
    runs.push(record.result.run);
    wallSeconds += record.wallSeconds;
  }
  const setting = experiment === "published" ? "published" : "corrected";
  const baselines = await currentEquiNetRecord(store, `equinet/${setting}/baselines`, args.quick);
  if (runs.length === 0 || baselines?.result.kind !== "baselines") return undefined;
  return {
    config,
    seeds: runs.map((run) => run.seed),
    runs,
    summary: summariseRuns(runs),
    baselines: baselines.result.baselines,
    logistic: baselines.result.logistic,
    labelShares: baselines.result.labelShares,
    sameDateMajority: baselines.result.sameDateMajority ?? null,
    ...(baselines.result.testWindows ? { testWindows: baselines.result.testWindows } : {}),
    wallSeconds,
  };
}

/** Options of {@link equiNetStudy}. */
export interface EquiNetStudyArgs extends EquiNetUnitsArgs {
  /** Experiments whose units to compute and read. Default all three. */
  experiments?: readonly ("corrected" | "improvements" | "published")[];
  /** Configuration ids to include (EQUILAB_CONFIGS); the corrected reference is always kept. Default all. */
  configIds?: readonly string[];
  /** Read the store only; compute nothing (`EQUILAB_FROM_STORE=1`). Default false. */
  fromStore?: boolean;
  /** Called before each unit is computed (finished count, total to compute, unit id). */
  onUnit?: (done: number, total: number, id: string) => void | Promise<void>;
  /**
   * The universe the notebook loaded (`loadEquiNetUniverse`). When it is not the reference (another folder, a
   * market index, files left out, quirk rows dropped), the store's units, computed on equinet-319, do not
   * apply: each selected configuration of "corrected" and "improvements" is trained here on this universe's
   * corrected windows (`runEquiNetExperiment`, every seed from scratch), and nothing is stored; `fromStore`
   * and the "published" experiment are refused. Default: equinet-319 through the store.
   */
  universe?: EquiNetUniverse;
}

/** What {@link equiNetStudy} gives a notebook. */
export interface EquiNetStudy {
  /** "store": results read from (or computed into) the results store; "trained here": another universe. */
  source: "store" | "trained here";
  /** Status of every selected unit (for `storeCoverage`). */
  statuses: UnitStatus[];
  /** An experiment's result assembled from its stored units; undefined when none of its seeds is stored. */
  result(
    experiment: "corrected" | "improvements" | "published",
    config: EquiNetConfig,
  ): Promise<EquiNetExperimentResult | undefined>;
}

/**
 * Computes the missing EquiNet units of the selected experiments here (unless `fromStore`) and returns
 * the assembler of their results — what notebooks 05 and 06 do at full settings and in quick mode.
 *
 * @example
 * ```ts ignore
 * const study = await equiNetStudy({ quick: true, experiments: ["corrected"] });
 * const corrected = await study.result("corrected", correctedConfig(equiNetSchedule(true)));
 * ```
 */
export async function equiNetStudy(args: EquiNetStudyArgs = {}): Promise<EquiNetStudy> {
  const quick = args.quick ?? false;
  const experiments = args.experiments ?? ["corrected", "improvements", "published"];
  if (args.universe !== undefined && !args.universe.reference) {
    return await studyTrainedHere(args.universe, { ...args, quick, experiments });
  }
  const definitions = (await equiNetUnits(args)).filter((unit) => {
    const [, experiment, name] = unit.id.split("/");
    if (!experiments.includes(experiment as "corrected")) return false;
    if (name === "baselines" || experiment === "corrected" || !args.configIds) return true;
    return args.configIds.includes(name);
  });
  const { store, checkpointRoot } = resultsStoreOf(quick);
  const statuses = await computeUnits(store, definitions, {
    fromStore: args.fromStore,
    checkpointRoot,
    onUnit: args.onUnit,
    backend: equiNetBackend,
    git: gitCommit,
  });
  const seeds = (experiment: string) =>
    [
      ...new Set(
        definitions.filter((unit) =>
          unit.id.startsWith(`equinet/${experiment}/`) && !unit.id.endsWith("/baselines")
        )
          .map((unit) => Number(unit.settings.seed)),
      ),
    ].sort((a, b) => a - b);
  return {
    source: "store",
    statuses,
    result: (experiment, config) =>
      equiNetResultFromStore(store, experiment, config, seeds(experiment), { quick }),
  };
}

/** {@link equiNetStudy} on a universe other than the reference: every selected configuration trained here. */
async function studyTrainedHere(
  universe: EquiNetUniverse,
  args: EquiNetStudyArgs & { quick: boolean; experiments: readonly string[] },
): Promise<EquiNetStudy> {
  const described = `the universe ${universe.folder}${
    universe.marketIndex ? ` (market index ${universe.marketIndex})` : ""
  }`;
  if (args.fromStore) {
    throw new Error(
      `EquiNet: the results store holds units computed on equinet-319; they do not apply to ${described}. ` +
        `Unset EQUILAB_FROM_STORE to train here, or unset EQUILAB_UNIVERSE / EQUILAB_MARKET_INDEX / ` +
        `EQUILAB_DROP_QUIRK_ROWS to read the store`,
    );
  }
  if (args.experiments.includes("published")) {
    throw new Error(
      `EquiNet: the published sweep runs on equinet-319 only (its split and labels are the original's); ` +
        `${described} supports the corrected and improvements experiments`,
    );
  }
  const schedule = equiNetSchedule(args.quick);
  const seeds = [...(args.seeds ?? (args.quick ? [1, 2] : [1, 2, 3, 4, 5]))];
  const configs = [
    ...(args.experiments.includes("corrected") ? [correctedConfig(schedule)] : []),
    ...(args.experiments.includes("improvements")
      ? improvementConfigs(schedule).filter((config) => !args.configIds || args.configIds.includes(config.id))
      : []),
  ];
  await ensureBackend();
  const windows = new EquiNetWindows(universe.stocks, CORRECTED_WINDOWS);
  const results = new Map<string, EquiNetExperimentResult>();
  const total = configs.length * seeds.length;
  for (const [index, config] of configs.entries()) {
    await args.onUnit?.(index * seeds.length, total, `equinet/${config.id}`);
    results.set(
      config.id,
      await runEquiNetExperiment(windows, config, { seeds, logisticWindows: schedule.logisticWindows }),
    );
  }
  return {
    source: "trained here",
    statuses: [],
    result: (_experiment, config) => Promise.resolve(results.get(config.id)),
  };
}
