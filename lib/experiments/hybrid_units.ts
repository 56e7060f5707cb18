/**
 * The hybrid fundamentals + LSTM study as units of the results store, at the seed's protocol as the
 * code runs it today (notebook 08):
 * - `hybrid/search/tpe` — the TPE search (its trials are resumable: the search's checkpoint lives in
 *   the unit's folder, so a cut-off search continues after its last finished trial);
 * - `hybrid/model/seed-N` — the two-branch LSTM on the search's best parameters (depends on the search),
 *   with permutation importance.
 * Porting note: a two-branch training that is cut off restarts that seed (its epochs are not
 * checkpointed yet); the hybrid issue cuts the search into affordable units and adds the ablations.
 */
import { join } from "node:path";
import { describeBackend, selectBackend, tf } from "../backend/mod.ts";
import { loadRegistry } from "../data/mod.ts";
import { type UnitDefinition, UnitInterrupted } from "../store/mod.ts";
import { type Params, type TrialRecord } from "../tune/mod.ts";
import {
  hybridSettings,
  runHybridSearch,
  splitArgs,
  toHybridParams,
  type TrainedHybrid,
  trainHybrid,
} from "./hybrid.ts";
import {
  buildHybridFeatures,
  type HybridFeatures,
  hybridSplitWindows,
  loadHybridUniverse,
} from "./hybrid_data.ts";

/**
 * Bump when a code change alters what the hybrid units compute.
 * 2: the two-branch LSTM trains through lib/train's loop (PyTorch's Adam formula instead of tfjs's, resumable
 * checkpoints, early stopping from the history). No full-settings hybrid unit had been stored.
 */
export const HYBRID_NUMERICS_VERSION = 2;

/**
 * Wall seconds of one full-data training epoch of the seed's model (≈ 104,000 windows, 60 days,
 * LSTM 64 × 2, batch 64) on the 2-core development machine with native BLAS on one thread (as under the
 * runner): `tests/bench/hybrid_training_bench.ts` measured 1.1 s for 1,024 + 256 windows, × ~99 (1.6 s on
 * WebAssembly products). The estimate of units nobody has timed yet.
 */
const EPOCH_SECONDS = 110;

/** What a hybrid unit stores. */
export type HybridUnitResult =
  | { kind: "search"; trials: TrialRecord[]; best: TrialRecord | null }
  | {
    kind: "model";
    params: ReturnType<typeof toHybridParams>;
    fit: TrainedHybrid["fit"];
    epochsRun: number;
    bestEpoch: number;
    bestValidationLoss: number;
    losses: TrainedHybrid["losses"];
    importance?: TrainedHybrid["importance"];
  };

let features: Promise<HybridFeatures> | undefined;
let backendReady: Promise<unknown> | undefined;

async function prepare(stocks: number): Promise<HybridFeatures> {
  backendReady ??= selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "wasm");
  await backendReady;
  features ??= loadHybridUniverse({ stocks }).then((universe) => buildHybridFeatures(universe));
  return await features;
}

/** The backend line stored with each hybrid unit. */
export async function hybridBackend(): Promise<string> {
  await tf.ready();
  return describeBackend().summary;
}

/**
 * The hybrid study's units (the search, then one final model per seed).
 *
 * @example
 * ```ts ignore
 * import { hybridUnits } from "./hybrid_units.ts";
 * (await hybridUnits()).map((unit) => unit.id); // hybrid/search/tpe, hybrid/model/seed-1 … seed-5
 * ```
 */
export async function hybridUnits(
  args: { quick?: boolean } = {},
): Promise<UnitDefinition<HybridUnitResult>[]> {
  const quick = args.quick ?? false;
  const settings = hybridSettings(quick);
  const registry = await loadRegistry();
  const data = ["fundamentals-100", "macro-cn"].flatMap((name) => {
    const dataset = registry.datasets[name];
    if (!dataset) throw new Error(`hybridUnits: data set ${name} is not in data/datasets.json`);
    return dataset.files.map((file) => ({ dataset: name, path: file.path, sha256: file.sha256 }));
  });
  const { seeds: _seeds, ...shared } = settings;
  const epochSeconds = quick ? 1 : EPOCH_SECONDS;
  const search: UnitDefinition<HybridUnitResult> = {
    id: "hybrid/search/tpe",
    kind: "hybrid/search",
    settings: { ...shared, searchSeed: 0 },
    data,
    numericsVersion: HYBRID_NUMERICS_VERSION,
    estimateSeconds: settings.searchTrials * settings.searchEpochs * epochSeconds,
    run: async (context) => {
      const prepared = await prepare(settings.stocks);
      const result = await runHybridSearch(prepared, settings, {
        checkpointPath: join(context.checkpointFolder, "tpe.json"),
        onTrial: (trial) => {
          context.progress(
            `trial ${trial.index + 1}/${settings.searchTrials} loss ${trial.loss}`,
            (trial.index + 1) / settings.searchTrials,
          );
          // After the trial is in the search's checkpoint: stopping here loses nothing.
          if (context.shouldStop() && trial.index + 1 < settings.searchTrials) {
            throw new UnitInterrupted("hybrid/search/tpe", `after trial ${trial.index + 1}`);
          }
        },
      });
      return { kind: "search", trials: result.trials, best: result.best };
    },
  };
  const models = Array.from({ length: settings.seeds }, (_, index): UnitDefinition<HybridUnitResult> => {
    const seed = index + 1;
    return {
      id: `hybrid/model/seed-${seed}`,
      kind: "hybrid/model",
      settings: { ...shared, seed },
      data,
      numericsVersion: HYBRID_NUMERICS_VERSION,
      dependencies: ["hybrid/search/tpe"],
      // Early stopping usually ends well before the cap: a third of it, until one is measured.
      estimateSeconds: Math.ceil(settings.epochs / 3) * epochSeconds,
      run: async (context) => {
        const searched = context.dependencies.get("hybrid/search/tpe")!.result as HybridUnitResult;
        if (searched.kind !== "search" || !searched.best) {
          throw new Error("hybrid/model: the search found no best trial");
        }
        const params = toHybridParams(searched.best.params as Params);
        const prepared = await prepare(settings.stocks);
        const splits = hybridSplitWindows(prepared, splitArgs(settings, { windowDays: params.windowDays }));
        const trained = await trainHybrid(splits, params, {
          seed,
          epochs: settings.epochs,
          patience: settings.patience,
          importanceRepeats: settings.importanceRepeats,
          onEpoch: (epoch) => context.progress(`epoch ${epoch + 1}`, (epoch + 1) / settings.epochs),
        });
        return {
          kind: "model",
          params,
          fit: trained.fit,
          epochsRun: trained.epochsRun,
          bestEpoch: trained.bestEpoch,
          bestValidationLoss: trained.bestValidationLoss,
          losses: trained.losses,
          importance: trained.importance,
        };
      },
    };
  });
  return [search, ...models];
}
