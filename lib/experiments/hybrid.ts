/**
 * Experiment runners of the hybrid design (notebooks 07-09): training the two-branch LSTM over seeds,
 * the TPE search, permutation importance by input group, and the top-k backtest with its baselines
 * and A/B risk rules. Each result is written atomically to `out/summaries/hybrid/<experiment>.json`.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../backend/mod.ts";
import { type ReturnFit, returnFit } from "../eval/mod.ts";
import {
  buildTwoBranchLstm,
  fitTwoBranchLstm,
  type HybridWindows,
  predictTwoBranchLstm,
} from "../models/mod.ts";
import { createRandom } from "../random/mod.ts";
import { earningsSeasonAdjustWindows } from "../risk/mod.ts";
import { gitCommit, type SeedSummary, summarise, writeJsonAtomic } from "./_private.ts";
import {
  HYBRID_LSTM_SPACE,
  minimize,
  type Params,
  type SearchResult,
  type TrialRecord,
} from "../tune/mod.ts";
import {
  type HybridFeatures,
  type HybridSplitArgs,
  hybridSplitWindows,
  INPUT_GROUPS,
  type InputGroup,
  type SplitName,
  type SplitWindows,
} from "./hybrid_data.ts";

/** Settings of the hybrid experiments; {@link hybridSettings} gives the full and quick ones. */
export interface HybridSettings {
  /** Stocks in the universe (first n codes). */
  stocks: number;
  /** Seeds per configuration. */
  seeds: number;
  /** Maximum training epochs (early stopping on validation loss). */
  epochs: number;
  /** Early-stopping patience in epochs. */
  patience: number;
  /** TPE trials. */
  searchTrials: number;
  /** Maximum epochs per TPE trial. */
  searchEpochs: number;
  /** Keep every n-th window end (1 = every day). */
  strideDays: number;
  /** Shuffles per group for permutation importance. */
  importanceRepeats: number;
  /** Stocks held by the top-k book. */
  topK: number;
  /** Model settings where no search result is used (full: the seed's own; quick: 8 units). */
  params: HybridParams;
}

/**
 * Full settings follow the seed (100 epochs with patience 10, 50 TPE trials of 50 epochs each);
 * quick settings are tiny so that CI runs each notebook in about a minute on two cores.
 *
 * @example
 * ```ts
 * import { hybridSettings } from "./hybrid.ts";
 * hybridSettings(true).stocks; // 6
 * ```
 */
export function hybridSettings(quick: boolean, seeds?: number): HybridSettings {
  return quick
    ? {
      stocks: 6,
      seeds: seeds ?? 2,
      epochs: 2,
      patience: 1,
      searchTrials: 2,
      searchEpochs: 1,
      strideDays: 30,
      importanceRepeats: 1,
      topK: 3,
      params: { ...SEED_PARAMS, units: 8 },
    }
    : {
      stocks: 100,
      seeds: seeds ?? 5,
      epochs: 100,
      patience: 10,
      searchTrials: 50,
      searchEpochs: 50,
      strideDays: 1,
      importanceRepeats: 3,
      topK: 10,
      params: SEED_PARAMS,
    };
}

/** The hyperparameters of one model (the seed's TPE space plus its fixed defaults). */
export interface HybridParams {
  /** LSTM units per branch. Seed default 64. */
  units: number;
  /** Dropout after each branch's Dense layer. Seed default 0 (its model has none). */
  dropout: number;
  /** Adam learning rate. Seed default 0.001. */
  learningRate: number;
  /** Batch size. Seed default 64. */
  batchSize: number;
  /** Window length in days. Seed default 60. */
  windowDays: number;
}

/** The seed's own model settings (its section 6): 60-day windows, 64 units, batch 64, Adam 0.001. */
export const SEED_PARAMS: HybridParams = {
  units: 64,
  dropout: 0,
  learningRate: 0.001,
  batchSize: 64,
  windowDays: 60,
};

