/**
 * Time estimates and the store's state per study and experiment, for `--status` and the runner's ETA.
 */
import type { UnitStatus } from "./results_store.ts";
import { experimentOf, studyOf } from "./unit.ts";

/**
 * Seconds a unit of each kind takes: the mean wall time of stored units of that kind (fresh or stale:
 * both measured the same computation's cost), else the definition's own estimate.
 *
 * @example
 * ```ts ignore
 * const estimate = unitEstimator(await store.status(definitions));
 * estimate(definitions[0]); // seconds
 * ```
 */
export function unitEstimator(
  statuses: readonly UnitStatus[],
): (definition: UnitStatus["definition"]) => number {
  const measured = new Map<string, { sum: number; count: number }>();
  for (const status of statuses) {
    if (!status.stored || !(status.stored.wallSeconds > 0)) continue;
    const entry = measured.get(status.definition.kind) ?? { sum: 0, count: 0 };
    entry.sum += status.stored.wallSeconds;
    entry.count++;
    measured.set(status.definition.kind, entry);
  }
  return (definition) => {
    const entry = measured.get(definition.kind);
    return entry ? entry.sum / entry.count : definition.estimateSeconds;
  };
}

/** Counts and CPU time of one group of units (a study or an experiment). */
export interface StoreSummaryRow {
  /** `paper` or `paper/tables`. */
  group: string;
  /** Units defined. */
  total: number;
  /** Stored under the current fingerprint. */
  done: number;
  /** Stored under an older fingerprint (recomputed by the runner; reports name them). */
  stale: number;
  /** Not stored. */
  missing: number;
  /** Sum of the stored units' wall times (fresh and stale), in seconds. */
  spentSeconds: number;
  /** Estimated CPU seconds to compute the stale and missing units. */
  leftSeconds: number;
  /** Newest stored unit: ISO time and commit. */
  newest?: { finishedAt: string; commit: string | null };
}

/**
 * One row per study and one per experiment (study rows first within each study).
 *
 * @example
 * ```ts ignore
 * for (const row of storeSummary(await store.status(definitions))) console.log(row.group, row.done, row.total);
 * ```
 */
export function storeSummary(statuses: readonly UnitStatus[]): StoreSummaryRow[] {
  const estimate = unitEstimator(statuses);
  const rows = new Map<string, StoreSummaryRow>();
  const add = (group: string, status: UnitStatus) => {
    const row = rows.get(group) ??
      { group, total: 0, done: 0, stale: 0, missing: 0, spentSeconds: 0, leftSeconds: 0 };
    row.total++;
    row[status.state]++;
    if (status.stored) {
      row.spentSeconds += status.stored.wallSeconds;
      if (!row.newest || status.stored.finishedAt > row.newest.finishedAt) {
        row.newest = { finishedAt: status.stored.finishedAt, commit: status.stored.git.commit };
      }
    }
    if (status.state !== "done") row.leftSeconds += estimate(status.definition);
    rows.set(group, row);
  };
  for (const status of statuses) {
    add(studyOf(status.definition.id), status);
    add(experimentOf(status.definition.id), status);
  }
  const ordered = [...rows.values()];
  ordered.sort((a, b) => {
    const [studyA, studyB] = [a.group.split("/")[0], b.group.split("/")[0]];
    if (studyA !== studyB) return studyA < studyB ? -1 : 1;
    return a.group.length === studyA.length ? -1 : b.group.length === studyB.length ? 1 : 0;
  });
  return ordered;
}

/**
 * Seconds as a short duration: `45 s`, `12.5 min`, `3.2 h`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./estimate.ts";
 * formatDuration(5400); // "1.5 h"
 * ```
 */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * A budget such as `2h`, `90m`, `45min`, `30s` or `1.5h` in seconds.
 *
 * @example
 * ```ts
 * import { parseBudget } from "./estimate.ts";
 * parseBudget("1.5h"); // 5400
 * ```
 */
export function parseBudget(text: string): number {
  const match = text.trim().match(/^(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?|s|sec|seconds?)?$/i);
  if (!match) {
    throw new RangeError(`budget ${JSON.stringify(text)}: give a number with h, m or s (e.g. 2h, 90m)`);
  }
  const value = Number(match[1]);
  const unit = (match[2] ?? "s").toLowerCase();
  return unit.startsWith("h") ? value * 3600 : unit.startsWith("m") ? value * 60 : value;
}
