/**
 * EquiNet experiments: trains the Transformer classifier on EquiNet windows over several seeds,
 * evaluates the best and the final checkpoint on fixed window samples, and puts naive baselines
 * and a logistic regression beside every number.
 */
import { join } from "node:path";
import {
  EQUINET_COLUMNS,
  type EquiNetWindowArgs,
  EquiNetWindows,
  type SegmentName,
  type WindowBatch,
  windowSummaryFeatures,
} from "../features/mod.ts";
import { LogisticRegression, TransformerClassifier, type TransformerClassifierArgs } from "../models/mod.ts";
import { createRandom } from "../random/mod.ts";
import {
  assignVariables,
  type EpochRecord,
  readTensorFolder,
  trainModel,
  type TrainResult,
} from "../train/mod.ts";
import { classifierEvaluation, type SelectionRule, selectionScore } from "../train/classifier_evaluation.ts";
import {
  argmaxPredictions,
  type ClassificationReport,
  classificationReport,
  type ConfidenceGateArgs,
  gatePredictions,
  type NaiveBaselines,
  naiveBaselines,
} from "../eval/mod.ts";
import { commonCalendar } from "../data/mod.ts";
import { classShares } from "../features/mod.ts";
import { gitCommit, type SeedSummary, summarise, writeJsonAtomic } from "./_private.ts";

/** One EquiNet configuration: windows, model and training schedule. */
export interface EquiNetConfig {
  /** Short id, used in result file names (e.g. `corrected-d64`). */
  id: string;
  /** What it tests, in words. */
  description?: string;
  /** Window sampler options (mode, context, labels, split). */
  windows: EquiNetWindowArgs;
  /** Model options (the seed is set per run). */
  model: TransformerClassifierArgs;
  /** Epochs. */
  epochs: number;
  /** Training windows drawn per epoch. Default 1000 (the original's). */
  windowsPerEpoch?: number;
  /** Windows per Adam step. Default 50 (the original stepped once per window: batch 1). */
  batchSize?: number;
  /** Size of each fixed evaluation sample (per segment). Default 1000. */
  evaluationWindows?: number;
  /** Initial learning rate. Default 1e-3. */
  learningRate?: number;
  /** StepLR step in epochs. Default 10. */
  stepEpochs?: number;
  /** Confidence gating of the reported predictions (null: arg-max). Default null. */
  gate?: ConfidenceGateArgs | null;
  /** Seed of the evaluation samples, the same for every training seed. Default 12345. */
  evaluationSeed?: number;
  /**
   * Separate evaluation samples of `evaluationWindows` each per set, as the original's
   * `test_best_model.py` ran 10 evaluations of 1000 random windows. Reports cover all of them, and
   * each sample's accuracy is kept (`sampleAccuracies`); the per-epoch selection uses the first
   * sample only. Default 1.
   */
  evaluationSamples?: number;
  /**
   * The best-checkpoint rule: `"points"` (积分制), `"accuracy"` (the published version's) or `"loss"`
   * (validation cross-entropy). Default "points".
   */
  selectBy?: SelectionRule;
  /**
   * Other best-checkpoint rules to report beside `selectBy` (same run, same selection segment): each
   * keeps its own best checkpoint, evaluated on every set at the end ({@link EquiNetRun.otherSelections}),
   * so a table can show what the choice of rule changes. Default none.
   */
  compareSelectBy?: readonly SelectionRule[];
  /**
   * Clip each step's gradients to this global norm; null: no clipping (the published version's
   * train.py had none). Default 1 (EquiNet's later versions clip at 1.0).
   */
  clipNorm?: number | null;
}

/**
 * The segment that chooses the best checkpoint: the original scored its test stocks (LEAKY model
 * selection, reproduced as published); corrected runs use the validation segment.
 */
export function selectionSegment(windows: EquiNetWindows): SegmentName {
  return windows.args.mode === "published" ? "test" : "validation";
}

