/**
 * Computes one unit in this process: claims it, gives it a checkpoint folder, keeps the claim alive,
 * and writes its record when it finishes.
 */
import { join } from "node:path";
import { tryClaim } from "./claim.ts";
import { machineInfo } from "./_machine.ts";
import type { ResultsStore, UnitStatus } from "./results_store.ts";
import { type StoredUnit, UnitInterrupted } from "./unit.ts";

/** Options of {@link executeUnit}. */
export interface ExecuteUnitArgs {
  /** Folder under which each unit gets `<id>/<fingerprint>/` for checkpoints. Required. */
  checkpointRoot: string;
  /** Polled by the unit between epochs: true asks it to save and stop. Default never. */
  shouldStop?: () => boolean;
  /** Called once the unit is claimed and about to run. Default none. */
  onStart?: () => void;
  /** Progress of the unit. Default none. */
  onProgress?: (message: string, fraction?: number) => void;
  /** Claim lease in seconds. Default 120. */
  leaseSeconds?: number;
  /** One line describing the compute backend, stored in the record. Default `"unknown"`. */
  backend?: () => string | Promise<string>;
  /** Git commit of the code. Default none recorded. */
  git?: () => Promise<{ commit: string | null; dirty: boolean | null }>;
  /**
   * Whether this code may replace a stored record computed at `commit` (under another fingerprint):
   * true when that commit is part of this checkout's history. A runner started from an older checkout
   * then leaves alone what newer code stored, instead of overwriting it with its own. Default: always.
   */
  supersedes?: (commit: string) => Promise<boolean>;
}

/** How {@link executeUnit} ended. */
export type ExecuteOutcome =
  | { outcome: "done"; record: StoredUnit; path: string }
  | { outcome: "fresh" } // already stored under the current fingerprint
  | { outcome: "busy" } // another runner holds its claim
  | { outcome: "waiting"; waitingFor: string[] } // a dependency is not done
  | { outcome: "interrupted"; reason: string }
  | { outcome: "newer"; commit: string }; // stored by code this checkout does not contain: left alone

interface Elapsed {
  seconds: number;
  attempts: number;
}

/**
 * Runs the unit of `status` unless it is fresh, claimed elsewhere or waiting for a dependency.
 * An interruption (`shouldStop`, a lost claim) keeps the checkpoint and returns "interrupted"; any
 * other error propagates (the claim is released and the checkpoint kept, so a rerun resumes).
 *
 * @example
 * ```ts ignore
 * import { executeUnit, ResultsStore } from "./mod.ts";
 * const store = new ResultsStore("out/results");
 * const [status] = await store.status([definition]);
 * await executeUnit(store, status, { checkpointRoot: "out/checkpoints" });
 * ```
 */
