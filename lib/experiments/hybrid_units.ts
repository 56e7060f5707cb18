/**
 * The hybrid fundamentals + LSTM study as units of the results store, searched the affordable way:
 * - `hybrid/search/trial-NN` — the seed's 50 TPE trials over its space, each a unit. A trial trains on every
 *   k-th training window and scores on every j-th validation day, for at most a capped number of epochs, and a
 *   median pruner (Optuna's rule) stops
 *   it when its best validation loss is worse than the median of earlier trials at the same epoch. Each
 *   trial also backtests its validation predictions (top-k), so the search's Sharpe ratios can be deflated
 *   for the number of trials.
 * - `hybrid/fidelity/config-K/affordable` and `…/full` — 5 configurations drawn from the space, trained the
 *   affordable way and the seed's way (all windows, 50 epochs, patience 10): does the ranking survive?
 *
 * Porting note: the seed runs its trials one after another, each proposal seeing every earlier trial. Here
 * trial n is proposed (TPE) and pruned (median rule) from trials 0 … n−2, so two trials run at once on two
 * cores — as Optuna's TPE does with two parallel workers — and the search stays deterministic: trial n
 * always sees the same trials, whichever finished first. A pruned trial enters TPE with the best loss it
 * reached (it is among the worse ones by construction) but not the median rule, which — as Optuna's —
 * compares only with completed trials.
 *
 * @module
 */
import { join } from "node:path";
import { describeBackend, selectBackend, tf } from "../backend/mod.ts";
import { loadRegistry } from "../data/mod.ts";
import { createRandom } from "../random/mod.ts";
import { type StoredUnit, type UnitDefinition, UnitInterrupted } from "../store/mod.ts";
import {
  HYBRID_LSTM_SPACE,
  MedianPruner,
  type MedianPrunerArgs,
  type Params,
  sampleParam,
  suggestTpe,
} from "../tune/mod.ts";
import { predictTwoBranchLstm } from "../models/mod.ts";
import { type ReturnFit } from "../eval/mod.ts";
import {
  type HybridSettings,
  hybridSettings,
  splitArgs,
  toHybridParams,
  trainHybrid,
  withTrainedHybrid,
} from "./hybrid.ts";
import { hybridMarketPanel, modelBacktests, riskFreeFromBondYield } from "./hybrid_backtest.ts";
import {
  buildHybridFeatures,
  type HybridFeatures,
  hybridSplitWindows,
  type HybridUniverse,
  type InputGroup,
  loadHybridUniverse,
  type SplitName,
  type SplitWindows,
} from "./hybrid_data.ts";

/**
 * Bump when a code change alters what the hybrid units compute.
 * 2: the two-branch LSTM trains through lib/train's loop (PyTorch's Adam formula instead of tfjs's, resumable
 * checkpoints, early stopping from the history). No full-settings hybrid unit had been stored.
 * 3: the search is cut into one unit per trial, trained the affordable way (subsample, epoch cap, median
 * pruner), with the fidelity check beside it. No full-settings hybrid unit had been stored.
 */
export const HYBRID_NUMERICS_VERSION = 3;

/** How one model is trained in the search or the fidelity check. */
export interface HybridTrainingWay {
  /** Keep every n-th training window end (1 = all ≈ 104,000 windows at 60 days). */
  trainStrideDays: number;
  /** Keep every n-th validation window end for the objective and early stopping (1 = all ≈ 22,650). */
  validationStrideDays: number;
  /** Epoch cap. */
  maxEpochs: number;
  /** Early-stopping patience in epochs (best weights restored). */
  patience: number;
}

