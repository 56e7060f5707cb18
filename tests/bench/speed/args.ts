/**
 * Command-line options of `deno task bench`.
 */
import { MODEL_WORKLOADS, QUICK_WORKLOAD_IDS, reportWorkload, type Workload } from "./workloads.ts";

/** Backends ours can be timed on. */
export const BENCH_BACKENDS = ["wasm", "cpu", "webgpu"] as const;
/** One of {@link BENCH_BACKENDS}. */
export type BenchBackend = typeof BENCH_BACKENDS[number];

/** Where ours runs its matrix products: WebAssembly (`EQUILAB_BLAS=off`) or the system BLAS. */
export const BENCH_MATMUL_PATHS = ["wasm", "native"] as const;
/** One of {@link BENCH_MATMUL_PATHS}. */
export type BenchMatmulPath = typeof BENCH_MATMUL_PATHS[number];

/** Parsed options of `deno task bench`. */
export interface SpeedOptions {
  /** Backends ours runs on, in order. Default `["wasm"]` (the project's default backend on a CPU). */
  backends: BenchBackend[];
  /**
   * Matrix-product paths ours is timed on, per cpu/wasm backend (webgpu has one). Default
   * `["wasm", "native"]`: a column with `EQUILAB_BLAS=off` and one with the system BLAS, same run.
   */
  matmul: BenchMatmulPath[];
  /** Timed repetitions per workload and side. Default 5 (fewer only for development runs). */
  repeats: number;
  /** Untimed warm-up repetitions; undefined = per kind (1 LSTM epoch, 2 Transformer steps). */
  warmup: number | undefined;
  /** Workloads to run, in order. Default: every model workload (reports only on request). */
  workloads: Workload[];
  /** Run the benchmark (false with `--readme-only`). */
  run: boolean;
  /** Rewrite README.md's performance section from the JSON afterwards. */
  readme: boolean;
  /** Where the JSON goes; undefined = `out/bench/<YYYY-MM-DD>.json`. */
  outPath: string | undefined;
  /** `--help` was given. */
  help: boolean;
}

/** A command-line mistake; the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The usage text printed by `--help` and after a {@link UsageError}. */
export const SPEED_USAGE = `usage: deno task bench [options]
  --backend LIST    backends for ours: wasm, cpu, webgpu, comma-separated, or "all" (= wasm,cpu); default wasm
  --matmul LIST     matrix products of ours on cpu/wasm: wasm (EQUILAB_BLAS=off), native (system BLAS), or
                    both (default; one column each)
  --repeats N       timed repetitions per workload and side (default 5; the JSON records it)
  --warmup N        untimed warm-up repetitions (default 1 LSTM epoch, 2 Transformer steps)
  --quick           only ${QUICK_WORKLOAD_IDS.join(", ")} (a smoke run)
  --only LIST       only these workload ids (${
  [...MODEL_WORKLOADS.map((workload) => workload.id), "report-quick", "report-full"].join(", ")
})
  --report          also time the quick-mode report over every notebook (minutes)
  --full-report     also time the full-settings report (hours; never in CI)
  --readme          afterwards rewrite README.md's performance section from the JSON
  --readme-only     do not run: rewrite README.md's performance section from the latest out/bench/*.json
  --out PATH        write the JSON here instead of out/bench/<YYYY-MM-DD>.json
  --help            this text`;

/**
 * Parses `deno task bench`'s arguments. Throws {@link UsageError} naming the bad argument.
 *
 * @example
 * ```ts
 * import { parseSpeedArgs } from "./args.ts";
 * const options = parseSpeedArgs(["--backend", "all", "--repeats", "7", "--report"]);
 * options.backends; // ["wasm", "cpu"]
 * ```
 */
