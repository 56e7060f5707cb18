/**
 * Runners for the ChiNext LSTM paper: the published same-day fit (in-sample, global scaling), its
 * out-of-sample check, and the honest next-day twin — each over several seeds, beside naive baselines.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeBackend, tf } from "../backend/mod.ts";
import {
  chronologicalSplit,
  directionAccuracy,
  type RegressionMetrics,
  regressionMetrics,
} from "../eval/mod.ts";
import {
  buildWindows,
  fitScaler,
  fromRelative,
  pctChange,
  relativeToLastValue,
  type Scaler,
  type ScalerKind,
  selectWindows,
  type WindowAlignment,
  type Windows,
} from "../features/mod.ts";
import {
  fitRidge,
  type LstmFitArgs,
  LstmRegressor,
  midRangeForecast,
  persistenceForecast,
} from "../models/mod.ts";
import { gitCommit, type SeedSummary, summarise, writeJsonAtomic } from "./_private.ts";
import {
  PAPER_REPORTED,
  PAPER_STUDY_PERIOD,
  type PaperInputSet,
  type PaperReportedMape,
} from "./paper_reported.ts";

export type { SeedSummary } from "./_private.ts";

/** Daily bars as columns (the data loader's output): one Float64Array per field, all the same length. */
export interface PriceColumns {
  /** Opening prices. */
  open: Float64Array;
  /** Daily highs. */
  high: Float64Array;
  /** Daily lows. */
  low: Float64Array;
  /** Closing prices (the target). */
  close: Float64Array;
  /** Traded volume. */
  volume: Float64Array;
  /** Traded amount (turnover). */
  amount: Float64Array;
}

/** The series an experiment runs on. */
export interface PaperData {
  /** Every loaded day, including history before the study period (used for windows and pct change). */
  columns: PriceColumns;
  /** ISO dates (YYYY-MM-DD), ascending, one per row. Optional, but needed for the default study period. */
  dates?: readonly string[];
  /**
   * Index of the study period's first day: the first target day scored. Default: the paper's
   * 2012-07-02 when `dates` contains it. Earlier days only serve as window history.
   */
  studyFrom?: number;
  /** End of the study period (exclusive). Default: the day after 2020-11-06 when present, else all days. */
  studyEnd?: number;
}

/**
 * How to read the paper's "LSTM 单元数" (LSTM unit count, 2/7/14):
 * - `"hiddenSize"` (reading A): units = hidden state size, with `fixedWindowDays` days per window;
 * - `"windowDays"` (reading B): units = days per window (the paper's own discussion compares "2 days vs
 *   7 days vs 14 days"), with `fixedHiddenSize` hidden units.
 */
export type UnitReading = "hiddenSize" | "windowDays";

/** One configuration of the paper's sweeps. */
export interface PaperConfig {
  /** Stable id, e.g. `data2-e200-fb0.4-u2`. */
  id: string;
  /** Data1 (5 inputs) or Data2 (6 inputs, + pct change). */
  inputs: PaperInputSet;
  /** "Iterations", read as epochs. */
  epochs: number;
  /** Initial forget-gate bias. */
  forgetBias: number;
  /** The paper's "LSTM unit count"; meaning set by {@link UnitReading}. */
  units: number;
  /** The paper's published figures for this configuration (possibly several, see PAPER_REPORTED). */
  reported: PaperReportedMape[];
}

/** Settings shared by every run; {@link paperSettings} gives the full and the quick set. */
export interface PaperSettings {
  /** True for the smoke-test scale (`EQUILAB_QUICK=1`). */
  quick: boolean;
  /** One full training per seed. Full: 1..5. */
  seeds: number[];
  /** Cap on epochs (quick mode: 2). Full: null (the configuration's own). */
  maxEpochs: number | null;
  /** Reading A's window length. Full: 20 (the TensorFlow 1 tutorial's `time_step`). */
  fixedWindowDays: number;
  /** Reading B's hidden size. Full: 10 (the tutorial's `rnn_unit`). */
  fixedHiddenSize: number;
  /** Adam learning rate. Full: 0.01. */
  learningRate: number;
  /** Windows per step. Full: 64. */
  batchSize: number;
  /** Dropout on the LSTM output (the paper names dropout but no rate). Full: 0. */
  dropout: number;
  /** Scaling of inputs and target. Full: min-max (the paper's 归一化). */
  scalerKind: ScalerKind;
  /** "Out-of-sample as published": share of study days for training (the rest is the test). 0.8. */
  outOfSampleTrainShare: number;
  /** Honest twin: training share (0.7) … */
  honestTrainShare: number;
  /** … and validation share (0.1); the test is the last 20%. */
  honestValidationShare: number;
  /**
   * Honest twin's normalisation: `"trainScaler"` (default) scales every column with the training-only
   * scaler; `"lastClose"` expresses open/high/low/close relative to each window's last close and predicts
   * the next-day return (leak-free by construction, and no extrapolation beyond the training range).
   */
  honestNormalisation: "trainScaler" | "lastClose";
  /** Ridge baseline's L2 penalty on scaled inputs. 1e-4. */
  ridgeL2: number;
  /** Summaries folder. Default `out/summaries/paper` under the project root (quick runs: `out/quick/summaries/paper`). */
  outDir: string;
}

