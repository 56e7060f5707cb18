/**
 * Notebook parameters. They reach notebooks through environment variables, so the same notebook
 * runs live, under `deno task report`, and in CI.
 */
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One documented parameter. */
export interface ParameterSpec {
  /** Environment variable. */
  variable: string;
  /** What it does. */
  description: string;
  /** Value when unset. */
  defaultValue: string;
}

/** Every parameter EquiLab reads (README lists the same). */
export const PARAMETERS: readonly ParameterSpec[] = [
  {
    variable: "EQUILAB_QUICK",
    description:
      "1 = run every cell with tiny settings (few epochs, seeds, samples): CI runs all notebooks in minutes",
    defaultValue: "0 (full settings)",
  },
  {
    variable: "EQUILAB_BACKEND",
    description: "TensorFlow.js backend: cpu | wasm | webgpu | tensorflow",
    defaultValue: "best available",
  },
  {
    variable: "EQUILAB_SEEDS",
    description: "number of seeds per experiment cell (overrides the notebook's default)",
    defaultValue: "5 full, 2 quick",
  },
  {
    variable: "EQUILAB_DATA_MIRROR",
    description: "folder holding the reference data sets laid out like ../shared/data",
    defaultValue: "unset (local data/ folder, then download)",
  },
  {
    variable: "EQUILAB_RESUME",
    description:
      "1 = long experiments keep every seed's checkpoints under out/ and a rerun continues each seed from its last finished epoch (断点续训); same results as one uninterrupted run",
    defaultValue: "0 (every seed trained from scratch)",
  },
  {
    variable: "EQUILAB_FROM_STORE",
    description:
      "1 = notebooks with a results store (02, 03) read their full-settings units from out/results and train nothing; the report names any unit that is missing or stale (`deno task report --from-store`)",
    defaultValue: "0 (missing units are trained)",
  },
  {
    variable: "EQUILAB_CONFIGS",
    description:
      "comma-separated configuration ids the EquiNet notebooks train (04: published-d128-h8 .. published-d24-h6 and their -batch1 runs; 06: the reference corrected is always kept, plus e.g. focal-loss): run part of a sweep you cannot afford whole; the report says it is a subset",
    defaultValue: "unset (every configuration)",
  },
  {
    variable: "EQUILAB_UNIVERSE",
    description:
      "the EquiNet notebooks (05, 06) train on this folder of daily-bar files (TDX .txt, CSV, xlsx; subfolders included) instead of equinet-319; files that fail validation are listed and left out; absolute or relative to the project root; stored units (computed on equinet-319) are not used",
    defaultValue: "unset (the data set equinet-319)",
  },
  {
    variable: "EQUILAB_MARKET_INDEX",
    description:
      "an index file (e.g. the Shanghai Composite) whose bars build the three market columns of every stock by date (needed when the files have none, e.g. TDX or CSV exports); absolute or relative to the project root",
    defaultValue: "unset (the market columns stored in the files)",
  },
  {
    variable: "EQUILAB_DROP_QUIRK_ROWS",
    description:
      "1 = drop, and list, rows of known vendor quirks instead of rejecting their file: all-blank rows (Yahoo's null holidays), a blank volume among valid prices (BaoStock), low/high beyond open/close by at most 0.5% of the price (adjusted series)",
    defaultValue: "0 (such rows make their file invalid)",
  },
  {
    variable: "EQUILAB_BLAS",
    description:
      "matrix products on the system BLAS (lib/kernels, Deno FFI): off = WebAssembly only; a path or file name = that library",
    defaultValue: "unset (the first of libopenblas.so.0, libopenblas64_.so.0, MKL, libblas.so.3 found)",
  },
  {
    variable: "EQUILAB_BLAS_THREADS",
    description: "threads of the system BLAS's pool (OpenBLAS, MKL)",
    defaultValue: "every core, or 1 when EQUILAB_PARALLEL_UNITS > 1",
  },
  {
    variable: "EQUILAB_PARALLEL_UNITS",
    description:
      "set by a runner running several processes side by side: above 1, each BLAS pool defaults to 1 thread",
    defaultValue: "unset",
  },
  {
    variable: "EQUILAB_CELL_TIMEOUT",
    description: "seconds one notebook cell may run under `deno task report` (0 = no limit)",
    defaultValue: "0",
  },
];

