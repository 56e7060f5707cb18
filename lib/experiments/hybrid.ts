/**
 * Training one two-branch LSTM of the hybrid design (what every hybrid unit runs: a search trial, a
 * fidelity run, a seed of the final model or an ablation), permutation importance by input group, and the
 * notebooks' result files (written atomically to `out/summaries/hybrid/<experiment>.json`).
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
import { yieldToEventLoop } from "../train/mod.ts";
import { gitCommit, type SeedSummary, summarise, writeJsonAtomic } from "./_private.ts";
import type { Params } from "../tune/mod.ts";
import {
  type HybridSplitArgs,
  INPUT_GROUPS,
  type InputGroup,
  type SplitName,
  type SplitWindows,
} from "./hybrid_data.ts";

/** Data and trading settings of the hybrid study; {@link hybridSettings} gives the full and quick ones. */
export interface HybridSettings {
  /** Stocks in the universe (first n codes). */
  stocks: number;
  /** Keep every n-th window end of train and validation (1 = every day). */
  strideDays: number;
  /** Stocks held by the top-k book. */
  topK: number;
  /** The seed's own model settings (full), or small ones (quick: 8 units), where no search result is used. */
  params: HybridParams;
}

/**
 * Full settings: the seed's 100 stocks, every window, a top-10 book; quick settings are tiny so that CI
 * runs each notebook in about a minute on two cores. How the search, the fidelity check and the final
 * model train is the plan of the units (`hybridSearchPlan`).
 *
 * @example
 * ```ts
 * import { hybridSettings } from "./hybrid.ts";
 * hybridSettings(true).stocks; // 6
 * ```
 */
export function hybridSettings(quick: boolean): HybridSettings {
  return quick
    ? { stocks: 6, strideDays: 30, topK: 3, params: { ...SEED_PARAMS, units: 8 } }
    : { stocks: 100, strideDays: 1, topK: 10, params: SEED_PARAMS };
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
  return await withTrainedHybrid(splits, params, args, async (model, fitted, validation) => {
    const test = prepareInputs(splits.test, args);
    const predictions = {
      validation: predictTwoBranchLstm(model, validation),
      test: predictTwoBranchLstm(model, test),
    };
    let importance: Record<InputGroup, number> | undefined;
    if ((args.importanceRepeats ?? 0) > 0) {
      importance = await permutationImportance(model, validation, {
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
 * // (await permutationImportance(model, validationWindows, { seed: 1, repeats: 3 })).valuation
 * ```
 */
export async function permutationImportance(
  model: tf.LayersModel,
  windows: HybridWindows,
  args: PermutationImportanceArgs,
): Promise<Record<InputGroup, number>> {
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
      // Each prediction runs synchronously: let timers (a results-store claim's renewal) run between them.
      await yieldToEventLoop();
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

/**
 * Permutation importance over seeds: mean and spread of each group's MSE increase.
 *
 * @example
 * ```ts
 * import { importanceOverSeeds } from "./hybrid.ts";
 * // importanceOverSeeds(runs.runs).valuation.mean
 * ```
 */
export function importanceOverSeeds(
  runs: readonly { importance?: Record<InputGroup, number> }[],
): Record<InputGroup, SeedSummary> {
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