/** The affordable search's plan: the seed's space, trial count and objective; cheaper trials. */
export interface HybridSearchPlan {
  /** Trials (the seed's `max_evals`: 50). */
  trials: number;
  /** Seed of the proposals and of every trial's model (the seed's search is seeded once). */
  searchSeed: number;
  /** How each trial trains. */
  affordable: HybridTrainingWay;
  /** The median pruner's options. */
  pruner: Required<MedianPrunerArgs>;
  /** The seed's way, for the fidelity check: all windows, its 50 epochs, patience 10. */
  full: HybridTrainingWay;
  /** Configurations drawn from the space for the fidelity check. */
  fidelityConfigurations: number;
  /** Seed of the fidelity configurations' draws (and of their models). */
  fidelitySeed: number;
  /** Stocks held by each trial's validation backtest. */
  topK: number;
  /** How the final model and the ablations train (the seed's 100 epochs and patience 10; the subsample the fidelity check justifies). */
  final: HybridTrainingWay;
  /** Seeds of the final model (issue: 5). */
  finalSeeds: number;
  /** Seeds of each ablation (issue: ≥ 3). */
  ablationSeeds: number;
  /** Permutation-importance shuffles per group and seed (issue: ≥ 3). */
  importanceRepeats: number;
}

/**
 * The search plan of the full and quick settings. Full: trials train on every 10th training window (≈ 10,400
 * of ≈ 104,000 at 60 days; windows that start one day apart share 59 of 60 days) and score on every 5th
 * validation day (≈ 4,500 of ≈ 22,650 windows), at most 15 epochs, patience 4, pruning from the 3rd epoch
 * once 5 trials have finished. Measured on this machine (one core, two processes): a window costs ≈ 1.0 ms
 * to train and ≈ 0.5 ms to predict at 64 units (≈ 0.7 / 0.5 at 32, ≈ 2.3 / 1.1 at 128), so a trial epoch
 * takes 9-30 s and the 50 trials about 2 of the study's 10 CPU-hours; every window and every validation day
 * (the seed's way) costs ≈ 110 s an epoch at 64 units, ≈ 250 s at 128. The final model and the ablations
 * train on the same training subsample with early stopping on every validation window (100 epochs,
 * patience 10), which the fidelity units check against the seed's way.
 *
 * @example
 * ```ts
 * import { hybridSearchPlan } from "./hybrid_units.ts";
 * hybridSearchPlan(false).affordable.trainStrideDays; // 10
 * ```
 */
export function hybridSearchPlan(quick: boolean): HybridSearchPlan {
  return quick
    ? {
      trials: 3,
      searchSeed: 0,
      affordable: { trainStrideDays: 60, validationStrideDays: 30, maxEpochs: 2, patience: 1 },
      pruner: { startupTrials: 1, warmupEpochs: 1 },
      full: { trainStrideDays: 30, validationStrideDays: 30, maxEpochs: 2, patience: 1 },
      fidelityConfigurations: 2,
      fidelitySeed: 1,
      topK: 3,
      final: { trainStrideDays: 30, validationStrideDays: 30, maxEpochs: 2, patience: 1 },
      finalSeeds: 2,
      ablationSeeds: 1,
      importanceRepeats: 1,
    }
    : {
      trials: 50,
      searchSeed: 0,
      affordable: { trainStrideDays: 10, validationStrideDays: 5, maxEpochs: 15, patience: 4 },
      pruner: { startupTrials: 5, warmupEpochs: 2 },
      full: { trainStrideDays: 1, validationStrideDays: 1, maxEpochs: 50, patience: 10 },
      fidelityConfigurations: 5,
      fidelitySeed: 1,
      topK: 10,
      final: { trainStrideDays: 10, validationStrideDays: 1, maxEpochs: 100, patience: 10 },
      finalSeeds: 5,
      ablationSeeds: 3,
      importanceRepeats: 3,
    };
}

/** One trained configuration as a hybrid unit stores it. */
export interface HybridTrainingRecord {
  /** The hyperparameters (the seed's space). */
  params: Params;
  /** Best validation MSE (the search's objective); null when training diverged. */
  loss: number | null;
  /** Validation MSE after each epoch. */
  validationLosses: number[];
  /** Training MSE of each epoch. */
  trainLosses: number[];
  /** Epochs run. */
  epochsRun: number;
  /** 1-based epoch whose weights were restored. */
  bestEpoch: number;
  /** True when the median pruner stopped it. */
  pruned: boolean;
  /** Training windows it saw each epoch, and the validation windows. */
  windows: { train: number; validation: number };
}