/** Progress of a running experiment, for a progress display. */
export interface PaperProgress {
  /** Which training: the published fit, its out-of-sample twin, or the honest next-day model. */
  phase: "asPublished" | "outOfSample" | "honest";
  /** The seed being trained. */
  seed: number;
  /** 0-based position of the seed. */
  seedIndex: number;
  /** Number of seeds. */
  seedCount: number;
  /** Epoch just finished (1-based). */
  epoch: number;
  /** Epochs of this training. */
  epochs: number;
  /** Its mean training loss. */
  loss: number;
}

/** Options of {@link runPaperExperiment} and {@link runHonestExperiment}. */
export interface RunOptions {
  /** How to read "LSTM unit count". Default `"hiddenSize"`. */
  reading?: UnitReading;
  /** Settings. Default `paperSettings()` (quick when `EQUILAB_QUICK=1`). */
  settings?: PaperSettings;
  /** Called after every epoch (awaited). */
  onProgress?: (progress: PaperProgress) => void | Promise<void>;
  /** Write the result JSON. Default true. */
  write?: boolean;
  /**
   * Folder for resumable training checkpoints (断点续训): each seed's trainings save under
   * `seed-N/<phase>/` and a rerun continues them. Default none.
   */
  checkpointFolder?: string;
  /** Polled after every epoch: true saves the checkpoints and throws `TrainingStopped`. Default never. */
  shouldStop?: () => boolean;
}

/** Predictions of one seed, for fit charts. */
export interface PredictionTrace {
  /** Target day indices. */
  targetDays: number[];
  /** Their dates, when known. */
  dates?: string[];
  /** Real closes. */
  actual: number[];
  /** Model predictions (de-normalised). */
  predicted: number[];
}

/** One seed of {@link runPaperExperiment}. */
export interface PaperSeedResult {
  /** The seed. */
  seed: number;
  /** As published: global scaling, trained on every study day, scored on the same days. */
  asPublished: { inSample: RegressionMetrics; loss: number[]; wallSeconds: number };
  /** Scaler and model fitted on the first 80% of days; scored on them and on the last 20%. */
  outOfSample: { inSample: RegressionMetrics; test: RegressionMetrics; loss: number[]; wallSeconds: number };
}

/** Provenance common to every result file. */
export interface RunProvenance {
  /** One line naming the TensorFlow.js backend and versions. */
  backend: string;
  /** Active backend name. */
  backendName: string;
  /** Git commit of the code (null when git is absent) and whether tracked files were modified. */
  git: { commit: string | null; dirty: boolean | null };
  /** Start time, ISO 8601. */
  createdAt: string;
  /** Wall time of the whole experiment in seconds. */
  wallSeconds: number;
  /** Where the JSON was written (null when not written). */
  path: string | null;
}

/** Study period actually used. */
export interface StudyPeriod {
  /** Index of the first scored day. */
  studyFrom: number;
  /** End index (exclusive). */
  studyEnd: number;
  /** Number of study days. */
  days: number;
  /** First study date, when dates were given. */
  firstDate?: string;
  /** Last study date. */
  lastDate?: string;
}