/** Options of {@link trainHybrid}. */
export interface TrainHybridArgs {
  /** Seed of initialisation and shuffling. Required. */
  seed: number;
  /** Maximum epochs. Required. */
  epochs: number;
  /** Early-stopping patience. Required. */
  patience: number;
  /** Feed zeros to the fundamental stream: its branch then adds only a constant (technical-only model). Default false. */
  technicalOnly?: boolean;
  /** Apply the seed's earnings-season rule (×1.5 on the four report figures for windows ending on an announcement day). Default false. */
  earningsRule?: boolean;
  /** Permutation importance on the validation windows with this many shuffles per group (0 = none). Default 0. */
  importanceRepeats?: number;
  /**
   * Folder for the training's resumable checkpoints (断点续训): a run that is cut off continues from its
   * last finished epoch. Default: a temporary folder.
   */
  checkpointFolder?: string;
  /** A pruning rule on the validation losses so far, asked before each epoch (see `fitTwoBranchLstm`). Default none. */
  stopWhen?: (validationLosses: readonly number[]) => boolean;
  /** Called after every epoch (after its checkpoint is written: throwing here loses nothing). */
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void | Promise<void>;
}

/** Result of {@link trainHybrid}. */
export interface TrainedHybrid {
  /** Predictions on validation and test windows (same order as the windows). */
  predictions: Record<"validation" | "test", Float32Array>;
  /** Fit on validation and test (with the "predict zero" baseline inside). */
  fit: Record<"validation" | "test", ReturnFit>;
  /** Epochs run, the restored epoch and its validation loss. */
  epochsRun: number;
  /** Epoch whose weights were restored (0-based). */
  bestEpoch: number;
  /** Best validation MSE. */
  bestValidationLoss: number;
  /** Training and validation MSE per epoch. */
  losses: { train: number[]; validation: number[] };
  /** True when `stopWhen` (a pruner) ended the training. */
  pruned: boolean;
  /** Validation MSE increase when each group is shuffled (mean over repeats), when requested. */
  importance?: Record<InputGroup, number>;
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * Trains one two-branch LSTM on the train windows with early stopping on validation, and predicts
 * validation and test. The model is disposed before returning.
 *
 * @example
 * ```ts
 * import { trainHybrid } from "./hybrid.ts";
 * // const trained = await trainHybrid(splits, SEED_PARAMS, { seed: 1, epochs: 2, patience: 1 });
 * ```
 */
export async function trainHybrid(
  splits: Record<SplitName, SplitWindows>,
  params: HybridParams,
  args: TrainHybridArgs,
): Promise<TrainedHybrid> {
  const started = performance.now();
  return await withTrainedHybrid(splits, params, args, (model, fitted, validation) => {
    const test = prepareInputs(splits.test, args);
    const predictions = {
      validation: predictTwoBranchLstm(model, validation),
      test: predictTwoBranchLstm(model, test),
    };
    let importance: Record<InputGroup, number> | undefined;
    if ((args.importanceRepeats ?? 0) > 0) {
      importance = permutationImportance(model, validation, {
        seed: args.seed,
        repeats: args.importanceRepeats!,
        skip: args.technicalOnly ? ["valuation", "profitability", "growth", "macro"] : [],
      });
    }
    return {
      predictions,
      fit: {
        validation: returnFit(predictions.validation, validation.target),
        test: returnFit(predictions.test, test.target),
      },
      ...fitted,
      importance,
      seconds: (performance.now() - started) / 1000,
    };
  });
}

/** How a {@link withTrainedHybrid} training went. */
export interface HybridFitSummary {
  /** Epochs run. */
  epochsRun: number;
  /** Epoch whose weights were restored (0-based). */
  bestEpoch: number;
  /** Best validation MSE. */
  bestValidationLoss: number;
  /** Training and validation MSE per epoch. */
  losses: { train: number[]; validation: number[] };
  /** True when `stopWhen` (a pruner) ended the training. */
  pruned: boolean;
}

/**
 * Trains one two-branch LSTM on the train windows with early stopping on validation, hands the trained
 * model (best weights restored) to `use`, and disposes it. {@link trainHybrid} predicts validation and
 * test with it; a search trial needs only the validation windows, and no test window is touched.
 *
 * @example
 * ```ts
 * import { withTrainedHybrid } from "./hybrid.ts";
 * // const loss = await withTrainedHybrid(splits, SEED_PARAMS, { seed: 1, epochs: 2, patience: 1 }, (_model, fit) => fit.bestValidationLoss);
 * ```
 */
export async function withTrainedHybrid<T>(
  splits: Pick<Record<SplitName, SplitWindows>, "train" | "validation">,
  params: HybridParams,
  args: TrainHybridArgs,
  use: (model: tf.LayersModel, fitted: HybridFitSummary, validation: HybridWindows) => T | Promise<T>,
): Promise<T> {
  const train = prepareInputs(splits.train, args);
  const validation = prepareInputs(splits.validation, args);
  const model = quietOrthogonalWarning(() =>
    buildTwoBranchLstm({
      seed: args.seed,
      windowDays: train.shape.windowDays,
      fundamentalFeatures: train.shape.fundamentalFeatures,
      technicalFeatures: train.shape.technicalFeatures,
      lstmUnits: params.units,
      dropout: params.dropout,
    })
  );
  try {
    const history = await fitTwoBranchLstm(model, train, validation, {
      seed: args.seed,
      epochs: args.epochs,
      batchSize: params.batchSize,
      patience: args.patience,
      learningRate: params.learningRate,
      checkpointFolder: args.checkpointFolder,
      stopWhen: args.stopWhen,
      onEpoch: args.onEpoch,
    });
    return await use(model, {
      epochsRun: history.trainLoss.length,
      bestEpoch: history.bestEpoch,
      bestValidationLoss: history.bestValidationLoss,
      losses: { train: history.trainLoss, validation: history.validationLoss },
      pruned: history.pruned,
    }, validation);
  } finally {
    model.dispose();
  }
}

/**
 * Runs `build` with tfjs' "Orthogonal initializer is being called on a matrix with more than 2000
 * elements" warning filtered out (the seeded orthogonal initialiser of LSTM(64+) is slow but correct;
 * the warning otherwise fills every report). Any other warning passes through.
 */
function quietOrthogonalWarning<T>(build: () => T): T {
  const original = console.warn;
  console.warn = (...items: unknown[]) => {
    if (typeof items[0] === "string" && items[0].startsWith("Orthogonal initializer is being called")) return;
    original(...items);
  };
  try {
    return build();
  } finally {
    console.warn = original;
  }
}

function prepareInputs(split: SplitWindows, args: TrainHybridArgs): HybridWindows {
  const { windows } = split;
  const { windowDays, fundamentalFeatures } = windows.shape;
  let fundamental = windows.fundamental;
  if (args.technicalOnly) fundamental = new Float32Array(fundamental.length);
  else if (args.earningsRule) {
    fundamental = earningsSeasonAdjustWindows(
      fundamental,
      windowDays,
      fundamentalFeatures,
      split.announcement,
    );
  }
  return { ...windows, fundamental };
}

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceArgs {
  /** Seed of the shuffles. Required. */
  seed: number;
  /** Shuffles per group, averaged. Default 1. */
  repeats?: number;
  /** Groups to leave out (reported as NaN). Default none. */
  skip?: readonly InputGroup[];
}

/**
 * Permutation importance: for each input group, shuffle that group's whole windows across samples
 * (the other inputs stay), and report the increase of the MSE over the unshuffled MSE, averaged over
 * `repeats` shuffles. A group the model ignores scores about 0; negative values are noise.
 *
 * @example
 * ```ts
 * import { permutationImportance } from "./hybrid.ts";
 * // permutationImportance(model, validationWindows, { seed: 1, repeats: 3 }).valuation
 * ```
 */
export function permutationImportance(
  model: tf.LayersModel,
  windows: HybridWindows,
  args: PermutationImportanceArgs,
): Record<InputGroup, number> {
  const repeats = args.repeats ?? 1;
  const random = createRandom(args.seed).fork("permutation importance");
  const mse = (predicted: Float32Array) => {
    let sum = 0;
    for (let sample = 0; sample < predicted.length; sample++) {
      sum += (predicted[sample] - windows.target[sample]) ** 2;
    }
    return sum / predicted.length;
  };
  const base = mse(predictTwoBranchLstm(model, windows));
  const { samples, windowDays, fundamentalFeatures, technicalFeatures } = windows.shape;
  const out = {} as Record<InputGroup, number>;
  for (
    const [group, spec] of Object.entries(INPUT_GROUPS) as [InputGroup, (typeof INPUT_GROUPS)[InputGroup]][]
  ) {
    if (args.skip?.includes(group)) {
      out[group] = NaN;
      continue;
    }
    let total = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      const order = random.fork(`${group} ${repeat}`).shuffle(
        Array.from({ length: samples }, (_, index) => index),
      );
      const source = spec.stream === "fundamental" ? windows.fundamental : windows.technical;
      const width = spec.stream === "fundamental" ? fundamentalFeatures : technicalFeatures;
      const shuffled = Float32Array.from(source);
      // hot loop: samples × windowDays × group features
      for (let sample = 0; sample < samples; sample++) {
        const from = order[sample];
        for (let step = 0; step < windowDays; step++) {
          const target = (sample * windowDays + step) * width, origin = (from * windowDays + step) * width;
          for (const feature of spec.features) shuffled[target + feature] = source[origin + feature];
        }
      }
      const permuted = spec.stream === "fundamental"
        ? { ...windows, fundamental: shuffled }
        : { ...windows, technical: shuffled };
      total += mse(predictTwoBranchLstm(model, permuted)) - base;
    }
    out[group] = total / repeats;
  }
  return out;
}