/** Reports of one run on one evaluated set. */
export interface CheckpointReports {
  /** The checkpoint with the best selection score. */
  best: ClassificationReport;
  /** The last epoch's weights. */
  final: ClassificationReport;
  /** Accuracy of each evaluation sample (only with `evaluationSamples` > 1). */
  sampleAccuracies?: { best: number[]; final: number[] };
}

/** One seed's run. */
export interface EquiNetRun {
  /** Training seed (model initialisation, batches, dropout). */
  seed: number;
  /** Per-epoch history (training loss, selection-set metrics). */
  history: EpochRecord[];
  /** Epoch of the best selection score. */
  bestEpoch: number;
  /** Reports by evaluated set (`train`, `validation`, `test`, and `all` in published mode). */
  reports: Record<string, CheckpointReports>;
  /** Wall-clock seconds of training and evaluation. */
  seconds: number;
  /** Epochs already done before this call (断点续训: resumed from a checkpoint). */
  resumedFromEpoch: number;
  /**
   * The best checkpoint of each `compareSelectBy` rule: its epoch and its reports by evaluated set
   * (only when the configuration compares rules).
   */
  otherSelections?: Partial<
    Record<SelectionRule, { bestEpoch: number; reports: Record<string, ClassificationReport> }>
  >;
  /**
   * The predicted class (0 涨, 1 跌, 2 稳) of every test window, one digit each, in the order of the
   * fixed test sample (whose end dates and labels the baselines unit stores): for tests that resample
   * by date blocks. Best checkpoint, final checkpoint, and each `compareSelectBy` rule's. Corrected
   * runs only.
   */
  testPredictions?: Record<string, string>;
}

/** Options of {@link runEquiNetSeed}. */
export interface RunSeedArgs {
  /** Training seed. */
  seed: number;
  /** Checkpoint folder (`best/`, `last/`). Default: a temporary folder, removed afterwards. */
  checkpointFolder?: string;
  /** Resume from `last/` when present. Default true. */
  resume?: boolean;
  /** Stop after this many epochs of this call (to demonstrate resuming). Default: all. */
  stopAfterEpochs?: number;
  /** Called after every epoch. */
  onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
  /**
   * How the stocks' market columns were paired with their days when loaded
   * (`loadEquiNetUniverse({ alignMarket })`): recorded in the checkpoints, with the market rows, so
   * that `deno task predict` pairs a file's market rows the same way. Not part of the training
   * settings (it changes no number trained). Default: not recorded (prediction then assumes
   * `"position"` and says so).
   */
  alignMarket?: "position" | "date";
}

/** Evaluation samples of an experiment, drawn once with the evaluation seed. */
export interface EvaluationSets {
  /** Fixed window batches by set name. */
  batches: Map<string, WindowBatch>;
  /** Published mode: how many train-sample windows make up the `all` set (the rest from test). */
  allTrainCount?: number;
  /** Windows per evaluation sample (the batches hold `samples` of them each). Default: the batch size. */
  sampleWindows?: number;
  /** The per-epoch selection batch when it differs from the selection segment's batch (its first sample). */
  selection?: WindowBatch;
}

/** The fixed test sample of a window setting, window by window. */
export interface TestWindows {
  /** Last input day of each window (its label reads the closes 1..3 trading days later). */
  dates: string[];
  /** Stock code of each window. */
  codes: string[];
  /** True class of each window, one digit each (0 涨, 1 跌, 2 稳). */
  labels: string;
}

/**
 * The test sample of `sets` window by window, in the order of every run's `testPredictions`.
 *
 * @example
 * ```ts
 * import { evaluationSets, testWindowsOf } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const config = { id: "demo", windows: {}, model: {}, epochs: 1 };
 * testWindowsOf(windows, evaluationSets(windows, config)).labels.length; // 1000
 * ```
 */
export function testWindowsOf(windows: EquiNetWindows, sets: EvaluationSets): TestWindows {
  const batch = sets.batches.get("test");
  if (!batch) throw new Error("testWindowsOf: these evaluation sets have no test segment");
  return {
    dates: batch.refs.map((ref) => windows.stocks[ref.stockIndex].dates[ref.endIndex]),
    codes: batch.refs.map((ref) => windows.stocks[ref.stockIndex].code),
    labels: Array.from(batch.labels).join(""),
  };
}