/** What {@link runPaperExperiment} returns and writes. */
export interface PaperExperimentResult extends RunProvenance {
  /** Always "paper". */
  kind: "paper";
  /** File stem, e.g. `data2-e200-fb0.4-u2-hiddenSize`. */
  experiment: string;
  /** The configuration. */
  config: PaperConfig;
  /** How "units" was read. */
  reading: UnitReading;
  /** The model shape used. */
  model: { windowDays: number; hiddenSize: number; epochs: number; featureNames: string[] };
  /** Settings used. */
  settings: PaperSettings;
  /** Days used. */
  period: StudyPeriod & { outOfSampleTestFrom: number; outOfSampleTestFirstDate?: string };
  /** Per-seed metrics. */
  seeds: PaperSeedResult[];
  /** Mean ± std over seeds of the headline MAPEs. */
  summary: {
    asPublishedInSampleMape: SeedSummary;
    outOfSampleInSampleMape: SeedSummary;
    outOfSampleTestMape: SeedSummary;
  };
  /** Deterministic baselines on the very same days. */
  baselines: {
    asPublished: { persistence: RegressionMetrics; midRange: RegressionMetrics; ridge: RegressionMetrics };
    outOfSampleTest: {
      persistence: RegressionMetrics;
      midRange: RegressionMetrics;
      ridge: RegressionMetrics;
    };
  };
  /** First seed's predictions (as published, and the out-of-sample test). */
  predictions: { seed: number; asPublished: PredictionTrace; outOfSampleTest: PredictionTrace };
}

/** One seed of {@link runHonestExperiment}. */
export interface HonestSeedResult {
  /** The seed. */
  seed: number;
  /** Training days (in-sample). */
  train: RegressionMetrics;
  /** Validation days. */
  validation: RegressionMetrics;
  /** Test days (the last 20%). */
  test: RegressionMetrics;
  /** Per-epoch training loss. */
  loss: number[];
  /** Training wall time. */
  wallSeconds: number;
}

/** What {@link runHonestExperiment} returns and writes. */
export interface HonestExperimentResult extends RunProvenance {
  /** Always "honest". */
  kind: "honest";
  /** File stem, e.g. `honest-data2-e200-fb0.4-u2-hiddenSize`. */
  experiment: string;
  /** The configuration (inputs gain the close, which is known at day t). */
  config: PaperConfig;
  /** How "units" was read. */
  reading: UnitReading;
  /** The model shape used. */
  model: { windowDays: number; hiddenSize: number; epochs: number; featureNames: string[] };
  /** Settings used. */
  settings: PaperSettings;
  /** Days used and the split (target-day indices). */
  period: StudyPeriod & { train: [number, number]; validation: [number, number]; test: [number, number] };
  /** Per-seed metrics. */
  seeds: HonestSeedResult[];
  /** Mean ± std over seeds. */
  summary: {
    validationMape: SeedSummary;
    testMape: SeedSummary;
    testDirectionAccuracy: SeedSummary;
  };
  /** Baselines on the same days: persistence, ridge on the same windows, and the training-majority direction. */
  baselines: {
    validation: { persistence: RegressionMetrics; ridge: RegressionMetrics };
    test: { persistence: RegressionMetrics; ridge: RegressionMetrics };
    /** Direction accuracy of always predicting the training days' majority move. */
    majorityDirection: { direction: "up" | "down"; validation: number; test: number };
  };
  /** First seed's test predictions. */
  predictions: { seed: number; test: PredictionTrace };
}

const DATA1 = ["open", "high", "low", "volume", "amount"];
const DATA2 = [...DATA1, "pct"];

/**
 * The settings of a full run, or of a quick smoke run (2 seeds, 2 epochs, short windows) that takes
 * seconds. Default: quick when the environment variable `EQUILAB_QUICK` is `1`.
 *
 * @example
 * ```ts
 * import { paperSettings } from "./paper.ts";
 * const settings = paperSettings(true); // settings.seeds = [1, 2], settings.maxEpochs = 2
 * ```
 */
export function paperSettings(quick: boolean = Deno.env.get("EQUILAB_QUICK") === "1"): PaperSettings {
  const outDir = fileURLToPath(new URL("../../out/summaries/paper", import.meta.url));
  const full: PaperSettings = {
    quick: false,
    seeds: [1, 2, 3, 4, 5],
    maxEpochs: null,
    fixedWindowDays: 20,
    fixedHiddenSize: 10,
    learningRate: 0.01,
    batchSize: 64,
    dropout: 0,
    scalerKind: "minMax",
    outOfSampleTrainShare: 0.8,
    honestTrainShare: 0.7,
    honestValidationShare: 0.1,
    ridgeL2: 1e-4,
    honestNormalisation: "trainScaler",
    outDir,
  };
  if (!quick) return full;
  return {
    ...full,
    quick: true,
    seeds: [1, 2],
    maxEpochs: 2,
    fixedWindowDays: 5,
    fixedHiddenSize: 4,
    outDir: fileURLToPath(new URL("../../out/quick/summaries/paper", import.meta.url)),
  };
}