/** The summaries folder of the hybrid experiments: `out/summaries/hybrid` under the project root (quick runs: `out/quick/summaries/hybrid`). */
export function hybridResultsFolder(quick: boolean): string {
  return fileURLToPath(
    new URL(quick ? "../../out/quick/summaries/hybrid" : "../../out/summaries/hybrid", import.meta.url),
  );
}

/**
 * Writes `<results folder>/<experiment>.json` atomically (temp file, then rename) with the git
 * commit and a timestamp; returns the path.
 *
 * @example
 * ```ts
 * import { writeHybridResult } from "./hybrid.ts";
 * // await writeHybridResult("hybrid_model", { config, seeds, metrics }, { quick: true });
 * ```
 */
export async function writeHybridResult(
  experiment: string,
  payload: Record<string, unknown>,
  args: { quick?: boolean; folder?: string } = {},
): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(experiment)) {
    throw new RangeError(`experiment name "${experiment}": use a-z, 0-9, _`);
  }
  const path = join(args.folder ?? hybridResultsFolder(args.quick ?? false), `${experiment}.json`);
  await writeJsonAtomic(path, {
    experiment,
    quick: args.quick ?? false,
    ...payload,
    git: await gitCommit(),
    writtenAt: new Date().toISOString(),
  });
  return path;
}

