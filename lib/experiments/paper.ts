/**
 * Runners for the ChiNext LSTM paper: the published same-day fit (in-sample, global scaling), its
 * out-of-sample check, and the honest next-day twin — each over several seeds, beside naive baselines.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeBackend, tf } from "../backend/mod.ts";
import { chronologicalSplit, directionAccuracy, regressionMetrics } from "../eval/mod.ts";
import {
  buildWindows,
  fitScaler,
  fromRelative,
  pctChange,
  relativeToLastValue,
  type Scaler,
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
import { gitCommit, summarise, writeJsonAtomic } from "./_private.ts";
import { PAPER_REPORTED, PAPER_STUDY_PERIOD, type PaperInputSet } from "./paper_reported.ts";

export type { SeedSummary } from "./_private.ts";
export * from "./paper_types.ts";
import type {
  HonestExperimentResult,
  HonestSeedResult,
  PaperConfig,
  PaperData,
  PaperExperimentResult,
  PaperProgress,
  PaperSeedResult,
  PaperSettings,
  PredictionTrace,
  RunOptions,
  RunProvenance,
  StudyPeriod,
  UnitReading,
} from "./paper_types.ts";

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
    const lstm = {
      config,
      settings,
      featureCount: featureNames.length,
      windowDays,
      hiddenSize,
      epochs,
      seed,
    };
    const published = await trainSeedLstm(
      { ...lstm, onEpochEnd: progress("asPublished") },
      globalWindows,
      [globalWindows],
      fitOptions(options, seed, "asPublished"),
    );
    const publishedHistory = published.history;
    const publishedPredicted = globalScaler.inverse("close", published.outputs[0]);
    const publishedSeconds = published.seconds;
    const outOfSample = await trainSeedLstm(
      { ...lstm, onEpochEnd: progress("outOfSample") },
      trainWindows,
      [trainWindows, testWindows],
      fitOptions(options, seed, "outOfSample"),
    );
    const outOfSampleHistory = outOfSample.history;
    const trainPredicted = trainScaler.inverse("close", outOfSample.outputs[0]);
    const testPredicted = trainScaler.inverse("close", outOfSample.outputs[1]);
    const outOfSampleSeconds = outOfSample.seconds;

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
    const trained = await trainSeedLstm(
      {
        config,
        settings,
        featureCount: featureNames.length,
        windowDays,
        hiddenSize,
        epochs,
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
      },
      trainWindows,
      [trainWindows, validationWindows, testWindows],
      fitOptions(options, seed, "honest"),
    );
    const [trainPredicted, validationPredicted, testPredicted] = [
      trainSegment,
      validationSegment,
      testSegment,
    ]
      .map((part, index) => part.toPrice(trained.outputs[index]));
    seeds.push({
      seed,
      train: score(trainWindows, trainPredicted),
      validation: score(validationWindows, validationPredicted),
      test: score(testWindows, testPredicted),
      loss: trained.history.loss,
      wallSeconds: trained.seconds,
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

/** What {@link trainSeedLstm} trains: the paper's LSTM for one configuration, settings and seed. */
interface SeedLstmArgs {
  config: PaperConfig;
  settings: PaperSettings;
  featureCount: number;
  windowDays: number;
  hiddenSize: number;
  epochs: number;
  seed: number;
  onEpochEnd: (epoch: number, loss: number) => void;
}

/**
 * One seed's LSTM, as every runner trains it: built from the configuration and settings, fitted on
 * `fitOn` (resumable through `fit`'s checkpoint folder), then its outputs on each of `predictOn` (model
 * space: the caller turns them into prices), and the wall time of the whole.
 */
async function trainSeedLstm(
  args: SeedLstmArgs,
  fitOn: Windows,
  predictOn: readonly Windows[],
  fit: LstmFitArgs,
): Promise<{ history: { loss: number[] }; outputs: Float64Array[]; seconds: number }> {
  const clock = performance.now();
  const model = new LstmRegressor({
    featureCount: args.featureCount,
    windowDays: args.windowDays,
    hiddenSize: args.hiddenSize,
    epochs: args.epochs,
    forgetBias: args.config.forgetBias,
    learningRate: args.settings.learningRate,
    batchSize: args.settings.batchSize,
    dropout: args.settings.dropout,
    seed: args.seed,
    onEpochEnd: args.onEpochEnd,
  });
  try {
    const history = await model.fit(fitOn, fit);
    // Async reads: the webgpu backend cannot read tensors synchronously under Deno.
    const outputs: Float64Array[] = [];
    for (const windows of predictOn) outputs.push(await model.predictAsync(windows.inputs, windows.count));
    return { history, outputs, seconds: (performance.now() - clock) / 1000 };
  } finally {
    model.dispose();
  }
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