/**
 * The distinct configurations of the paper's Tables 1–3 (14), each with the published MAPEs that
 * belong to it; or those of one table (8, 3 and 6 configurations, carrying that table's figures only).
 *
 * @example
 * ```ts
 * import { paperConfigs } from "./paper.ts";
 * const best = paperConfigs().find((config) => config.id === "data2-e200-fb0.4-u2"); // reported 0.0174 and 0.0109
 * ```
 */
export function paperConfigs(table?: 1 | 2 | 3): PaperConfig[] {
  const configs = new Map<string, PaperConfig>();
  for (const reported of PAPER_REPORTED) {
    if (table !== undefined && reported.table !== table) continue;
    const id = configId(reported.inputs, reported.epochs, reported.forgetBias, reported.units);
    const config = configs.get(id) ??
      {
        id,
        inputs: reported.inputs,
        epochs: reported.epochs,
        forgetBias: reported.forgetBias,
        units: reported.units,
        reported: [],
      };
    config.reported.push(reported);
    configs.set(id, config);
  }
  return [...configs.values()];
}

/**
 * The id of a configuration.
 *
 * @example
 * ```ts
 * import { configId } from "./paper.ts";
 * configId("data2", 200, 0.4, 2); // "data2-e200-fb0.4-u2"
 * ```
 */
export function configId(inputs: PaperInputSet, epochs: number, forgetBias: number, units: number): string {
  return `${inputs}-e${epochs}-fb${forgetBias}-u${units}`;
}

/**
 * Window length and hidden size of a configuration under a reading of "units".
 *
 * @example
 * ```ts
 * import { modelShape, paperSettings } from "./paper.ts";
 * modelShape({ units: 7 }, "windowDays", paperSettings(false)); // { windowDays: 7, hiddenSize: 10 }
 * ```
 */
export function modelShape(
  config: Pick<PaperConfig, "units">,
  reading: UnitReading,
  settings: PaperSettings,
): { windowDays: number; hiddenSize: number } {
  return reading === "hiddenSize"
    ? { windowDays: settings.fixedWindowDays, hiddenSize: config.units }
    : { windowDays: config.units, hiddenSize: settings.fixedHiddenSize };
}

/** The options both runners share, with defaults filled in, and the model shape and epochs they imply. */
function resolveRun(config: PaperConfig, options: RunOptions) {
  const reading = options.reading ?? "hiddenSize";
  const settings = options.settings ?? paperSettings();
  const { windowDays, hiddenSize } = modelShape(config, reading, settings);
  const epochs = Math.min(config.epochs, settings.maxEpochs ?? Infinity);
  return { reading, settings, windowDays, hiddenSize, epochs };
}

/**
 * Runs one configuration of the paper over every seed:
 * - **as published**: min-max scaling fitted on all study days (leaky, as the paper did), same-day
 *   windows (day t's open/high/low/volume/amount(/pct) → day t's close), trained on every study day
 *   and scored there — the paper's "fitting error" (MAPE over the training days);
 * - **out of sample**: scaler and model fitted on the first 80% of study days only, scored on the last 20%.
 * Persistence (yesterday's close), the same day's (high + low) / 2 and ridge regression on the same
 * windows are scored on the same days. Writes `<outDir>/<config>-<reading>.json` atomically.
 *
 * @example
 * ```ts ignore
 * import { paperConfigs, paperSettings, runPaperExperiment } from "./paper.ts";
 * const config = paperConfigs()[0];
 * const result = await runPaperExperiment({ columns, dates }, config, { settings: paperSettings(true) });
 * console.log(result.summary.asPublishedInSampleMape.mean, config.reported[0].mape);
 * ```
 */
