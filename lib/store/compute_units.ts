/**
 * What a notebook does with units: compute the missing and stale ones here, in this process (or, with
 * `fromStore`, none), then read every stored record (lib/report's `storeCoverage` says what is missing
 * or stale).
 */
import { executeUnit } from "./execute_unit.ts";
import type { ResultsStore, UnitStatus } from "./results_store.ts";
import type { UnitDefinition } from "./unit.ts";

/** Options of {@link computeUnits}. */
export interface ComputeUnitsArgs {
  /** Checkpoint root. Required unless `fromStore`. */
  checkpointRoot?: string;
  /** Only read the store: compute nothing. Default false. */
  fromStore?: boolean;
  /** Called before each unit is computed, with the count finished so far and the total to compute. */
  onUnit?: (done: number, total: number, id: string) => void | Promise<void>;
  /** Backend line recorded in each new record. */
  backend?: () => Promise<string>;
  /** Git commit recorded in each new record. */
  git?: () => Promise<{ commit: string | null; dirty: boolean | null }>;
  /** Whether this code may replace a record stored at a commit. Default: always. */
  supersedes?: (commit: string) => Promise<boolean>;
}

/**
 * Computes every missing or stale unit (dependencies first, as listed) unless `fromStore`, and
 * returns the final status of each. A unit claimed by another runner is left to it (and stays missing
 * here until it lands).
 *
 * @example
 * ```ts ignore
 * const statuses = await computeUnits(store, definitions, { checkpointRoot: "out/checkpoints" });
 * ```
 */
export async function computeUnits(
  store: ResultsStore,
  definitions: readonly UnitDefinition[],
  args: ComputeUnitsArgs = {},
): Promise<UnitStatus[]> {
  if (args.fromStore) return await store.status(definitions);
  if (!args.checkpointRoot) throw new Error("computeUnits: give checkpointRoot (or fromStore: true)");
  let statuses = await store.status(definitions);
  const total = statuses.filter((status) => status.state !== "done").length;
  let done = 0;
  for (const status of statuses) {
    const { definition } = status;
    if (status.state === "done") continue;
    await args.onUnit?.(done, total, definition.id);
    // A dependant's fingerprint needs its dependencies, which this loop may just have computed.
    const current = definition.dependencies?.length
      ? (await store.status(definitions)).find((entry) => entry.definition.id === definition.id)!
      : status;
    const outcome = await executeUnit(store, current, {
      checkpointRoot: args.checkpointRoot,
      backend: args.backend,
      git: args.git,
      supersedes: args.supersedes,
    });
    if (outcome.outcome === "interrupted") {
      throw new Error(`unit ${definition.id} was interrupted: ${outcome.reason}`);
    }
    if (outcome.outcome === "newer") {
      throw new Error(
        `unit ${definition.id} is stored by commit ${outcome.commit}, which this checkout does not contain: ` +
          `update the checkout to recompute it`,
      );
    }
    done++;
  }
  if (total > 0) {
    await args.onUnit?.(done, total, "");
    statuses = await store.status(definitions);
  }
  return statuses;
}
