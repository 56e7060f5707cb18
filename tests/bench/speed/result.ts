/**
 * The JSON `deno task bench` writes to `out/bench/<YYYY-MM-DD>.json`, and its validation on reading.
 */
import type { LoadAverage, TimingSummary } from "./summary.ts";
import type { Workload } from "./workloads.ts";

/** Version tag of {@link BenchResult}; bumped when the shape changes. */
export const BENCH_SCHEMA = "equilab-bench/1";

/** One workload's timings: PyTorch's, ours per backend, and ours / PyTorch. */
export interface WorkloadResult {
  /** Stable key (`lstm-h14`, `transformer-d64`, `report-quick`, …). */
  id: string;
  /** Row label of the table. */
  label: string;
  /** `s/epoch`, `s/step` or `s`. */
  unit: string;
  /** Every setting of the workload (shapes, batch, learning rate, …). */
  config: Workload;
  /** Warm-up repetitions run before the timed ones (each side). */
  warmup: number;
  /**
   * Load averages read just before this workload started (they include the tail of the bench's own
   * previous workload, so only the run's starting load average says how loaded the machine was).
   */
  loadAverageBefore: LoadAverage;
  /** Cores other processes kept busy during a 1 s probe just before this workload (the bench idle). */
  otherBusyCoresBefore: number;
  /** PyTorch CPU timings; null where PyTorch has no counterpart (the notebook reports). */
  pytorch: TimingSummary | null;
  /** Ours, keyed by backend name. */
  ours: Record<string, TimingSummary>;
  /** Median ours / median PyTorch per backend (> 1: ours slower); null without a PyTorch timing. */
  ratio: Record<string, number | null>;
}

/** Everything one `deno task bench` run measured, with the context needed to judge it. */
export interface BenchResult {
  /** {@link BENCH_SCHEMA}. */
  schema: string;
  /** Local date of the run, `YYYY-MM-DD` (the file's name). */
  date: string;
  /** ISO time the run started and finished. */
  startedAt: string;
  finishedAt: string;
  /** The command as typed, for reproduction. */
  command: string;
  /** `git rev-parse HEAD` (null outside a repository) and whether tracked files had changes. */
  commit: string | null;
  dirty: boolean | null;
  /** Where it ran. */
  machine: { cpuModel: string; cores: number; memoryGiB: number; os: string };
  /**
   * Versions of every piece timed; `blas` is the BLAS library file(s) PyTorch loaded. `torch`, `python`
   * and `blas` are null when no PyTorch workload ran.
   */
  versions: {
    deno: string;
    v8: string;
    tfjs: string;
    torch: string | null;
    python: string | null;
    blas: string | null;
  };
  /**
   * Columns of ours, in order: a backend's name (its matrix products on WebAssembly when it is cpu or
   * wasm: `EQUILAB_BLAS=off`) or `<backend>+blas` (on the system BLAS).
   */
  backends: string[];
  /**
   * The matrix-product path each cpu/wasm column ran on, as its timing process reported it
   * (`matmulPath()` of lib/kernels). Absent in files written before native BLAS.
   */
  matmul?: Record<string, { kind: string; library?: string; threads?: number; reason?: string }>;
  /** Repetitions and PyTorch's threading. */
  settings: { repeats: number; torchThreads: number; openblasThreads: number };
  /** Load averages at the start and the end of the run. */
  loadAverage: { start: LoadAverage; end: LoadAverage };
  /** Per workload, in run order. */
  workloads: WorkloadResult[];
  /** Anything that makes the figures less trustworthy (high load, …). */
  warnings: string[];
}

/**
 * Checks that `value` (parsed from `path`) has the shape of a {@link BenchResult}, so the README is
 * never rendered from a foreign or truncated file. Throws naming the file and the first bad field.
 *
 * @example
 * ```ts
 * import { validateBenchResult } from "./result.ts";
 * try {
 *   validateBenchResult({ schema: "other" }, "out/bench/2025-01-01.json");
 * } catch (error) {
 *   // "out/bench/2025-01-01.json: schema is "other", expected "equilab-bench/1""
 * }
 * ```
 */