export async function runPaperExperiment(
  data: PaperData,
  config: PaperConfig,
  options: RunOptions = {},
): Promise<PaperExperimentResult> {
  const started = performance.now();
  const createdAt = new Date().toISOString();
  const { reading, settings, windowDays, hiddenSize, epochs } = resolveRun(config, options);
  const featureNames = config.inputs === "data1" ? DATA1 : DATA2;
  const prepared = prepare(data, windowDays, "sameDay");
  const { columns, studyFrom, studyEnd } = prepared;
  const split = chronologicalSplit(studyEnd - studyFrom, {
    trainShare: settings.outOfSampleTrainShare,
    validationShare: 0,
    start: studyFrom,
  });
  const globalScaler = fitScaler(columns, { kind: settings.scalerKind, fromDay: studyFrom, toDay: studyEnd });
  const trainScaler = fitScaler(columns, {
    kind: settings.scalerKind,
    fromDay: studyFrom,
    toDay: split.train.to,
  });
  const windowsWith = (scaler: Scaler) =>
    buildWindows(
      featureNames.map((name) => scaler.transform(name, columns[name])),
      scaler.transform("close", columns.close),
      {
        windowDays,
        alignment: "sameDay",
        firstTargetDay: studyFrom,
        lastTargetDay: studyEnd - 1,
        featureNames,
      },
    );
  const globalWindows = windowsWith(globalScaler);
  const honestWindows = windowsWith(trainScaler);
  const trainWindows = selectWindows(honestWindows, split.train.from, split.train.to);
  const testWindows = selectWindows(honestWindows, split.test.from, split.test.to);
  const actual = (windows: Windows) => Array.from(windows.targetDays, (day) => columns.close[day]);
  const allActual = actual(globalWindows);
  const testActual = actual(testWindows);

  const seeds: PaperSeedResult[] = [];
  let predictions: PaperExperimentResult["predictions"] | undefined;
  for (const [seedIndex, seed] of settings.seeds.entries()) {
    const progress = (phase: PaperProgress["phase"]) => (epoch: number, loss: number) =>
      options.onProgress?.({ phase, seed, seedIndex, seedCount: settings.seeds.length, epoch, epochs, loss });
    const modelArgs = {
      featureCount: featureNames.length,
      windowDays,
      hiddenSize,
      epochs,
      forgetBias: config.forgetBias,
      learningRate: settings.learningRate,
      batchSize: settings.batchSize,
      dropout: settings.dropout,
      seed,
    };
    let clock = performance.now();
    const published = new LstmRegressor({ ...modelArgs, onEpochEnd: progress("asPublished") });
    const publishedHistory = await published.fit(globalWindows, fitOptions(options, seed, "asPublished"));
    const publishedPredicted = globalScaler.inverse(
      "close",
      await published.predictAsync(globalWindows.inputs, globalWindows.count),
    );
    published.dispose();
    const publishedSeconds = (performance.now() - clock) / 1000;

    clock = performance.now();
    const outOfSample = new LstmRegressor({ ...modelArgs, onEpochEnd: progress("outOfSample") });
    const outOfSampleHistory = await outOfSample.fit(trainWindows, fitOptions(options, seed, "outOfSample"));
    const trainPredicted = trainScaler.inverse(
      "close",
      await outOfSample.predictAsync(trainWindows.inputs, trainWindows.count),
    );
    const testPredicted = trainScaler.inverse(
      "close",
      await outOfSample.predictAsync(testWindows.inputs, testWindows.count),
    );
    outOfSample.dispose();
    const outOfSampleSeconds = (performance.now() - clock) / 1000;

    seeds.push({
      seed,
      asPublished: {
        inSample: regressionMetrics(
          allActual,
          publishedPredicted,
          previousCloses(columns.close, globalWindows),
        ),
        loss: publishedHistory.loss,
        wallSeconds: publishedSeconds,
      },
      outOfSample: {
        inSample: regressionMetrics(
          actual(trainWindows),
          trainPredicted,
          previousCloses(columns.close, trainWindows),
        ),
        test: regressionMetrics(testActual, testPredicted, previousCloses(columns.close, testWindows)),
        loss: outOfSampleHistory.loss,
        wallSeconds: outOfSampleSeconds,
      },
    });
    if (seedIndex === 0) {
      predictions = {
        seed,
        asPublished: trace(globalWindows, allActual, publishedPredicted, data.dates),
        outOfSampleTest: trace(testWindows, testActual, testPredicted, data.dates),
      };
    }
  }

  const ridgeOn = (scaler: Scaler, fitOn: Windows, scoreOn: Windows) => {
    const model = fitRidge(fitOn.inputs, fitOn.targets, { l2: settings.ridgeL2 });
    return scaler.inverse("close", model.predict(scoreOn.inputs));
  };
  const baselinesOn = (windows: Windows, ridgePredicted: Float64Array) => {
    const reference = previousCloses(columns.close, windows);
    const days = windows.targetDays;
    return {
      persistence: regressionMetrics(actual(windows), persistenceForecast(columns.close, days), reference),
      midRange: regressionMetrics(
        actual(windows),
        midRangeForecast(columns.high, columns.low, days),
        reference,
      ),
      ridge: regressionMetrics(actual(windows), ridgePredicted, reference),
    };
  };
  const result: PaperExperimentResult = {
    kind: "paper",
    experiment: `${config.id}-${reading}`,
    config,
    reading,
    model: { windowDays, hiddenSize, epochs, featureNames },
    settings,
    period: {
      ...studyPeriod(data, studyFrom, studyEnd),
      outOfSampleTestFrom: split.test.from,
      outOfSampleTestFirstDate: data.dates?.[split.test.from],
    },
    seeds,
    summary: {
      asPublishedInSampleMape: summarise(seeds.map((seed) => seed.asPublished.inSample.mape)),
      outOfSampleInSampleMape: summarise(seeds.map((seed) => seed.outOfSample.inSample.mape)),
      outOfSampleTestMape: summarise(seeds.map((seed) => seed.outOfSample.test.mape)),
    },
    baselines: {
      asPublished: baselinesOn(globalWindows, ridgeOn(globalScaler, globalWindows, globalWindows)),
      outOfSampleTest: baselinesOn(testWindows, ridgeOn(trainScaler, trainWindows, testWindows)),
    },
    predictions: predictions!,
    ...(await provenance(started, createdAt)),
  };
  return await finish(result, settings, options);
}