/** Draws the fixed evaluation samples of a configuration (identical for every seed). */
export function evaluationSets(windows: EquiNetWindows, config: EquiNetConfig): EvaluationSets {
  const count = config.evaluationWindows ?? 1000;
  const samples = config.evaluationSamples ?? 1;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(
      `EquiNet config ${config.id}: evaluationSamples must be a positive integer, got ${samples}`,
    );
  }
  const random = createRandom(config.evaluationSeed ?? 12345);
  const batches = new Map<string, WindowBatch>();
  const padToDays = windows.args.context === "random"
    ? windows.args.maxContextDays
    : windows.args.contextDays;
  let selection: WindowBatch | undefined;
  for (const name of windows.segments.keys()) {
    const refs = windows.drawWindows(name, count * samples, random.fork(name));
    batches.set(name, windows.batch(refs, { padToDays }));
    if (samples > 1 && name === selectionSegment(windows)) {
      selection = windows.batch(refs.slice(0, count), { padToDays });
    }
  }
  const extra = samples > 1 ? { sampleWindows: count, selection } : {};
  if (windows.args.mode !== "published") return { batches, ...extra };
  // The original's `all` set draws windows from all 319 stocks: each sample takes train and test
  // windows in proportion to the stock counts.
  const trainStocks = windows.segment("train").stockIndices.length;
  const allTrainCount = Math.round((count * trainStocks) / windows.stocks.length);
  return { batches, allTrainCount, ...extra };
}

function reportOf(probabilities: Float32Array, batch: WindowBatch, gate?: ConfidenceGateArgs | null) {
  const predictions = gate ? gatePredictions(probabilities, gate) : argmaxPredictions(probabilities);
  return { predictions, report: classificationReport(batch.labels, predictions, batch.futureReturns) };
}

/** Share of `predicted` equal to `labels` over `[start, end)`. */
function accuracyOf(labels: Int32Array, predicted: Int32Array, start: number, end: number): number {
  let correct = 0;
  for (let index = start; index < end; index++) if (labels[index] === predicted[index]) correct++;
  return correct / (end - start);
}

/**
 * Reports on every set, plus `all` (train and test samples in stock proportion) when published;
 * with several evaluation samples, each sample's accuracy too.
 */
async function evaluateAll(
  model: TransformerClassifier,
  sets: EvaluationSets,
  gate: ConfidenceGateArgs | null | undefined,
): Promise<{
  reports: Record<string, ClassificationReport>;
  sampleAccuracies?: Record<string, number[]>;
  predictions: Map<string, Int32Array>;
}> {
  const reports: Record<string, ClassificationReport> = {};
  const predictions = new Map<string, Int32Array>();
  const sampled = new Map<string, { labels: Int32Array; predicted: Int32Array }>();
  for (const [name, batch] of sets.batches) {
    const result = reportOf(await model.predictProbabilities(batch), batch, gate);
    reports[name] = result.report;
    predictions.set(name, result.predictions);
    sampled.set(name, { labels: batch.labels, predicted: result.predictions });
  }
  if (sets.allTrainCount !== undefined) {
    const train = sets.batches.get("train")!;
    const test = sets.batches.get("test")!;
    const sampleWindows = sets.sampleWindows ?? test.size;
    const trainCount = sets.allTrainCount;
    const testCount = sampleWindows - trainCount;
    const labels: number[] = [];
    const returns: number[] = [];
    const predicted: number[] = [];
    for (let offset = 0; offset < test.size; offset += sampleWindows) {
      labels.push(
        ...train.labels.slice(offset, offset + trainCount),
        ...test.labels.slice(offset, offset + testCount),
      );
      returns.push(
        ...train.futureReturns.slice(offset, offset + trainCount),
        ...test.futureReturns.slice(offset, offset + testCount),
      );
      predicted.push(
        ...predictions.get("train")!.slice(offset, offset + trainCount),
        ...predictions.get("test")!.slice(offset, offset + testCount),
      );
    }
    const allLabels = Int32Array.from(labels);
    const allPredicted = Int32Array.from(predicted);
    reports.all = classificationReport(allLabels, allPredicted, Float32Array.from(returns));
    sampled.set("all", { labels: allLabels, predicted: allPredicted });
  }
  if (sets.sampleWindows === undefined) return { reports, predictions };
  const sampleWindows = sets.sampleWindows;
  const sampleAccuracies: Record<string, number[]> = {};
  for (const [name, { labels, predicted }] of sampled) {
    sampleAccuracies[name] = [];
    for (let start = 0; start < labels.length; start += sampleWindows) {
      sampleAccuracies[name].push(
        accuracyOf(labels, predicted, start, Math.min(start + sampleWindows, labels.length)),
      );
    }
  }
  return { reports, sampleAccuracies, predictions };
}