export function parseSpeedArgs(argv: readonly string[]): SpeedOptions {
  let backends: BenchBackend[] = ["wasm"];
  let matmul: BenchMatmulPath[] = ["wasm", "native"];
  let repeats = 5;
  let warmup: number | undefined;
  let quick = false;
  let only: string[] | undefined;
  let report = false;
  let fullReport = false;
  let readme = false;
  let readmeOnly = false;
  let outPath: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = (): string => {
      const next = argv[++index];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${argument} needs a value`);
      return next;
    };
    switch (argument) {
      case "--backend":
        backends = parseBackends(value());
        break;
      case "--matmul":
        matmul = parseMatmul(value());
        break;
      case "--repeats":
        repeats = parseCount(argument, value(), 1);
        break;
      case "--warmup":
        warmup = parseCount(argument, value(), 0);
        break;
      case "--quick":
        quick = true;
        break;
      case "--only":
        only = value().split(",").map((id) => id.trim()).filter((id) => id !== "");
        break;
      case "--report":
        report = true;
        break;
      case "--full-report":
        fullReport = true;
        break;
      case "--readme":
        readme = true;
        break;
      case "--readme-only":
        readmeOnly = true;
        break;
      case "--out":
        outPath = value();
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(argument)}`);
    }
  }
  const available: Workload[] = [...MODEL_WORKLOADS, reportWorkload(true), reportWorkload(false)];
  let workloads: Workload[];
  if (only) {
    if (quick) throw new UsageError("--quick and --only cannot be combined");
    for (const id of only) {
      if (!available.some((workload) => workload.id === id)) {
        throw new UsageError(
          `--only: unknown workload ${JSON.stringify(id)}; known: ${available.map((w) => w.id).join(", ")}`,
        );
      }
    }
    workloads = available.filter((workload) => only.includes(workload.id));
  } else {
    workloads = MODEL_WORKLOADS.filter((workload) => !quick || QUICK_WORKLOAD_IDS.includes(workload.id));
  }
  if (report && !workloads.some((workload) => workload.id === "report-quick")) {
    workloads.push(reportWorkload(true));
  }
  if (fullReport && !workloads.some((workload) => workload.id === "report-full")) {
    workloads.push(reportWorkload(false));
  }
  if (readmeOnly && (only || quick || report || fullReport || outPath !== undefined)) {
    throw new UsageError("--readme-only runs nothing: it takes no workload or --out option");
  }
  return {
    backends,
    matmul,
    repeats,
    warmup,
    workloads,
    run: !readmeOnly,
    readme: readme || readmeOnly,
    outPath,
    help,
  };
}

function parseBackends(text: string): BenchBackend[] {
  if (text === "all") return ["wasm", "cpu"];
  const names = text.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name !== "");
  if (names.length === 0) throw new UsageError("--backend: no backend given");
  for (const name of names) {
    if (!(BENCH_BACKENDS as readonly string[]).includes(name)) {
      throw new UsageError(
        `--backend: ${JSON.stringify(name)} is not one of ${BENCH_BACKENDS.join(", ")}, all`,
      );
    }
  }
  return [...new Set(names)] as BenchBackend[];
}

function parseMatmul(text: string): BenchMatmulPath[] {
  if (text === "both") return ["wasm", "native"];
  const names = text.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name !== "");
  if (names.length === 0) throw new UsageError("--matmul: no path given");
  for (const name of names) {
    if (!(BENCH_MATMUL_PATHS as readonly string[]).includes(name)) {
      throw new UsageError(
        `--matmul: ${JSON.stringify(name)} is not one of ${BENCH_MATMUL_PATHS.join(", ")}, both`,
      );
    }
  }
  return [...new Set(names)] as BenchMatmulPath[];
}

/**
 * The table's columns of ours, in order: per backend, its WebAssembly-products column (the backend's
 * name) and its native-BLAS column (`<backend>+blas`), as `matmul` asks; webgpu has one column.
 *
 * @example
 * ```ts
 * import { benchColumns } from "./args.ts";
 * benchColumns(["wasm", "webgpu"], ["wasm", "native"]); // ["wasm", "wasm+blas", "webgpu"]
 * ```
 */
export function benchColumns(
  backends: readonly BenchBackend[],
  matmul: readonly BenchMatmulPath[],
): string[] {
  return backends.flatMap((backend) =>
    backend === "webgpu" ? [backend] : matmul.map((path) => path === "native" ? `${backend}+blas` : backend)
  );
}

/**
 * A column key of {@link benchColumns} → the backend and the matrix-product path it stands for.
 *
 * @example
 * ```ts
 * import { parseBenchColumn } from "./args.ts";
 * parseBenchColumn("wasm+blas"); // { backend: "wasm", matmul: "native" }
 * ```
 */
export function parseBenchColumn(column: string): { backend: string; matmul: BenchMatmulPath } {
  return column.endsWith("+blas")
    ? { backend: column.slice(0, -"+blas".length), matmul: "native" }
    : { backend: column, matmul: "wasm" };
}

function parseCount(option: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new UsageError(`${option}: ${JSON.stringify(text)} is not a whole number ≥ ${minimum}`);
  }
  return value;
}