export async function executeUnit(
  store: ResultsStore,
  status: UnitStatus,
  args: ExecuteUnitArgs,
): Promise<ExecuteOutcome> {
  const { definition } = status;
  if (status.state === "done") return { outcome: "fresh" };
  if (status.waitingFor.length > 0) return { outcome: "waiting", waitingFor: status.waitingFor };
  const claim = await tryClaim(store.claimPathOf(definition.id), { leaseSeconds: args.leaseSeconds });
  if (!claim) return { outcome: "busy" };
  const folder = join(args.checkpointRoot, definition.id, status.fingerprint!);
  const elapsedPath = join(folder, "elapsed.json");
  try {
    // Another runner may have finished it between our status and our claim.
    const current = await store.read(definition.id);
    if (current?.fingerprint === status.fingerprint) return { outcome: "fresh" };
    const storedBy = current?.git?.commit;
    if (current && storedBy && args.supersedes && !(await args.supersedes(storedBy))) {
      return { outcome: "newer", commit: storedBy };
    }
    await Deno.mkdir(folder, { recursive: true });
    args.onStart?.();
    const before = await readElapsed(elapsedPath);
    const started = performance.now();
    const saveElapsed = () =>
      Deno.writeTextFile(
        elapsedPath,
        JSON.stringify({
          seconds: before.seconds + (performance.now() - started) / 1000,
          attempts: before.attempts + 1,
        }),
      );
    await saveElapsed();
    let stopReason = "";
    claim.keepAlive(() => (stopReason = "its claim was taken over"));
    const elapsedTimer = setInterval(() => saveElapsed().catch(() => {}), 10_000);
    const dependencies = new Map<string, StoredUnit>();
    for (const id of definition.dependencies ?? []) dependencies.set(id, (await store.read(id))!);
    let result: unknown;
    try {
      result = await definition.run({
        checkpointFolder: folder,
        shouldStop: () => {
          if (!stopReason && args.shouldStop?.()) stopReason = "asked to stop";
          return stopReason !== "";
        },
        progress: (message, fraction) => args.onProgress?.(message, fraction),
        dependencies,
      });
    } catch (error) {
      clearInterval(elapsedTimer);
      await saveElapsed().catch(() => {});
      if (error instanceof UnitInterrupted) {
        return { outcome: "interrupted", reason: stopReason || error.message };
      }
      throw error;
    }
    clearInterval(elapsedTimer);
    const record: StoredUnit = {
      format: 1,
      id: definition.id,
      kind: definition.kind,
      fingerprint: status.fingerprint!,
      numericsVersion: definition.numericsVersion,
      settings: definition.settings,
      data: [...definition.data],
      dependencies: [...dependencies].map(([id, unit]) => ({ id, fingerprint: unit.fingerprint })),
      result,
      backend: (await args.backend?.()) ?? "unknown",
      machine: await machineInfo(),
      wallSeconds: round(before.seconds + (performance.now() - started) / 1000),
      attempts: before.attempts + 1,
      git: (await args.git?.()) ?? { commit: null, dirty: null },
      finishedAt: new Date().toISOString(),
    };
    if (claim.lost) return { outcome: "interrupted", reason: "its claim was taken over" };
    const path = await store.write(record);
    await removeCheckpoint(args.checkpointRoot, definition.id, folder);
    return { outcome: "done", record, path };
  } finally {
    await claim.release();
  }
}

/** Removes a finished unit's checkpoint folder and the folders of its id that are left empty. */
async function removeCheckpoint(root: string, id: string, folder: string): Promise<void> {
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  const parts = id.split("/");
  for (let depth = parts.length; depth > 0; depth--) {
    try {
      await Deno.remove(join(root, ...parts.slice(0, depth))); // fails (and stops) when not empty
    } catch {
      return;
    }
  }
}

/**
 * Wall seconds a unit has already run under its current fingerprint (the sum over its interrupted
 * attempts, from its checkpoint folder; 0 when it never started).
 *
 * @example
 * ```ts ignore
 * const [status] = await store.status([definition]);
 * await secondsAlreadyRun("out/checkpoints", status); // e.g. 1260.4
 * ```
 */
export async function secondsAlreadyRun(checkpointRoot: string, status: UnitStatus): Promise<number> {
  if (!status.fingerprint) return 0;
  return (await readElapsed(join(checkpointRoot, status.definition.id, status.fingerprint, "elapsed.json")))
    .seconds;
}

/**
 * What is left of a unit estimated at `estimateSeconds` that has already run `alreadySeconds`: the
 * difference, but never below a tenth of the estimate (a resumed unit still loads its data, and one
 * slower than its kind's mean has more left than the difference says).
 *
 * @example
 * ```ts
 * import { secondsLeftOf } from "./execute_unit.ts";
 * secondsLeftOf(600, 420); // 180
 * secondsLeftOf(600, 900); // 60
 * ```
 */
export function secondsLeftOf(estimateSeconds: number, alreadySeconds: number): number {
  return Math.max(estimateSeconds - alreadySeconds, estimateSeconds / 10);
}

async function readElapsed(path: string): Promise<Elapsed> {
  try {
    const saved = JSON.parse(await Deno.readTextFile(path)) as Elapsed;
    return { seconds: Number(saved.seconds) || 0, attempts: Number(saved.attempts) || 0 };
  } catch {
    return { seconds: 0, attempts: 0 };
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