/** What a hybrid unit stores. */
export type HybridUnitResult =
  | (HybridTrainingRecord & {
    kind: "trial";
    /** 0-based trial number. */
    index: number;
    /** The top-k book on the trial's validation predictions (2019), for the deflated Sharpe ratio. */
    validationBacktest: {
      sharpe: number;
      annualisedReturn: number;
      days: number;
      /** Daily returns of the book, rounded to 1e-7. */
      dailyReturns: number[];
    };
  })
  | (HybridTrainingRecord & {
    kind: "fidelity";
    /** 1-based configuration number. */
    configuration: number;
    /** Which way it was trained. */
    way: "affordable" | "full";
  })
  | (HybridTrainingRecord & {
    kind: "model";
    /** The final model or one of its ablations. */
    variant: HybridVariant;
    /** Seed of initialisation and shuffling. */
    seed: number;
    /** The search's best trial (0-based), whose parameters it uses. */
    bestTrial: number;
    /** Fit on validation (every day) and test (the rebalance days), with the "return = 0" baseline inside. */
    fit: Record<"validation" | "test", ReturnFit>;
    /** Predicted 5-day returns of the test windows (every 5th day from the first test day, the rebalance days), rounded to 1e-7. */
    testPredictions: number[];
    /** Validation MSE increase when each input group is shuffled (mean over the repeats); the final model only. */
    importance?: Record<InputGroup, number>;
  });

/**
 * The final model and its ablations: `model` (the search's best parameters), `technical-only` (zeros in
 * the fundamental stream: does that branch help?), `earnings-rule` (the seed's ×1.5 on the report figures in
 * earnings season), `close-target` (the seed's price target, whose R² misleads). The circuit breaker and
 * ridge need no training: notebook 09 runs them on these units' predictions and the same windows.
 */
export type HybridVariant = "model" | "technical-only" | "earnings-rule" | "close-target";

interface Prepared {
  universe: HybridUniverse;
  features: HybridFeatures;
}

let prepared: Promise<Prepared> | undefined;
let backendReady: Promise<unknown> | undefined;

async function prepare(stocks: number): Promise<Prepared> {
  backendReady ??= selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "wasm");
  await backendReady;
  prepared ??= loadHybridUniverse({ stocks }).then((universe) => ({
    universe,
    features: buildHybridFeatures(universe),
  }));
  return await prepared;
}

/** The backend line stored with each hybrid unit. */
export async function hybridBackend(): Promise<string> {
  await tf.ready();
  return describeBackend().summary;
}

/**
 * Wall seconds of one epoch of the seed's model (60 days, LSTM 64 × 2, batch 64) with native BLAS on one
 * thread, two processes on the 2-core development machine: ≈ 100 s of training over all ≈ 104,000 windows
 * and ≈ 12 s predicting the ≈ 22,650 validation windows. The estimate of units nobody has timed yet; the
 * store's measured times replace it.
 */
const TRAIN_ALL_SECONDS = 100, VALIDATION_SECONDS = 12;

/**
 * The hybrid study's units: the search's trials and the fidelity check.
 *
 * @example
 * ```ts ignore
 * import { hybridUnits } from "./hybrid_units.ts";
 * (await hybridUnits()).map((unit) => unit.id); // hybrid/search/trial-00 … trial-49, hybrid/fidelity/config-1/affordable …
 * ```
 */