/** Predicted classes as one digit each (0 涨, 1 跌, 2 稳). */
function predictionDigits(predictions: Int32Array | undefined): string {
  return predictions ? Array.from(predictions).join("") : "";
}

/**
 * How a checkpoint's training stocks had their market columns paired, as recorded in its metadata:
 * `alignMarket`, and `marketRows`, the shared market rows (their dates — the common calendar of the
 * stocks — and `marketlimit` values, to recognise them in a file) when the stocks have a common
 * calendar. `deno task predict` reads both to pair a file's market rows as training did.
 *
 * @example
 * ```ts
 * import { marketPairing } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const pairing = marketPairing(windows, "date"); // { alignMarket: "date", marketRows: { dates, marketlimit } }
 * ```
 */
export function marketPairing(
  windows: EquiNetWindows,
  alignMarket: "position" | "date",
): { alignMarket: "position" | "date"; marketRows?: { dates: string[]; marketlimit: number[] } } {
  const calendar = commonCalendar(windows.stocks.map((stock) => [...stock.dates]));
  const calendarText = calendar?.join(",");
  const reference = windows.stocks.find((stock) => stock.dates.join(",") === calendarText);
  if (!calendar || !reference) return { alignMarket };
  return { alignMarket, marketRows: { dates: calendar, marketlimit: Array.from(reference.marketlimit) } };
}

/**
 * The metadata a checkpoint of this configuration carries: the model options, the resolved window
 * options (normalisation mode, context, labels), the feature columns in order, and the context
 * length prediction uses (fixed: `contextDays`; random: `maxContextDays`, the longest seen in
 * training), and in published mode the test stocks' codes; with `alignMarket`, how the market
 * columns were paired ({@link marketPairing}). `deno task predict` reads it back.
 *
 * @example
 * ```ts
 * import { checkpointMetadata } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const metadata = checkpointMetadata({ dModel: 16 }, windows, "demo", "date");
 * ```
 */
export function checkpointMetadata(
  model: TransformerClassifierArgs,
  windows: EquiNetWindows,
  experiment: string,
  alignMarket?: "position" | "date",
): Record<string, unknown> {
  const args = windows.args;
  return {
    kind: "equinet-transformer",
    experiment,
    model,
    windows: { ...args, testStartDate: args.testStartDate ?? null },
    features: [...EQUINET_COLUMNS],
    inferenceContextDays: args.context === "random" ? args.maxContextDays : args.contextDays,
    // Published mode: the test stocks themselves, so that a change of how they are chosen (as
    // from lib/random's shuffle to Python's random.sample) changes the experiment's fingerprint.
    ...(args.mode === "published"
      ? { testStocks: windows.segment("test").stockIndices.map((index) => windows.stocks[index].code) }
      : {}),
    ...(alignMarket === undefined ? {} : marketPairing(windows, alignMarket)),
  };
}

/**
 * Trains one seed of a configuration and reports its best (by the selection segment's points
 * score) and final checkpoints on every evaluation set.
 *
 * @example
 * ```ts
 * import { evaluationSets, runEquiNetSeed } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const config = { id: "demo", windows: {}, model: { dModel: 16, heads: 2, layers: 1 }, epochs: 2 };
 * const run = await runEquiNetSeed(windows, config, evaluationSets(windows, config), { seed: 1 });
 * ```
 */