/**
 * The honest twin of a configuration: features of days t−w+1..t (open, high, low, **close**, volume,
 * amount and, for Data2, pct change) → close of day t+1; chronological 70/10/20 split of the study days;
 * scaler fitted on the training days only (or, with `honestNormalisation: "lastClose"`, prices relative
 * to each window's last close and a next-day return as target). Scores MAPE, MAE, RMSE and direction accuracy (vs the last
 * known close) beside persistence, ridge on the same windows and the training-majority direction.
 * Writes `<outDir>/honest-<config>-<reading>.json` atomically.
 *
 * @example
 * ```ts ignore
 * import { paperConfigs, paperSettings, runHonestExperiment } from "./paper.ts";
 * const result = await runHonestExperiment({ columns, dates }, paperConfigs()[7], { settings: paperSettings(true) });
 * console.log(result.summary.testMape.mean, result.baselines.test.persistence.mape);
 * ```
 */
export async function runHonestExperiment(
  data: PaperData,
  config: PaperConfig,
  options: RunOptions = {},
): Promise<HonestExperimentResult> {
  const started = performance.now();
  const createdAt = new Date().toISOString();
  const { reading, settings, windowDays, hiddenSize, epochs } = resolveRun(config, options);
  const featureNames = config.inputs === "data1" ? ["open", "high", "low", "close", "volume", "amount"] : [
    "open",
    "high",
    "low",
    "close",
    "volume",
    "amount",
    "pct",
  ];
  const prepared = prepare(data, windowDays, "nextDay");
  const { columns, studyFrom, studyEnd } = prepared;
  const split = chronologicalSplit(studyEnd - studyFrom, {
    trainShare: settings.honestTrainShare,
    validationShare: settings.honestValidationShare,
    start: studyFrom,
  });
  const scaler = fitScaler(columns, { kind: settings.scalerKind, fromDay: studyFrom, toDay: split.train.to });
  const relative = settings.honestNormalisation === "lastClose";
  // lastClose: prices stay real here and become relative to each window's last close below; the rest
  // (volume, amount, pct) use the training-only scaler either way.
  const isPrice = (name: string) => ["open", "high", "low", "close"].includes(name);
  const windows = buildWindows(
    featureNames.map((
      name,
    ) => (relative && isPrice(name) ? columns[name] : scaler.transform(name, columns[name]))),
    relative ? columns.close : scaler.transform("close", columns.close),
    {
      windowDays,
      alignment: "nextDay",
      firstTargetDay: studyFrom,
      lastTargetDay: studyEnd - 1,
      featureNames,
    },
  );
  /** Model-space windows of one segment, and how to turn model outputs into prices. */
  const segment = (from: number, to: number) => {
    const part = selectWindows(windows, from, to);
    if (!relative) {
      return { windows: part, toPrice: (output: Float64Array) => scaler.inverse("close", output) };
    }
    const priceFeatures = featureNames.flatMap((name, index) => (isPrice(name) ? [index] : []));
    const transformed = relativeToLastValue(part, {
      features: priceFeatures,
      referenceFeature: featureNames.indexOf("close"),
    });
    return {
      windows: transformed.windows,
      toPrice: (output: Float64Array) => fromRelative(output, transformed.reference),
    };
  };
  const trainSegment = segment(split.train.from, split.train.to);
  const validationSegment = segment(split.validation.from, split.validation.to);
  const testSegment = segment(split.test.from, split.test.to);
  const trainWindows = trainSegment.windows;
  const validationWindows = validationSegment.windows;
  const testWindows = testSegment.windows;
  const actual = (part: Windows) => Array.from(part.targetDays, (day) => columns.close[day]);
  const score = (part: Windows, predicted: ArrayLike<number>) =>
    regressionMetrics(actual(part), predicted, previousCloses(columns.close, part));

  const seeds: HonestSeedResult[] = [];
  let predictions: HonestExperimentResult["predictions"] | undefined;
  for (const [seedIndex, seed] of settings.seeds.entries()) {
    const clock = performance.now();
    const model = new LstmRegressor({
      featureCount: featureNames.length,
      windowDays,
      hiddenSize,
      epochs,
      forgetBias: config.forgetBias,
      learningRate: settings.learningRate,
      batchSize: settings.batchSize,
      dropout: settings.dropout,
      seed,
      onEpochEnd: (epoch, loss) =>
        options.onProgress?.({
          phase: "honest",
          seed,
          seedIndex,
          seedCount: settings.seeds.length,
          epoch,
          epochs,
          loss,
        }),
    });
    const history = await model.fit(trainWindows, fitOptions(options, seed, "honest"));
    // Async reads: the webgpu backend cannot read tensors synchronously under Deno.
    const predict = async (part: typeof trainSegment) =>
      part.toPrice(await model.predictAsync(part.windows.inputs, part.windows.count));
    const trainPredicted = await predict(trainSegment);
    const validationPredicted = await predict(validationSegment);
    const testPredicted = await predict(testSegment);
    model.dispose();
    seeds.push({
      seed,
      train: score(trainWindows, trainPredicted),
      validation: score(validationWindows, validationPredicted),
      test: score(testWindows, testPredicted),
      loss: history.loss,
      wallSeconds: (performance.now() - clock) / 1000,
    });
    if (seedIndex === 0) {
      predictions = { seed, test: trace(testWindows, actual(testWindows), testPredicted, data.dates) };
    }
  }

  const ridge = fitRidge(trainWindows.inputs, trainWindows.targets, { l2: settings.ridgeL2 });
  const ridgePredict = (part: typeof trainSegment) => part.toPrice(ridge.predict(part.windows.inputs));
  let upDays = 0;
  for (const day of trainWindows.targetDays) if (columns.close[day] > columns.close[day - 1]) upDays++;
  const majorityUp = upDays * 2 >= trainWindows.count;
  const majorityAccuracy = (part: Windows) => {
    const reference = previousCloses(columns.close, part);
    const guess = reference.map((close) => close * (majorityUp ? 1.01 : 0.99));
    return directionAccuracy(actual(part), guess, reference);
  };
  const result: HonestExperimentResult = {
    kind: "honest",
    experiment: `honest-${config.id}-${reading}${relative ? "-lastClose" : ""}`,
    config,
    reading,
    model: { windowDays, hiddenSize, epochs, featureNames },
    settings,
    period: {
      ...studyPeriod(data, studyFrom, studyEnd),
      train: [split.train.from, split.train.to],
      validation: [split.validation.from, split.validation.to],
      test: [split.test.from, split.test.to],
    },
    seeds,
    summary: {
      validationMape: summarise(seeds.map((seed) => seed.validation.mape)),
      testMape: summarise(seeds.map((seed) => seed.test.mape)),
      testDirectionAccuracy: summarise(seeds.map((seed) => seed.test.directionAccuracy)),
    },
    baselines: {
      validation: {
        persistence: score(
          validationWindows,
          persistenceForecast(columns.close, validationWindows.targetDays),
        ),
        ridge: score(validationWindows, ridgePredict(validationSegment)),
      },
      test: {
        persistence: score(testWindows, persistenceForecast(columns.close, testWindows.targetDays)),
        ridge: score(testWindows, ridgePredict(testSegment)),
      },
      majorityDirection: {
        direction: majorityUp ? "up" : "down",
        validation: majorityAccuracy(validationWindows),
        test: majorityAccuracy(testWindows),
      },
    },
    predictions: predictions!,
    ...(await provenance(started, createdAt)),
  };
  return await finish(result, settings, options);
}