/**
 * The TPE checkpoint file for these settings: its name carries the data settings (stocks, stride,
 * epochs per trial), which the checkpoint itself does not check, so a search never resumes trials
 * run on other data.
 *
 * @example
 * ```ts
 * import { hybridSettings, searchCheckpointPath } from "./hybrid.ts";
 * searchCheckpointPath(hybridSettings(true), true); // …/out/quick/summaries/hybrid/tpe_6stocks_stride30_epochs1.json
 * ```
 */
export function searchCheckpointPath(settings: HybridSettings, quick: boolean): string {
  return join(
    hybridResultsFolder(quick),
    `tpe_${settings.stocks}stocks_stride${settings.strideDays}_epochs${settings.searchEpochs}.json`,
  );
}

/** Options of {@link runHybridSearch}. */
export interface HybridSearchArgs {
  /** Resumable checkpoint file (see `minimize`). Default none. */
  checkpointPath?: string;
  /** Seed of the search and of every trial's model. Default 0. */
  seed?: number;
  /** Called after each trial. */
  onTrial?: (trial: TrialRecord) => void | Promise<void>;
}

/**
 * TPE search over the seed's space (`HYBRID_LSTM_SPACE`: units, dropout, learning rate, batch size,
 * window length); the objective is the best validation MSE of a model trained for at most
 * `settings.searchEpochs` epochs with early stopping.
 *
 * Porting note: the seed's objective returns the last epoch's validation loss after 50 epochs; ours
 * the best epoch's (early stopping restores it), the value the final model would have.
 *
 * @example
 * ```ts
 * import { hybridSettings, runHybridSearch } from "./hybrid.ts";
 * // const search = await runHybridSearch(features, hybridSettings(true), { checkpointPath: "tpe.json" });
 * ```
 */