export async function runEquiNetSeed(
  windows: EquiNetWindows,
  config: EquiNetConfig,
  sets: EvaluationSets,
  args: RunSeedArgs,
): Promise<EquiNetRun> {
  const started = performance.now();
  const modelArgs = { ...config.model, seed: args.seed };
  const model = new TransformerClassifier(modelArgs);
  const temporary = args.checkpointFolder ? undefined : await Deno.makeTempDir({ prefix: "equinet-" });
  const folder = args.checkpointFolder ?? temporary!;
  const selection = sets.selection ?? sets.batches.get(selectionSegment(windows));
  if (!selection) throw new Error(`EquiNet experiment ${config.id}: no ${selectionSegment(windows)} segment`);
  try {
    const epochs = args.stopAfterEpochs === undefined
      ? config.epochs
      : Math.min(config.epochs, args.stopAfterEpochs);
    const result: TrainResult = await trainModel({
      model,
      epochs,
      seed: args.seed,
      learningRate: config.learningRate,
      stepEpochs: config.stepEpochs,
      clipNorm: config.clipNorm,
      drawBatches: (random) =>
        windows.drawEpoch(random, config.windowsPerEpoch ?? 1000, config.batchSize ?? 50),
      evaluate: classifierEvaluation(model, selection, {
        gate: config.gate ?? null,
        selectBy: config.selectBy,
      }),
      checkpointFolder: folder,
      resume: args.resume ?? true,
      metadata: checkpointMetadata(modelArgs, windows, config.id),
      // The pairing is saved but not compared on resume: the data fingerprint naming a resumable
      // folder already covers it, and checkpoints written before it was recorded still resume.
      notes: args.alignMarket === undefined ? undefined : marketPairing(windows, args.alignMarket),
      keepBestBy: config.compareSelectBy?.length
        ? Object.fromEntries(
          config.compareSelectBy.map((rule) => [rule, (metrics: Record<string, number>) =>
            selectionScore(rule, metrics)]
          ),
        )
        : undefined,
      onEpochEnd: args.onEpochEnd,
    });
    const final = await evaluateAll(model, sets, config.gate);
    const saved = await readTensorFolder(join(folder, "best"));
    assignVariables(model.namedVariables, saved.weights);
    const best = await evaluateAll(model, sets, config.gate);
    const reports: Record<string, CheckpointReports> = {};
    for (const name of Object.keys(final.reports)) {
      reports[name] = { best: best.reports[name], final: final.reports[name] };
      if (final.sampleAccuracies && best.sampleAccuracies) {
        reports[name].sampleAccuracies = {
          best: best.sampleAccuracies[name],
          final: final.sampleAccuracies[name],
        };
      }
    }
    const corrected = windows.args.mode !== "published";
    const testPredictions: Record<string, string> = {
      best: predictionDigits(best.predictions.get("test")),
      final: predictionDigits(final.predictions.get("test")),
    };
    let otherSelections: EquiNetRun["otherSelections"];
    for (const rule of config.compareSelectBy ?? []) {
      const chosen = result.alsoBest[rule];
      if (!chosen || chosen.epoch === 0) continue;
      const weights = await readTensorFolder(join(folder, `best-${rule}`));
      assignVariables(model.namedVariables, weights.weights);
      const evaluated = await evaluateAll(model, sets, config.gate);
      otherSelections ??= {};
      otherSelections[rule] = { bestEpoch: chosen.epoch, reports: evaluated.reports };
      testPredictions[rule] = predictionDigits(evaluated.predictions.get("test"));
    }
    return {
      seed: args.seed,
      history: result.history,
      bestEpoch: result.bestEpoch,
      reports,
      seconds: (performance.now() - started) / 1000,
      resumedFromEpoch: result.resumedFromEpoch,
      ...(otherSelections ? { otherSelections } : {}),
      ...(corrected ? { testPredictions } : {}),
    };
  } finally {
    model.dispose();
    if (temporary) await Deno.remove(temporary, { recursive: true }).catch(() => {});
  }
}