export async function hybridUnits(
  args: { quick?: boolean } = {},
): Promise<UnitDefinition<HybridUnitResult>[]> {
  const quick = args.quick ?? false;
  const settings = hybridSettings(quick);
  const plan = hybridSearchPlan(quick);
  const registry = await loadRegistry();
  const data = ["fundamentals-100", "macro-cn"].flatMap((name) => {
    const dataset = registry.datasets[name];
    if (!dataset) throw new Error(`hybridUnits: data set ${name} is not in data/datasets.json`);
    return dataset.files.map((file) => ({ dataset: name, path: file.path, sha256: file.sha256 }));
  });
  const shared = { stocks: settings.stocks, horizonDays: 5, strideDays: settings.strideDays };
  const epochSeconds = (way: HybridTrainingWay) =>
    quick ? 1 : VALIDATION_SECONDS / way.validationStrideDays + TRAIN_ALL_SECONDS / way.trainStrideDays;
  const trialId = (index: number) => `hybrid/search/trial-${String(index).padStart(2, "0")}`;

  const trials = Array.from({ length: plan.trials }, (_, index): UnitDefinition<HybridUnitResult> => {
    const dependencies = Array.from({ length: Math.max(0, index - 1) }, (_, earlier) => trialId(earlier));
    return {
      id: trialId(index),
      kind: "hybrid/trial",
      settings: {
        ...shared,
        trial: index,
        searchSeed: plan.searchSeed,
        space: HYBRID_LSTM_SPACE,
        affordable: plan.affordable,
        pruner: plan.pruner,
        topK: plan.topK,
        proposal: "TPE (hyperopt defaults) from trials 0 … n−2",
      },
      data,
      numericsVersion: HYBRID_NUMERICS_VERSION,
      dependencies,
      // Pruned and early-stopped trials end sooner: two thirds of the cap until one is measured.
      estimateSeconds: Math.ceil((plan.affordable.maxEpochs * 2) / 3) * epochSeconds(plan.affordable),
      run: async (context) => {
        const earlier = dependencies.map((id) => trialResult(context.dependencies.get(id), id));
        const params = suggestTpe(
          HYBRID_LSTM_SPACE,
          earlier.map((trial) => ({ params: trial.params, loss: trial.loss })),
          createRandom(plan.searchSeed).fork(`trial ${index}`),
        );
        const stopWhen = trialPruningRule(plan.pruner, earlier);
        const { universe, features } = await prepare(settings.stocks);
        const { record, validationPredictions, splits } = await trainWay(
          features,
          settings,
          params,
          plan.affordable,
          {
            seed: plan.searchSeed,
            checkpointFolder: join(context.checkpointFolder, "training"),
            stopWhen,
            context,
            id: trialId(index),
          },
        );
        const stocks = Array.from({ length: settings.stocks }, (_, stock) => stock);
        const panel = hybridMarketPanel(universe, stocks);
        const startDay = features.trainDays, endDay = features.validationDays - 1;
        const [book] = modelBacktests(panel, splits.validation, [validationPredictions], stocks, {
          topK: plan.topK,
          startDay,
          endDay,
          riskFreeRate: riskFreeFromBondYield(features.macroDaily.bondYield, startDay),
        });
        const values = book.values;
        return {
          kind: "trial",
          index,
          ...record,
          validationBacktest: {
            sharpe: book.metrics.sharpe,
            annualisedReturn: book.metrics.annualisedReturn,
            days: book.metrics.days,
            dailyReturns: Array.from(
              { length: values.length - 1 },
              (_, day) => Math.round((values[day + 1] / values[day] - 1) * 1e7) / 1e7,
            ),
          },
        };
      },
    };
  });

  const fidelityRandom = createRandom(plan.fidelitySeed);
  const fidelity = Array.from({ length: plan.fidelityConfigurations }, (_, index) => {
    const configuration = index + 1;
    const stream = fidelityRandom.fork(`configuration ${configuration}`);
    const params: Params = {};
    for (const [name, spec] of Object.entries(HYBRID_LSTM_SPACE)) {
      params[name] = sampleParam(spec, stream.fork(name));
    }
    return (["affordable", "full"] as const).map((way): UnitDefinition<HybridUnitResult> => {
      const training = plan[way];
      const id = `hybrid/fidelity/config-${configuration}/${way}`;
      return {
        id,
        kind: `hybrid/fidelity-${way}`,
        settings: { ...shared, configuration, params, way: training, modelSeed: plan.fidelitySeed },
        data,
        numericsVersion: HYBRID_NUMERICS_VERSION,
        estimateSeconds: Math.ceil(training.maxEpochs / 2) * epochSeconds(training),
        run: async (context) => {
          const { features } = await prepare(settings.stocks);
          const { record } = await trainWay(features, settings, params, training, {
            seed: plan.fidelitySeed,
            checkpointFolder: join(context.checkpointFolder, "training"),
            context,
            id,
          });
          return { kind: "fidelity", configuration, way, ...record };
        },
      };
    });
  }).flat();

  const trialIds = trials.map((unit) => unit.id);
  const variants: [HybridVariant, number][] = [
    ["model", plan.finalSeeds],
    ["technical-only", plan.ablationSeeds],
    ["earnings-rule", plan.ablationSeeds],
    ["close-target", plan.ablationSeeds],
  ];
  const models = variants.flatMap(([variant, seeds]) =>
    Array.from({ length: seeds }, (_, index): UnitDefinition<HybridUnitResult> => {
      const seed = index + 1;
      const id = variant === "model"
        ? `hybrid/model/seed-${seed}`
        : `hybrid/ablation/${variant}/seed-${seed}`;
      return {
        id,
        kind: "hybrid/model",
        settings: {
          ...shared,
          variant,
          seed,
          way: plan.final,
          importanceRepeats: variant === "model" ? plan.importanceRepeats : 0,
          parameters: "the search's best finished (not pruned) trial",
        },
        data,
        numericsVersion: HYBRID_NUMERICS_VERSION,
        dependencies: trialIds,
        estimateSeconds: Math.ceil(plan.final.maxEpochs / 4) * epochSeconds(plan.final),
        run: async (context) => {
          const searched = trialIds.map((trial) => trialResult(context.dependencies.get(trial), trial));
          const best = bestFinishedTrial(searched);
          const { features } = await prepare(settings.stocks);
          const params = toHybridParams(best.params);
          const splits = hybridModelSplits(features, { quick, windowDays: params.windowDays, variant });
          const trained = await trainHybrid(splits, params, {
            seed,
            epochs: plan.final.maxEpochs,
            patience: plan.final.patience,
            technicalOnly: variant === "technical-only",
            earningsRule: variant === "earnings-rule",
            importanceRepeats: variant === "model" ? plan.importanceRepeats : 0,
            checkpointFolder: join(context.checkpointFolder, "training"),
            onEpoch: (epoch, _train, validation) => {
              context.progress(
                `epoch ${epoch + 1}/${plan.final.maxEpochs} validation MSE ${validation.toPrecision(5)}`,
                (epoch + 1) / plan.final.maxEpochs,
              );
              if (context.shouldStop()) throw new UnitInterrupted(id, `after epoch ${epoch + 1}`);
            },
          });
          return {
            kind: "model",
            variant,
            seed,
            bestTrial: best.index,
            params: best.params,
            loss: Number.isFinite(trained.bestValidationLoss) ? trained.bestValidationLoss : null,
            validationLosses: trained.losses.validation,
            trainLosses: trained.losses.train,
            epochsRun: trained.epochsRun,
            bestEpoch: trained.bestEpoch + 1,
            pruned: false,
            windows: {
              train: splits.train.windows.shape.samples,
              validation: splits.validation.windows.shape.samples,
            },
            fit: trained.fit,
            testPredictions: Array.from(trained.predictions.test, (value) => Math.round(value * 1e7) / 1e7),
            ...(trained.importance ? { importance: trained.importance } : {}),
          };
        },
      };
    })
  );

  // Trials first (they are the search), the fidelity pairs fill the cores while a trial waits for the
  // one beside it; the final model and ablations wait for the whole search.
  return [...trials, ...fidelity, ...models];
}