export async function runHybridSearch(
  features: HybridFeatures,
  settings: HybridSettings,
  args: HybridSearchArgs = {},
): Promise<SearchResult> {
  const cache = new Map<number, Record<SplitName, SplitWindows>>();
  const seed = args.seed ?? 0;
  return await minimize(
    async (params: Params) => {
      const chosen = toHybridParams(params);
      let splits = cache.get(chosen.windowDays);
      if (splits === undefined) {
        splits = hybridSplitWindows(features, splitArgs(settings, { windowDays: chosen.windowDays }));
        cache.set(chosen.windowDays, splits);
      }
      const trained = await trainHybrid(splits, chosen, {
        seed,
        epochs: settings.searchEpochs,
        patience: settings.patience,
      });
      return trained.bestValidationLoss;
    },
    HYBRID_LSTM_SPACE,
    {
      maxEvaluations: settings.searchTrials,
      seed,
      checkpointPath: args.checkpointPath,
      onTrial: args.onTrial,
    },
  );
}

/**
 * Typed hyperparameters from a TPE draw.
 *
 * @example
 * ```ts
 * import { toHybridParams } from "./hybrid.ts";
 * toHybridParams({ units: 32, dropout: 0.2, learningRate: 0.001, batchSize: 64, windowDays: 30 }).units; // 32
 * ```
 */
export function toHybridParams(params: Params): HybridParams {
  const number = (name: string) => {
    const value = Number(params[name]);
    if (!Number.isFinite(value)) throw new RangeError(`toHybridParams: ${name} is ${params[name]}`);
    return value;
  };
  return {
    units: number("units"),
    dropout: number("dropout"),
    learningRate: number("learningRate"),
    batchSize: number("batchSize"),
    windowDays: number("windowDays"),
  };
}

/**
 * The window options of the settings (stride on train/validation, test windows on every 5th day
 * when striding, so each rebalance day still has a forecast).
 *
 * @example
 * ```ts
 * import { hybridSettings, splitArgs } from "./hybrid.ts";
 * splitArgs(hybridSettings(true), { windowDays: 60 }).testStrideDays; // 5
 * ```
 */
export function splitArgs(settings: HybridSettings, extra: HybridSplitArgs = {}): HybridSplitArgs {
  return {
    strideDays: settings.strideDays,
    testStrideDays: settings.strideDays > 1 ? 5 : 1,
    stocks: Array.from({ length: settings.stocks }, (_, index) => index),
    ...extra,
  };
}

/** Result of {@link trainOverSeeds}. */
export interface SeedRuns {
  /** One trained model result per seed. */
  runs: TrainedHybrid[];
  /** Seeds used. */
  seeds: number[];
  /** Test and validation fits summarised over seeds. */
  summary: Record<"validation" | "test", Record<"mae" | "rmse" | "r2", SeedSummary>>;
}

/**
 * Trains one configuration for `settings.seeds` seeds (1, 2, …).
 *
 * @example
 * ```ts
 * import { trainOverSeeds } from "./hybrid.ts";
 * // const runs = await trainOverSeeds(splits, SEED_PARAMS, settings, { importanceRepeats: 1 });
 * ```
 */