/** A logistic regression on window summary features, fitted on training windows only. */
export interface LogisticBaseline {
  /** Training windows it was fitted on. */
  trainingWindows: number;
  /** Reports by evaluation set. */
  reports: Record<string, ClassificationReport>;
}

/**
 * Fits the logistic baseline on `trainingWindows` random training windows (drawn with the
 * evaluation seed) and reports it on every evaluation set except `train`.
 *
 * @example
 * ```ts
 * import { evaluationSets, logisticBaseline } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const config = { id: "demo", windows: {}, model: {}, epochs: 1 };
 * const logistic = logisticBaseline(windows, config, evaluationSets(windows, config), 2000);
 * ```
 */
export function logisticBaseline(
  windows: EquiNetWindows,
  config: EquiNetConfig,
  sets: EvaluationSets,
  trainingWindows = 5000,
): LogisticBaseline {
  const random = createRandom(config.evaluationSeed ?? 12345).fork("logistic");
  const training = windows.batch(windows.drawWindows("train", trainingWindows, random));
  const model = new LogisticRegression().fit(windowSummaryFeatures(training), training.labels);
  const reports: Record<string, ClassificationReport> = {};
  for (const [name, batch] of sets.batches) {
    if (name === "train") continue;
    const probabilities = model.predictProbabilities(windowSummaryFeatures(batch));
    reports[name] = classificationReport(batch.labels, argmaxPredictions(probabilities), batch.futureReturns);
  }
  return { trainingWindows, reports };
}

/**
 * A baseline with no model that uses the published split's cross-sectional leak: each evaluated
 * window gets the most common label among the training stocks' windows ending on the same date (the
 * training majority where no training window ends that day). Test stocks live on the training stocks'
 * days, so what the training stocks did on a date — including over the 3 days after it — is known for
 * the test stocks' windows too; the shared market columns let a model tell the dates apart. Null
 * outside published mode (a chronological split shares no dates).
 *
 * @example
 * ```ts
 * import { evaluationSets, sameDateMajority } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const config = { id: "demo", windows: { mode: "published" as const }, model: {}, epochs: 1 };
 * sameDateMajority(windows, evaluationSets(windows, config))?.test.accuracy;
 * ```
 */
export function sameDateMajority(
  windows: EquiNetWindows,
  sets: EvaluationSets,
): Record<string, ClassificationReport> | null {
  if (windows.args.mode !== "published") return null;
  const byDate = new Map<string, number[]>();
  const overall = [0, 0, 0];
  for (const ref of windows.allWindows("train")) {
    const date = windows.stocks[ref.stockIndex].dates[ref.endIndex];
    const label = windows.label(ref);
    if (label < 0) continue;
    let counts = byDate.get(date);
    if (!counts) byDate.set(date, counts = [0, 0, 0]);
    counts[label]++;
    overall[label]++;
  }
  const top = (counts: number[]) => counts.indexOf(Math.max(...counts));
  const reports: Record<string, ClassificationReport> = {};
  for (const [name, batch] of sets.batches) {
    if (name === "train") continue;
    const predictions = Int32Array.from(batch.refs, (ref) => {
      const counts = byDate.get(windows.stocks[ref.stockIndex].dates[ref.endIndex]);
      return top(counts ?? overall);
    });
    reports[name] = classificationReport(batch.labels, predictions, batch.futureReturns);
  }
  return reports;
}

/** Naive baselines on every evaluation set except `train`; the majority class comes from training labels. */
export function equiNetBaselines(
  windows: EquiNetWindows,
  sets: EvaluationSets,
): Record<string, NaiveBaselines> {
  const train = sets.batches.get("train");
  if (!train) throw new Error("equiNetBaselines: no train sample");
  const baselines: Record<string, NaiveBaselines> = {};
  for (const [name, batch] of sets.batches) {
    if (name === "train") continue;
    baselines[name] = naiveBaselines(train.labels, batch.labels, batch.futureReturns);
  }
  void windows;
  return baselines;
}