// ---------------------------------------------------------------------------------------------

type FeatureColumns = Record<string, Float64Array>;

/** Validates the data, derives pct change on the full history and resolves the study period. */
function prepare(
  data: PaperData,
  windowDays: number,
  alignment: WindowAlignment,
): { columns: FeatureColumns; studyFrom: number; studyEnd: number } {
  const source = data.columns;
  const names = ["open", "high", "low", "close", "volume", "amount"] as const;
  const dayCount = source.close?.length ?? 0;
  const where = (day: number) => `row index ${day}${data.dates?.[day] ? ` (${data.dates[day]})` : ""}`;
  for (const name of names) {
    const values = source[name];
    if (!values || values.length !== dayCount) {
      throw new RangeError(
        `PaperData: column ${name} has ${values?.length ?? "no"} days, close has ${dayCount}`,
      );
    }
    const positive = name !== "volume" && name !== "amount";
    for (let day = 0; day < dayCount; day++) {
      const value = values[day];
      if (!Number.isFinite(value) || (positive ? value <= 0 : value < 0)) {
        throw new RangeError(`PaperData: column ${name} at ${where(day)} is ${value}`);
      }
    }
  }
  if (data.dates && data.dates.length !== dayCount) {
    throw new RangeError(`PaperData: ${data.dates.length} dates for ${dayCount} days`);
  }
  const dateIndex = (date: string) => data.dates?.indexOf(date) ?? -1;
  const paperFrom = dateIndex(PAPER_STUDY_PERIOD.firstDate);
  const paperLast = dateIndex(PAPER_STUDY_PERIOD.lastDate);
  const studyFrom = data.studyFrom ?? (paperFrom >= 0 ? paperFrom : undefined);
  if (studyFrom === undefined) {
    throw new RangeError(
      `PaperData: pass studyFrom (the dates do not contain the paper's first day ${PAPER_STUDY_PERIOD.firstDate})`,
    );
  }
  const studyEnd = data.studyEnd ?? (paperLast >= 0 ? paperLast + 1 : dayCount);
  // A window for the first target reads back to studyFrom − windowDays + 1 (− 1 more for nextDay), and
  // that day's pct change needs the close before it.
  const historyNeeded = windowDays + (alignment === "nextDay" ? 1 : 0);
  if (!Number.isInteger(studyFrom) || studyFrom < historyNeeded) {
    throw new RangeError(
      `PaperData: studyFrom ${studyFrom} leaves too little history; ${windowDays}-day ${alignment} windows need ${historyNeeded} earlier days`,
    );
  }
  if (!Number.isInteger(studyEnd) || studyEnd > dayCount || studyEnd - studyFrom < 10) {
    throw new RangeError(
      `PaperData: study period [${studyFrom}, ${studyEnd}) is invalid for ${dayCount} days`,
    );
  }
  const columns: FeatureColumns = {
    open: source.open,
    high: source.high,
    low: source.low,
    close: source.close,
    volume: source.volume,
    amount: source.amount,
    pct: pctChange(source.close),
  };
  return { columns, studyFrom, studyEnd };
}