/** Parameters as a notebook sees them. */
export interface NotebookParameters {
  /** Tiny settings for CI. */
  quick: boolean;
  /** Seeds per experiment cell. */
  seeds: number;
  /** Requested backend, or undefined for the best available. */
  backend?: string;
  /** Continue experiments from their checkpoints under `out/` (`EQUILAB_RESUME=1`). */
  resume: boolean;
  /** Read stored units only, train nothing (`EQUILAB_FROM_STORE=1`). */
  fromStore: boolean;
  /** Configuration ids to train (`EQUILAB_CONFIGS`), or undefined for every configuration. */
  configs?: string[];
  /**
   * Absolute path of the folder of daily-bar files the EquiNet notebooks train on (`EQUILAB_UNIVERSE`), or
   * undefined for the data set equinet-319.
   */
  universe?: string;
  /** Absolute path of the index file that builds the market columns (`EQUILAB_MARKET_INDEX`), or undefined. */
  marketIndex?: string;
  /** Drop and list vendor-quirk rows instead of rejecting their file (`EQUILAB_DROP_QUIRK_ROWS=1`). */
  dropQuirkRows: boolean;
}

/**
 * Reads the parameters from the environment.
 *
 * @example
 * ```ts
 * import { notebookParameters } from "./parameters.ts";
 * const { quick, seeds } = notebookParameters();
 * ```
 */
export function notebookParameters(): NotebookParameters {
  const quick = Deno.env.get("EQUILAB_QUICK") === "1";
  const seedsText = Deno.env.get("EQUILAB_SEEDS");
  let seeds = quick ? 2 : 5;
  if (seedsText !== undefined && seedsText !== "") {
    const parsed = Number(seedsText);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new Error(`EQUILAB_SEEDS=${JSON.stringify(seedsText)} must be a positive integer`);
    }
    seeds = parsed;
  }
  const backend = Deno.env.get("EQUILAB_BACKEND") || undefined;
  const resumeText = Deno.env.get("EQUILAB_RESUME") ?? "";
  if (!["", "0", "1"].includes(resumeText)) {
    throw new Error(`EQUILAB_RESUME=${JSON.stringify(resumeText)} must be 0 or 1`);
  }
  const fromStoreText = Deno.env.get("EQUILAB_FROM_STORE") ?? "";
  if (!["", "0", "1"].includes(fromStoreText)) {
    throw new Error(`EQUILAB_FROM_STORE=${JSON.stringify(fromStoreText)} must be 0 or 1`);
  }
  const configsText = Deno.env.get("EQUILAB_CONFIGS") ?? "";
  let configs: string[] | undefined;
  if (configsText.trim() !== "") {
    configs = configsText.split(",").map((id) => id.trim());
    if (configs.some((id) => id === "")) {
      throw new Error(
        `EQUILAB_CONFIGS=${JSON.stringify(configsText)} has an empty entry: give ids separated by commas`,
      );
    }
  }
  const universe = pathParameter("EQUILAB_UNIVERSE", "folder");
  const marketIndex = pathParameter("EQUILAB_MARKET_INDEX", "file");
  const quirkText = Deno.env.get("EQUILAB_DROP_QUIRK_ROWS") ?? "";
  if (!["", "0", "1"].includes(quirkText)) {
    throw new Error(`EQUILAB_DROP_QUIRK_ROWS=${JSON.stringify(quirkText)} must be 0 or 1`);
  }
  return {
    quick,
    seeds,
    backend,
    resume: resumeText === "1",
    fromStore: fromStoreText === "1",
    ...(configs ? { configs } : {}),
    ...(universe ? { universe } : {}),
    ...(marketIndex ? { marketIndex } : {}),
    dropQuirkRows: quirkText === "1",
  };
}

/**
 * A path parameter made absolute (relative paths are from the project root, as `EQUILAB_DATA_MIRROR`'s: notebooks
 * run in `notebooks/`), checked to be an existing folder or file; undefined when unset or empty.
 */
function pathParameter(variable: string, kind: "folder" | "file"): string | undefined {
  const text = (Deno.env.get(variable) ?? "").trim();
  if (text === "") return undefined;
  const path = isAbsolute(text) ? text : join(fileURLToPath(new URL("../../", import.meta.url)), text);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    throw new Error(
      `${variable}=${JSON.stringify(text)}: cannot read ${path} (${
        (error as Error).message
      }); give a ${kind}, ` +
        `absolute or relative to the project root`,
    );
  }
  if (kind === "folder" ? !info.isDirectory : !info.isFile) {
    throw new Error(`${variable}=${JSON.stringify(text)}: ${path} is not a ${kind}`);
  }
  return path;
}

/** The parameters set in this environment, for the report index. */
export function parametersInEffect(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { variable } of PARAMETERS) {
    const value = Deno.env.get(variable);
    if (value !== undefined && value !== "") values[variable] = value;
  }
  return values;
}