/** The metrics summarised over seeds. */
export const SUMMARY_METRICS = [
  "accuracy",
  "points",
  "upRecall",
  "downMisjudge",
  "extremeUpCapture",
] as const;
/** One of {@link SUMMARY_METRICS}. */
export type SummaryMetric = typeof SUMMARY_METRICS[number];

/** An experiment over several seeds. */
export interface EquiNetExperimentResult {
  /** The configuration. */
  config: EquiNetConfig;
  /** Training seeds. */
  seeds: number[];
  /** One run per seed. */
  runs: EquiNetRun[];
  /** Mean ± std over seeds, by set, checkpoint and metric. */
  summary: Record<string, Record<"best" | "final", Record<SummaryMetric, SeedSummary>>>;
  /** Naive baselines by set. */
  baselines: Record<string, NaiveBaselines>;
  /** Logistic baseline (null when skipped). */
  logistic: LogisticBaseline | null;
  /** Label shares of the evaluation sets (UP, DOWN, FLAT). */
  labelShares: Record<string, number[]>;
  /** Published: the training stocks' most common label on each window's date, a baseline with no model ({@link sameDateMajority}). */
  sameDateMajority?: Record<string, ClassificationReport> | null;
  /** Corrected: the test sample window by window, in the order of each run's `testPredictions`. */
  testWindows?: TestWindows;
  /** Wall-clock seconds of the whole experiment. */
  wallSeconds: number;
}

/** Options of {@link runEquiNetExperiment}. */
export interface RunExperimentArgs {
  /** Training seeds. */
  seeds: number[];
  /** Fit the logistic baseline on this many training windows (0: skip). Default 5000. */
  logisticWindows?: number;
  /** Called after every epoch of every seed. */
  onEpochEnd?: (seed: number, record: EpochRecord) => void | Promise<void>;
  /**
   * Folder under which every seed keeps its checkpoints (`<folder>/<config id>-<fingerprint>/seed-<n>/`)
   * and continues from them (断点续训 for a whole experiment): kill a long run, run it again, and
   * finished seeds are only evaluated, the interrupted one continues from its last epoch, with the
   * same results as an uninterrupted run. The fingerprint hashes the configuration and the data, so
   * a changed setting or data set trains afresh instead of reusing old weights. Code changes are not
   * detected: clear the folder after changing the model or the trainer. Default: none (temporary
   * folders, every seed trained from scratch).
   */
  checkpointFolder?: string;
  /** How the stocks' market columns were paired, recorded in every checkpoint ({@link RunSeedArgs.alignMarket}). */
  alignMarket?: "position" | "date";
}

/**
 * A short hex fingerprint of an experiment's configuration and data (codes, dates and every input
 * column of every stock): {@link runEquiNetExperiment} names its resumable folders with it.
 *
 * @example
 * ```ts
 * import { experimentFingerprint } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const fingerprint = experimentFingerprint(windows, { id: "demo", windows: {}, model: { dModel: 16 } });
 * ```
 */
