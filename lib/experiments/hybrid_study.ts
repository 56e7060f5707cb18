/**
 * The hybrid study as notebooks 08 and 09 see it: its units computed here (quick mode, or full settings
 * without `EQUILAB_FROM_STORE`) or read from the results store, and assembled into the search, the
 * fidelity check, the final model and its ablations.
 *
 * @module
 */
import { computeUnits, type StoredUnit, type UnitStatus } from "../store/mod.ts";
import { spearmanCorrelation, type SpearmanResult } from "../stats/mod.ts";
import type { ReturnFit } from "../eval/mod.ts";
import { gitCommit, type SeedSummary, summarise } from "./_private.ts";
import {
  hybridBackend,
  type HybridSearchPlan,
  hybridSearchPlan,
  type HybridTrainingRecord,
  type HybridUnitResult,
  hybridUnits,
  type HybridVariant,
} from "./hybrid_units.ts";
import { resultsStoreOf } from "./store_location.ts";

/** A stored search trial. */
export type HybridTrial = Extract<HybridUnitResult, { kind: "trial" }>;
/** A stored final-model or ablation seed. */
export type HybridModelRun = Extract<HybridUnitResult, { kind: "model" }>;

/** One configuration of the fidelity check, with whichever of its two trainings is stored. */
export interface FidelityPair {
  /** 1-based configuration number. */
  configuration: number;
  /** The drawn hyperparameters. */
  params: Record<string, number | string>;
  /** Trained the affordable way (the search's). */
  affordable?: HybridTrainingRecord;
  /** Trained the seed's way (all windows, its epochs, patience 10). */
  full?: HybridTrainingRecord;
  /** Wall seconds of each stored training. */
  seconds: { affordable?: number; full?: number };
}

/** What {@link hybridStudy} gives a notebook. */
export interface HybridStudy {
  /** Status of every hybrid unit (for `storeCoverage`). */
  statuses: UnitStatus[];
  /** The plan the units follow. */
  plan: HybridSearchPlan;
  /** Stored trials in trial order (a gap ends the list: later trials depend on it). */
  trials: { trial: HybridTrial; seconds: number }[];
  /** The fidelity configurations, each with what is stored of it. */
  fidelity: FidelityPair[];
  /**
   * Spearman's ρ between the affordable and the full validation losses over the configurations that have
   * both; undefined when fewer than 3 do.
   */
  fidelityRank?: SpearmanResult & { configurations: number };
  /** Stored seeds of the final model or an ablation, in seed order. */
  runs(variant: HybridVariant): { run: HybridModelRun; seconds: number }[];
  /** Wall seconds of every stored hybrid unit, summed (the study's CPU time). */
  wallSeconds: number;
}

/** Options of {@link hybridStudy}. */
export interface HybridStudyArgs {
  /** Quick settings (CI). Default false. */
  quick?: boolean;
  /** Read the store only; compute nothing (`EQUILAB_FROM_STORE=1`). Default false. */
  fromStore?: boolean;
  /** Called before each unit is computed (finished count, total to compute, unit id). */
  onUnit?: (done: number, total: number, id: string) => void | Promise<void>;
}

/**
 * Computes the missing hybrid units here (unless `fromStore`) and assembles what the store holds.
 *
 * @example
 * ```ts ignore
 * import { hybridStudy } from "./hybrid_study.ts";
 * const study = await hybridStudy({ quick: true });
 * study.trials.length; // 3 in quick mode
 * ```
 */
export async function hybridStudy(args: HybridStudyArgs = {}): Promise<HybridStudy> {
  const quick = args.quick ?? false;
  const plan = hybridSearchPlan(quick);
  const definitions = await hybridUnits({ quick });
  const { store, checkpointRoot } = resultsStoreOf(quick);
  const statuses = await computeUnits(store, definitions, {
    fromStore: args.fromStore,
    checkpointRoot,
    onUnit: args.onUnit,
    backend: hybridBackend,
    git: gitCommit,
  });
  const stored = new Map<string, StoredUnit<HybridUnitResult>>();
  for (const status of statuses) {
    if (status.state === "done") {
      stored.set(status.definition.id, status.stored as StoredUnit<HybridUnitResult>);
    }
  }
  const trials: HybridStudy["trials"] = [];
  for (const status of statuses) {
    if (!status.definition.id.startsWith("hybrid/search/")) continue;
    const record = stored.get(status.definition.id);
    if (record?.result.kind !== "trial") break;
    trials.push({ trial: record.result, seconds: record.wallSeconds });
  }
  const fidelity: FidelityPair[] = [];
  for (const status of statuses) {
    const match = /^hybrid\/fidelity\/config-(\d+)\/(affordable|full)$/.exec(status.definition.id);
    if (!match) continue;
    const configuration = Number(match[1]);
    let pair = fidelity.find((entry) => entry.configuration === configuration);
    if (!pair) {
      pair = {
        configuration,
        params: status.definition.settings.params as FidelityPair["params"],
        seconds: {},
      };
      fidelity.push(pair);
    }
    const record = stored.get(status.definition.id);
    if (record?.result.kind === "fidelity") {
      const way = match[2] as "affordable" | "full";
      pair[way] = record.result;
      pair.seconds[way] = record.wallSeconds;
    }
  }
  const both = fidelity.filter((pair) => pair.affordable?.loss != null && pair.full?.loss != null);
  const fidelityRank = both.length >= 3
    ? {
      ...spearmanCorrelation(
        both.map((pair) => pair.affordable!.loss!),
        both.map((pair) => pair.full!.loss!),
      ),
      configurations: both.length,
    }
    : undefined;
  const models = [...stored.values()].filter((record) => record.result.kind === "model");
  return {
    statuses,
    plan,
    trials,
    fidelity,
    fidelityRank,
    runs: (variant) =>
      models
        .map((record) => ({ run: record.result as HybridModelRun, seconds: record.wallSeconds }))
        .filter(({ run }) => run.variant === variant)
        .sort((a, b) => a.run.seed - b.run.seed),
    wallSeconds: [...stored.values()].reduce((sum, record) => sum + record.wallSeconds, 0),
  };
}

/**
 * MAE, RMSE and R² of several seeds' fits: mean, std, min and max over the seeds.
 *
 * @example
 * ```ts
 * import { fitOverSeeds } from "./hybrid_study.ts";
 * const zero = { mae: 0, rmse: 0, r2: 0 };
 * fitOverSeeds([{ count: 1, skipped: 0, mae: 1, rmse: 2, r2: 0, zeroBaseline: zero }, { count: 1, skipped: 0, mae: 3, rmse: 2, r2: 0, zeroBaseline: zero }]).mae.mean; // 2
 * ```
 */
export function fitOverSeeds(fits: readonly ReturnFit[]): Record<"mae" | "rmse" | "r2", SeedSummary> {
  return {
    mae: summarise(fits.map((fit) => fit.mae)),
    rmse: summarise(fits.map((fit) => fit.rmse)),
    r2: summarise(fits.map((fit) => fit.r2)),
  };
}