/**
 * A trial's pruning rule: Optuna's median rule against the earlier trials that completed — a pruned trial's
 * curve is left out, as Optuna leaves out trials it pruned.
 *
 * @example
 * ```ts
 * import { trialPruningRule } from "./hybrid_units.ts";
 * const stop = trialPruningRule({ startupTrials: 1, warmupEpochs: 0 }, [{ pruned: false, validationLosses: [1, 0.5] }]);
 * stop([1.2]); // true: worse than the median (1) at epoch 1
 * ```
 */
export function trialPruningRule(
  pruner: Required<MedianPrunerArgs>,
  earlier: readonly { pruned: boolean; validationLosses: readonly number[] }[],
): (losses: readonly number[]) => boolean {
  const rule = new MedianPruner(pruner);
  const completed = earlier.filter((trial) => !trial.pruned).map((trial) => trial.validationLosses);
  return (losses) => rule.shouldPrune(completed, losses);
}

/**
 * The windows a final-model or ablation unit trains and predicts on: the final plan's training subsample,
 * every validation day, the test windows on the rebalance days (every 5th day from the first test day), and
 * the close target for the `close-target` ablation. A stored unit's `testPredictions` are in the order of
 * these test windows.
 *
 * @example
 * ```ts
 * import { hybridModelSplits } from "./hybrid_units.ts";
 * // const splits = hybridModelSplits(features, { quick: false, windowDays: 60, variant: "model" });
 * ```
 */