export function experimentFingerprint(windows: EquiNetWindows, config: EquiNetConfig): string {
  // FNV-1a over the JSON of the settings, then over the raw bytes of every column (≈ 1 M values for
  // equinet-319: a few milliseconds).
  let hash = 0x811c9dc5;
  const text = JSON.stringify({ config, windows: checkpointMetadata(config.model, windows, config.id) });
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  for (const stock of windows.stocks) {
    const dates = stock.code + stock.dates.join("");
    for (let index = 0; index < dates.length; index++) {
      hash = Math.imul(hash ^ dates.charCodeAt(index), 0x01000193);
    }
    for (const column of EQUINET_COLUMNS) {
      const bytes = new Uint8Array(stock[column].buffer, stock[column].byteOffset, stock[column].byteLength);
      for (let index = 0; index < bytes.length; index++) hash = Math.imul(hash ^ bytes[index], 0x01000193);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * Mean ± std over seeds of every summary metric, by evaluated set and checkpoint.
 *
 * @example
 * ```ts ignore
 * summariseRuns(runs).test.best.points.mean;
 * ```
 */
export function summariseRuns(runs: readonly EquiNetRun[]): EquiNetExperimentResult["summary"] {
  const summary: EquiNetExperimentResult["summary"] = {};
  for (const name of Object.keys(runs[0].reports)) {
    summary[name] = { best: {}, final: {} } as EquiNetExperimentResult["summary"][string];
    for (const checkpoint of ["best", "final"] as const) {
      for (const metric of SUMMARY_METRICS) {
        summary[name][checkpoint][metric] = summarise(
          runs.map((run) => run.reports[name][checkpoint][metric]),
        );
      }
    }
  }
  return summary;
}

/** Label shares [涨, 跌, 稳] of each fixed evaluation sample. */
export function evaluationLabelShares(sets: EvaluationSets): Record<string, number[]> {
  return Object.fromEntries([...sets.batches].map(([name, batch]) => [name, classShares(batch.labels)]));
}

/**
 * Runs a configuration over several seeds with its baselines.
 *
 * @example
 * ```ts
 * import { runEquiNetExperiment } from "./equinet.ts";
 * declare const windows: import("../features/mod.ts").EquiNetWindows;
 * const result = await runEquiNetExperiment(windows, {
 *   id: "demo", windows: {}, model: { dModel: 16, heads: 2, layers: 1 }, epochs: 2,
 * }, { seeds: [1, 2, 3] });
 * ```
 */
export async function runEquiNetExperiment(
  windows: EquiNetWindows,
  config: EquiNetConfig,
  args: RunExperimentArgs,
): Promise<EquiNetExperimentResult> {
  const started = performance.now();
  const sets = evaluationSets(windows, config);
  const runs: EquiNetRun[] = [];
  const experimentFolder = args.checkpointFolder &&
    join(args.checkpointFolder, `${config.id}-${experimentFingerprint(windows, config)}`);
  for (const seed of args.seeds) {
    runs.push(
      await runEquiNetSeed(windows, config, sets, {
        seed,
        checkpointFolder: experimentFolder && join(experimentFolder, `seed-${seed}`),
        resume: experimentFolder !== undefined,
        alignMarket: args.alignMarket,
        onEpochEnd: args.onEpochEnd && ((record) => args.onEpochEnd!(seed, record)),
      }),
    );
  }
  const summary = summariseRuns(runs);
  const labelShares = evaluationLabelShares(sets);
  const logisticWindows = args.logisticWindows ?? 5000;
  return {
    config,
    seeds: [...args.seeds],
    runs,
    summary,
    baselines: equiNetBaselines(windows, sets),
    logistic: logisticWindows > 0 ? logisticBaseline(windows, config, sets, logisticWindows) : null,
    labelShares,
    ...(windows.args.mode === "published" ? {} : { testWindows: testWindowsOf(windows, sets) }),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * Writes experiment results atomically to `<folder>/<name>.json` with the git commit and the
 * parameters they ran under. Returns the path.
 *
 * @example
 * ```ts
 * import { writeEquiNetResults } from "./equinet.ts";
 * await writeEquiNetResults("out/summaries/equinet", "demo", { quick: true }, []);
 * ```
 */
export async function writeEquiNetResults(
  folder: string,
  name: string,
  settings: Record<string, unknown>,
  results: readonly EquiNetExperimentResult[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const path = join(folder, `${name}.json`);
  await writeJsonAtomic(path, {
    experiment: name,
    git: await gitCommit(),
    writtenAt: new Date().toISOString(),
    settings,
    wallSeconds: results.reduce((total, result) => total + result.wallSeconds, 0),
    ...extra,
    results: results.map((result) => ({
      ...result,
      runs: result.runs.map(({ history, ...run }) => ({
        ...run,
        history: history.map(({ seconds: _seconds, ...record }) => record),
        epochSeconds: history.map((record) => record.seconds),
      })),
    })),
  });
  return path;
}

/** "0.512 ± 0.010" (or "0.512" for one seed). */
export function formatSummary(summary: SeedSummary, digits = 3): string {
  if (!Number.isFinite(summary.mean)) return "n/a";
  return summary.values.length > 1
    ? `${summary.mean.toFixed(digits)} ± ${summary.std.toFixed(digits)}`
    : summary.mean.toFixed(digits);
}
