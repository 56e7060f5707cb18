/**
 * What a notebook does with units: compute the missing and stale ones here, in this process (or, with
 * `fromStore`, none), then read every stored record, and say plainly what is missing or stale.
 */
import { executeUnit } from "./execute_unit.ts";
import { formatDuration } from "./estimate.ts";
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
  for (const definition of definitions) {
    const status = statuses.find((entry) => entry.definition.id === definition.id)!;
    if (status.state === "done") continue;
    await args.onUnit?.(done, total, definition.id);
    const current = (await store.status(definitions)).find((entry) => entry.definition.id === definition.id)!;
    const outcome = await executeUnit(store, current, {
      checkpointRoot: args.checkpointRoot,
      backend: args.backend,
      git: args.git,
    });
    if (outcome.outcome === "interrupted") {
      throw new Error(`unit ${definition.id} was interrupted: ${outcome.reason}`);
    }
    done++;
  }
  if (total > 0) {
    await args.onUnit?.(done, total, "");
    statuses = await store.status(definitions);
  }
  return statuses;
}

/**
 * A plain-English account of a set of units for a report: how many are stored, how many were
 * computed under older settings (stale, shown but named) and which are missing.
 *
 * @example
 * ```ts ignore
 * markdown(storeCoverage(statuses));
 * ```
 */
export function storeCoverage(statuses: readonly UnitStatus[], what = "units"): string {
  const done = statuses.filter((status) => status.state === "done");
  const stale = statuses.filter((status) => status.state === "stale");
  const missing = statuses.filter((status) => status.state === "missing");
  const stored = [...done, ...stale].map((status) => status.stored!);
  const spent = stored.reduce((sum, record) => sum + record.wallSeconds, 0);
  const newest = stored.reduce<string>(
    (latest, record) => (record.finishedAt > latest ? record.finishedAt : latest),
    "",
  );
  const commits = [...new Set(stored.map((record) => record.git.commit?.slice(0, 7) ?? "unknown"))];
  const lines = [
    `**${done.length} of ${statuses.length} ${what}** stored and current` +
    (stored.length > 0
      ? ` (CPU time ${formatDuration(spent)}; newest ${newest.slice(0, 10)}; commit${
        commits.length > 1 ? "s" : ""
      } ${commits.slice(0, 3).join(", ")}${commits.length > 3 ? ", …" : ""}).`
      : "."),
  ];
  if (stale.length > 0) {
    lines.push(
      `**${stale.length} stale** (computed under older settings or numerics; shown below, recompute with ` +
        `\`deno task experiments\`): ${abbreviate(stale)}.`,
    );
  }
  if (missing.length > 0) {
    lines.push(`**${missing.length} missing** (left out of the tables below): ${abbreviate(missing)}.`);
  }
  return lines.join("  \n");
}

function abbreviate(statuses: readonly UnitStatus[]): string {
  const ids = statuses.map((status) => `\`${status.definition.id}\``);
  return ids.length <= 6 ? ids.join(", ") : `${ids.slice(0, 6).join(", ")} and ${ids.length - 6} more`;
}