export function hybridModelSplits(
  features: HybridFeatures,
  args: { quick: boolean; windowDays: number; variant: HybridVariant },
): Record<SplitName, SplitWindows> {
  const settings = hybridSettings(args.quick);
  const plan = hybridSearchPlan(args.quick);
  return hybridSplitWindows(features, {
    ...splitArgs(settings, {
      windowDays: args.windowDays,
      trainStrideDays: plan.final.trainStrideDays,
      validationStrideDays: plan.final.validationStrideDays,
    }),
    testStrideDays: 5,
    ...(args.variant === "close-target" ? { target: "close" as const } : {}),
  });
}

/**
 * The search's best trial: the lowest validation loss among the trials that finished (a pruned trial's
 * loss is of a run cut short, so — as in Optuna — it is never the best); earliest on ties.
 *
 * @example
 * ```ts
 * import { bestFinishedTrial } from "./hybrid_units.ts";
 * // bestFinishedTrial(trials).params
 * ```
 */
export function bestFinishedTrial<T extends { index: number; loss: number | null; pruned: boolean }>(
  trials: readonly T[],
): T {
  let best: T | undefined;
  for (const trial of trials) {
    if (trial.pruned || trial.loss === null) continue;
    if (best === undefined || trial.loss < best.loss!) best = trial;
  }
  if (best === undefined) throw new Error("hybrid search: no trial finished (every one pruned or diverged)");
  return best;
}

function trialResult(
  stored: StoredUnit | undefined,
  id: string,
): Extract<HybridUnitResult, { kind: "trial" }> {
  const result = stored?.result as HybridUnitResult | undefined;
  if (result?.kind !== "trial") throw new Error(`hybrid trial: ${id} is not a stored trial`);
  return result;
}

async function trainWay(
  features: HybridFeatures,
  settings: HybridSettings,
  params: Params,
  way: HybridTrainingWay,
  args: {
    seed: number;
    checkpointFolder: string;
    stopWhen?: (losses: readonly number[]) => boolean;
    context: { shouldStop(): boolean; progress(message: string, fraction?: number): void };
    id: string;
  },
) {
  const chosen = toHybridParams(params);
  const splits = hybridSplitWindows(
    features,
    splitArgs(settings, {
      windowDays: chosen.windowDays,
      trainStrideDays: way.trainStrideDays,
      validationStrideDays: way.validationStrideDays,
    }),
  );
  return await withTrainedHybrid(splits, chosen, {
    seed: args.seed,
    epochs: way.maxEpochs,
    patience: way.patience,
    checkpointFolder: args.checkpointFolder,
    stopWhen: args.stopWhen,
    onEpoch: (epoch, _train, validation) => {
      args.context.progress(
        `epoch ${epoch + 1}/${way.maxEpochs} validation MSE ${validation.toPrecision(5)}`,
        (epoch + 1) / way.maxEpochs,
      );
      // The epoch's checkpoint is written: stopping here loses nothing.
      if (args.context.shouldStop()) throw new UnitInterrupted(args.id, `after epoch ${epoch + 1}`);
    },
  }, (model, fitted, validation) => {
    const record: HybridTrainingRecord = {
      params,
      loss: Number.isFinite(fitted.bestValidationLoss) ? fitted.bestValidationLoss : null,
      validationLosses: fitted.losses.validation,
      trainLosses: fitted.losses.train,
      epochsRun: fitted.epochsRun,
      bestEpoch: fitted.bestEpoch + 1,
      pruned: fitted.pruned,
      windows: { train: splits.train.windows.shape.samples, validation: validation.shape.samples },
    };
    return { record, validationPredictions: predictTwoBranchLstm(model, validation), splits };
  });
}