export async function trainOverSeeds(
  splits: Record<SplitName, SplitWindows>,
  params: HybridParams,
  settings: HybridSettings,
  args: Omit<TrainHybridArgs, "seed" | "epochs" | "patience"> & {
    onSeed?: (seed: number, run: TrainedHybrid) => void | Promise<void>;
  } = {},
): Promise<SeedRuns> {
  const seeds = Array.from({ length: settings.seeds }, (_, index) => index + 1);
  const runs: TrainedHybrid[] = [];
  for (const seed of seeds) {
    const run = await trainHybrid(splits, params, {
      ...args,
      seed,
      epochs: settings.epochs,
      patience: settings.patience,
    });
    runs.push(run);
    await args.onSeed?.(seed, run);
  }
  const summarySplit = (split: "validation" | "test") => ({
    mae: summarise(runs.map((run) => run.fit[split].mae)),
    rmse: summarise(runs.map((run) => run.fit[split].rmse)),
    r2: summarise(runs.map((run) => run.fit[split].r2)),
  });
  return { runs, seeds, summary: { validation: summarySplit("validation"), test: summarySplit("test") } };
}

/**
 * Permutation importance over seeds: mean and spread of each group's MSE increase.
 *
 * @example
 * ```ts
 * import { importanceOverSeeds } from "./hybrid.ts";
 * // importanceOverSeeds(runs.runs).valuation.mean
 * ```
 */
export function importanceOverSeeds(runs: readonly TrainedHybrid[]): Record<InputGroup, SeedSummary> {
  const out = {} as Record<InputGroup, SeedSummary>;
  for (const group of Object.keys(INPUT_GROUPS) as InputGroup[]) {
    out[group] = summarise(
      runs.map((run) => run.importance?.[group] ?? NaN).filter((value) => !Number.isNaN(value)),
    );
  }
  return out;
}

/**
 * The seed's star ratings (its section 4.1) for the groups we can measure, and the ones our data
 * lacks. Stars out of five.
 */
export const SEED_STAR_RATINGS: readonly {
  group: string;
  examples: string;
  stars: number;
  measured: InputGroup | null;
}[] = [
  { group: "valuation 估值水平", examples: "PE, PS, EV/EBITDA", stars: 5, measured: "valuation" },
  {
    group: "profitability 盈利能力",
    examples: "ROE, net profit margin",
    stars: 4,
    measured: "profitability",
  },
  { group: "growth 成长性", examples: "revenue growth", stars: 3, measured: "growth" },
  { group: "macro 宏观环境", examples: "yield-curve slope", stars: 3, measured: "macro" },
  { group: "solvency 偿债能力", examples: "interest coverage", stars: 2, measured: null },
  { group: "efficiency 运营效率", examples: "inventory turnover", stars: 2, measured: null },
  { group: "policy 政策影响", examples: "tax-rate changes", stars: 2, measured: null },
];

/** Result of {@link closeTargetComparison}. */
export interface CloseTargetComparison {
  /** The model trained on the (level-scaled) close 5 days ahead: its test fit. */
  model: ReturnFit;
  /** Persistence ("the close in 5 days equals today's") on the same test windows. */
  persistence: ReturnFit;
  /** Windows used. */
  samples: number;
}

/**
 * The seed's target: the close 5 days ahead (divided by each stock's training-period mean close so
 * stocks are comparable). Trains one seed and compares it with persistence: R² on price levels is
 * high for any forecast that knows today's price, so it says little about skill.
 *
 * @example
 * ```ts
 * import { closeTargetComparison } from "./hybrid.ts";
 * // const comparison = await closeTargetComparison(features, SEED_PARAMS, settings);
 * ```
 */
export async function closeTargetComparison(
  features: HybridFeatures,
  params: HybridParams,
  settings: HybridSettings,
): Promise<CloseTargetComparison> {
  const splits = hybridSplitWindows(
    features,
    splitArgs(settings, { windowDays: params.windowDays, target: "close" }),
  );
  const trained = await trainHybrid(splits, params, {
    seed: 1,
    epochs: settings.epochs,
    patience: settings.patience,
  });
  return {
    model: trained.fit.test,
    persistence: returnFit(splits.test.lastClose, splits.test.windows.target),
    samples: splits.test.windows.shape.samples,
  };
}