/** The checkpoint options of one training of one seed. */
function fitOptions(options: RunOptions, seed: number, phase: PaperProgress["phase"]): LstmFitArgs {
  return {
    checkpointFolder: options.checkpointFolder
      ? join(options.checkpointFolder, `seed-${seed}`, phase)
      : undefined,
    shouldStop: options.shouldStop,
    checkpointEverySeconds: 20,
  };
}

/** Close of the day before each target day (the reference for direction accuracy). */
function previousCloses(close: Float64Array, windows: Windows): Float64Array {
  return Float64Array.from(windows.targetDays, (day) => close[day - 1]);
}

function trace(
  windows: Windows,
  actual: number[],
  predicted: Float64Array,
  dates?: readonly string[],
): PredictionTrace {
  const targetDays = Array.from(windows.targetDays);
  return {
    targetDays,
    dates: dates ? targetDays.map((day) => dates[day]) : undefined,
    actual,
    predicted: Array.from(predicted),
  };
}

function studyPeriod(data: PaperData, studyFrom: number, studyEnd: number): StudyPeriod {
  return {
    studyFrom,
    studyEnd,
    days: studyEnd - studyFrom,
    firstDate: data.dates?.[studyFrom],
    lastDate: data.dates?.[studyEnd - 1],
  };
}

async function provenance(started: number, createdAt: string): Promise<RunProvenance> {
  await tf.ready();
  const backend = describeBackend();
  return {
    backend: backend.summary,
    backendName: backend.name,
    git: await gitCommit(),
    createdAt,
    wallSeconds: (performance.now() - started) / 1000,
    path: null,
  };
}

async function finish<T extends RunProvenance & { experiment: string }>(
  result: T,
  settings: PaperSettings,
  options: RunOptions,
): Promise<T> {
  if (options.write ?? true) {
    const path = join(settings.outDir, `${result.experiment}.json`);
    result.path = path;
    await writeJsonAtomic(path, result);
  }
  return result;
}
