/**
 * The runner: computes missing and stale units, N at a time in separate worker processes, within a
 * time budget. Each worker loops over the selected units, claims one, runs it (resuming its
 * checkpoint), writes its record and takes the next; claims keep two workers — or two runners on two
 * machines sharing the store — from ever running one unit twice.
 */
import { type ExecuteOutcome, executeUnit, secondsAlreadyRun, secondsLeftOf } from "./execute_unit.ts";
import { formatDuration, unitEstimator } from "./estimate.ts";
import type { ResultsStore } from "./results_store.ts";
import type { UnitDefinition } from "./unit.ts";

/** A module that lists units: `deno task experiments` loads `lib/experiments/units.ts`. */
export interface UnitRegistry {
  /** Every unit of every study, in the order they should run. */
  definitions(): Promise<UnitDefinition[]>;
  /** One line naming the compute backend, stored in each record. Default `"unknown"`. */
  backend?(): Promise<string>;
  /** Git commit of the code. Default not recorded. */
  git?(): Promise<{ commit: string | null; dirty: boolean | null }>;
  /** Whether this code may replace a record stored at a commit (see `ExecuteUnitArgs.supersedes`). Default: always. */
  supersedes?(commit: string): Promise<boolean>;
}

/** A line a worker prints on stdout (JSON) for its parent. */
export type WorkerEvent =
  | { event: "start"; id: string; estimateSeconds: number; worker: number }
  | { event: "progress"; id: string; message: string; fraction?: number; worker: number }
  | {
    event: "end";
    id: string;
    outcome: ExecuteOutcome["outcome"];
    seconds: number;
    worker: number;
    reason?: string;
  }
  | { event: "skip"; id: string; reason: string; worker: number }
  | { event: "error"; id: string; message: string; worker: number };

/** Options of {@link runWorker}. */
export interface WorkerArgs {
  /** The store. */
  store: ResultsStore;
  /** Units to compute (in order). */
  definitions: readonly UnitDefinition[];
  /** Checkpoint root. */
  checkpointRoot: string;
  /** Wall-clock time (ms since the epoch) by which the worker must be done. Default none. */
  deadline?: number;
  /** Polled between epochs: true stops the running unit at its next checkpoint. */
  shouldStop: () => boolean;
  /** Receives events. */
  emit: (event: WorkerEvent) => void;
  /** Worker number (for display). Default 0. */
  worker?: number;
  /** Compute backend line. */
  backend?: () => Promise<string>;
  /** Git commit. */
  git?: () => Promise<{ commit: string | null; dirty: boolean | null }>;
  /** Whether this code may replace a record stored at a commit. Default: always. */
  supersedes?: (commit: string) => Promise<boolean>;
  /** Claim lease seconds. Default 120. */
  leaseSeconds?: number;
  /**
   * Seconds between looks at the store while every unit left waits on a dependency that another worker
   * (or runner) is computing. Default 5.
   */
  pollSeconds?: number;
}

/** What a worker did. */
export interface WorkerSummary {
  /** Units it computed. */
  done: string[];
  /** Units it stopped before they ended (resumable). */
  interrupted: string[];
  /** Units that failed with an error (their checkpoint kept). */
  failed: string[];
  /** Units not started because their estimate exceeded the budget left. */
  overBudget: string[];
}

/**
 * One worker's loop: pass over the units until none is left it can run (all done, claimed elsewhere,
 * waiting on a dependency, or over budget) or it is told to stop.
 *
 * @example
 * ```ts ignore
 * await runWorker({ store, definitions, checkpointRoot: "out/checkpoints", shouldStop: () => false, emit: console.log });
 * ```
 */
export async function runWorker(args: WorkerArgs): Promise<WorkerSummary> {
  const worker = args.worker ?? 0;
  const summary: WorkerSummary = { done: [], interrupted: [], failed: [], overBudget: [] };
  const tried = new Set<string>();
  let progressed = true;
  let waitForOthers = false;
  while ((progressed || waitForOthers) && !args.shouldStop()) {
    if (!progressed) await sleepUnless(args.pollSeconds ?? 5, args.shouldStop);
    progressed = false;
    // A unit that waits on a dependency another worker is computing is worth waiting for: when the
    // dependency lands it becomes runnable (a chain of search trials keeps both workers busy).
    let waiting = false, busyElsewhere = false;
    const statuses = await args.store.status(args.definitions);
    const estimate = unitEstimator(statuses);
    for (const status of statuses) {
      if (args.shouldStop()) break;
      const id = status.definition.id;
      if (status.state !== "done" && status.waitingFor.length > 0) waiting = true;
      if (status.state === "done" || status.waitingFor.length > 0 || tried.has(id)) continue;
      // A unit resumed from its checkpoint has only the rest of its estimate left.
      const seconds = secondsLeftOf(
        estimate(status.definition),
        await secondsAlreadyRun(args.checkpointRoot, status),
      );
      if (args.deadline !== undefined && Date.now() + seconds * 1000 > args.deadline) {
        if (!summary.overBudget.includes(id)) {
          summary.overBudget.push(id);
          args.emit({
            event: "skip",
            id,
            reason: `estimated ${formatDuration(seconds)} exceeds the budget left`,
            worker,
          });
        }
        continue;
      }
      const started = performance.now();
      let outcome: ExecuteOutcome;
      try {
        outcome = await executeUnit(args.store, status, {
          onStart: () => args.emit({ event: "start", id, estimateSeconds: seconds, worker }),
          checkpointRoot: args.checkpointRoot,
          shouldStop: args.shouldStop,
          leaseSeconds: args.leaseSeconds,
          backend: args.backend,
          git: args.git,
          supersedes: args.supersedes,
          onProgress: (message, fraction) => args.emit({ event: "progress", id, message, fraction, worker }),
        });
      } catch (error) {
        tried.add(id);
        summary.failed.push(id);
        args.emit({ event: "error", id, message: (error as Error).stack ?? String(error), worker });
        continue;
      }
      const elapsed = (performance.now() - started) / 1000;
      if (outcome.outcome === "busy") busyElsewhere = true;
      if (outcome.outcome === "busy" || outcome.outcome === "fresh") continue;
      args.emit({
        event: "end",
        id,
        outcome: outcome.outcome,
        seconds: elapsed,
        worker,
        ...(outcome.outcome === "interrupted" ? { reason: outcome.reason } : {}),
        ...(outcome.outcome === "newer"
          ? { reason: `stored by newer code (${outcome.commit.slice(0, 7)}); left alone` }
          : {}),
      });
      if (outcome.outcome === "done") {
        summary.done.push(id);
        progressed = true;
        break; // re-read the store: estimates improve and dependants may be ready
      }
      if (outcome.outcome === "interrupted") {
        summary.interrupted.push(id);
        tried.add(id);
      }
      if (outcome.outcome === "newer") tried.add(id);
    }
    waitForOthers = waiting && busyElsewhere;
  }
  return summary;
}

/** Sleeps `seconds`, waking early (within a second) once `shouldStop` says so. */
async function sleepUnless(seconds: number, shouldStop: () => boolean): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && !shouldStop()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
  }
}