export function validateBenchResult(value: unknown, path: string): BenchResult {
  const fail = (field: string, why: string): never => {
    throw new Error(`${path}: ${field} ${why}`);
  };
  if (!isRecord(value)) return fail("the file", "is not a JSON object");
  if (value.schema !== BENCH_SCHEMA) {
    fail("schema", `is ${JSON.stringify(value.schema)}, expected ${JSON.stringify(BENCH_SCHEMA)}`);
  }
  for (const field of ["date", "startedAt", "finishedAt", "command"]) {
    if (typeof value[field] !== "string") fail(field, "is not a string");
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date as string)) fail("date", "is not YYYY-MM-DD");
  for (const field of ["machine", "versions", "settings", "loadAverage"]) {
    if (!isRecord(value[field])) fail(field, "is not an object");
  }
  const settings = value.settings as Record<string, unknown>;
  if (typeof settings.repeats !== "number") fail("settings.repeats", "is not a number");
  if (!Array.isArray(value.backends) || value.backends.some((name) => typeof name !== "string")) {
    fail("backends", "is not a list of names");
  }
  if (!Array.isArray(value.warnings)) fail("warnings", "is not a list");
  if (!Array.isArray(value.workloads) || value.workloads.length === 0) {
    fail("workloads", "is empty or missing");
  }
  (value.workloads as unknown[]).forEach((workload, index) => {
    const where = `workloads[${index}]`;
    if (!isRecord(workload)) return fail(where, "is not an object");
    for (const field of ["id", "label", "unit"]) {
      if (typeof workload[field] !== "string") fail(`${where}.${field}`, "is not a string");
    }
    if (typeof workload.otherBusyCoresBefore !== "number") {
      fail(`${where}.otherBusyCoresBefore`, "is not a number");
    }
    if (workload.pytorch !== null) checkSummary(workload.pytorch, `${where}.pytorch`, fail);
    if (!isRecord(workload.ours)) return fail(`${where}.ours`, "is not an object");
    for (const [backend, summary] of Object.entries(workload.ours)) {
      checkSummary(summary, `${where}.ours.${backend}`, fail);
    }
    if (!isRecord(workload.ratio)) fail(`${where}.ratio`, "is not an object");
  });
  return value as unknown as BenchResult;
}

function checkSummary(value: unknown, where: string, fail: (field: string, why: string) => never): void {
  if (!isRecord(value)) return fail(where, "is not an object");
  for (const field of ["median", "min", "max"]) {
    if (typeof value[field] !== "number" || !Number.isFinite(value[field])) {
      fail(`${where}.${field}`, "is not a finite number");
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The JSON file name of a run on `date`: the local calendar date, `YYYY-MM-DD.json`.
 *
 * @example
 * ```ts
 * import { benchFileName } from "./result.ts";
 * benchFileName(new Date(2025, 0, 31, 23, 59)); // "2025-01-31.json"
 * ```
 */
export function benchFileName(date: Date): string {
  return `${localDate(date)}.json`;
}

/**
 * The local calendar date `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * import { localDate } from "./result.ts";
 * localDate(new Date(2025, 8, 3)); // "2025-09-03"
 * ```
 */
export function localDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The newest `YYYY-MM-DD.json` among file names (other names ignored), or null when there is none.
 *
 * @example
 * ```ts
 * import { latestBenchFile } from "./result.ts";
 * latestBenchFile(["2025-01-02.json", "2024-12-31.json", "notes.txt"]); // "2025-01-02.json"
 * ```
 */
export function latestBenchFile(names: Iterable<string>): string | null {
  const dated = [...names].filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name)).sort();
  return dated.length > 0 ? dated[dated.length - 1] : null;
}

/**
 * A warning when PyTorch loaded no optimised BLAS (OpenBLAS, MKL, BLIS, ATLAS): Debian's torch then
 * runs its matrix products on the reference BLAS, several times slower, and the ratios flatter ours.
 * Null when the library is an optimised one.
 *
 * @example
 * ```ts
 * import { blasWarning } from "./result.ts";
 * blasWarning("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"); // null
 * blasWarning("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"); // "PyTorch runs on the reference BLAS …"
 * ```
 */
export function blasWarning(blas: string): string | null {
  return /openblas|mkl|blis|atlas/i.test(blas) ? null : `PyTorch runs on the reference BLAS (${blas}), ` +
    "not an optimised one: its matrix products are several times slower than a normal install's, so " +
    "the ratios flatter ours (Debian: apt-get install libopenblas0-pthread)";
}
