/**
 * Experiment units: the independent pieces a full-settings study is cut into (one configuration × one
 * seed, one search trial, one baseline fit…), and the record the store keeps of a finished one.
 */

/** One data file a unit reads, as the data registry pins it. */
export interface UnitDataFile {
  /** Data set name in `data/datasets.json` (e.g. `chinext-399006`). */
  dataset: string;
  /** Path inside the data set (e.g. `indices/399006_chinext.csv`). */
  path: string;
  /** Its lower-case hex SHA-256. */
  sha256: string;
}

/** What a running unit may use. */
export interface UnitContext {
  /**
   * A folder of its own for checkpoints (断点续训), named after the unit and its fingerprint, so a
   * checkpoint of other settings is never resumed. Kept until the unit's record is written.
   */
  checkpointFolder: string;
  /** True once the unit should stop (budget reached, SIGTERM, claim lost): save and throw {@link UnitInterrupted}. */
  shouldStop(): boolean;
  /** Progress for the runner's display: a short message and, when known, the fraction done (0..1). */
  progress(message: string, fraction?: number): void;
  /** The stored records of the units it depends on, by id. */
  dependencies: ReadonlyMap<string, StoredUnit>;
}

/**
 * One unit: a readable id (`<study>/<experiment>/<name>`, e.g. `paper/tables/data2-e200-fb0.4-u2-hiddenSize/seed-3`),
 * everything that decides its numbers (fingerprinted) and how to compute it.
 */
export interface UnitDefinition<Result = unknown> {
  /** `<study>/<experiment>/<name…>`: letters, digits, `.`, `_`, `-` and `/` only. */
  id: string;
  /** Units of one kind take about as long as each other: measured times of a kind estimate the rest. */
  kind: string;
  /** Resolved settings (the seed included): the whole input of the computation besides data files. */
  settings: Record<string, unknown>;
  /** Data files it reads, pinned by sha256. */
  data: readonly UnitDataFile[];
  /** The study's numerics version (bumped when a code change alters what its units compute). */
  numericsVersion: number;
  /** Ids of the units whose records it needs (their fingerprints enter its own). Default none. */
  dependencies?: readonly string[];
  /** CPU seconds one unit of this kind is expected to take, before any was measured. */
  estimateSeconds: number;
  /** Computes the result (small JSON: tens of KB). Throws {@link UnitInterrupted} when asked to stop. */
  run(context: UnitContext): Promise<Result>;
}

/** Where and on what a unit was computed. */
export interface UnitMachine {
  /** CPU model name (from /proc/cpuinfo where available). */
  cpu: string;
  /** Logical cores. */
  cores: number;
  /** `Deno.build.os` / `Deno.build.arch`. */
  os: string;
  /** The Deno version. */
  deno: string;
}

/** The record of a finished unit: `out/results/<id>.json`. */
export interface StoredUnit<Result = unknown> {
  /** Format version (1). */
  format: 1;
  /** The unit's id. */
  id: string;
  /** Its kind (for time estimates). */
  kind: string;
  /** Fingerprint of settings, data, numerics version and dependencies when it was computed. */
  fingerprint: string;
  /** The numerics version it was computed under. */
  numericsVersion: number;
  /** Its resolved settings. */
  settings: Record<string, unknown>;
  /** The data files it read. */
  data: UnitDataFile[];
  /** Its dependencies and their fingerprints. */
  dependencies: { id: string; fingerprint: string }[];
  /** What the unit computed. */
  result: Result;
  /** Compute backend (e.g. the TensorFlow.js backend and matrix-product path), as the unit reported it. */
  backend: string;
  /** The machine. */
  machine: UnitMachine;
  /** Wall seconds of the computation, summed over every attempt (an interrupted one included). */
  wallSeconds: number;
  /** Attempts it took (1 when it ran through). */
  attempts: number;
  /** Git commit of the code, and whether tracked files were modified. */
  git: { commit: string | null; dirty: boolean | null };
  /** ISO time it finished. */
  finishedAt: string;
}

/** State of a unit in a store: done (fresh), stale (stored under another fingerprint) or missing. */
export type UnitState = "done" | "stale" | "missing";

/**
 * Thrown by a unit that stopped because {@link UnitContext.shouldStop} said so, after saving its
 * checkpoint: the next run continues it.
 */
export class UnitInterrupted extends Error {
  /** @param id The unit's id. */
  constructor(readonly id: string, detail = "") {
    super(`unit ${id} interrupted${detail ? `: ${detail}` : ""}; it continues from its checkpoint next time`);
    this.name = "UnitInterrupted";
  }
}

const ID_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){2,}$/;

/**
 * Checks a unit id: `<study>/<experiment>/<name…>`, no `..`, no empty part.
 *
 * @example
 * ```ts
 * import { checkUnitId } from "./unit.ts";
 * checkUnitId("paper/tables/data1-e10-fb1-u2-hiddenSize/seed-1"); // ok
 * ```
 */
export function checkUnitId(id: string): void {
  if (!ID_PATTERN.test(id) || id.split("/").some((part) => part === "." || part === "..")) {
    throw new RangeError(
      `unit id ${JSON.stringify(id)} must be <study>/<experiment>/<name> of letters, digits, ".", "_", "-"`,
    );
  }
}

/** The study of a unit id (its first part). */
export function studyOf(id: string): string {
  return id.split("/")[0];
}

/** The experiment of a unit id (`<study>/<experiment>`). */
export function experimentOf(id: string): string {
  return id.split("/").slice(0, 2).join("/");
}
