/**
 * EquiNet's own results table: the accuracies its author measured for each (d_model, heads)
 * configuration, read from `data/reference/equinet_published_results.csv` (the original's
 * `src/test-result.xlsx`, one row per configuration × checkpoint × set; see data/reference/README.md).
 * These are the original's figures, labelled as such — never results of ours.
 */
import { fileURLToPath } from "node:url";
import { parseCsv } from "../data/mod.ts";

/** The committed copy of the original's results table. */
export const EQUINET_REPORTED_FILE = fileURLToPath(
  new URL("../../data/reference/equinet_published_results.csv", import.meta.url),
);

/** One configuration × checkpoint × set of the original's results table. */
export interface EquiNetReportedRow {
  /** Model width (d_model). */
  dModel: number;
  /** Attention heads (nhead). */
  heads: number;
  /** Encoder layers (always 4). */
  layers: number;
  /** The sheet's block label (实验基准参数 baseline parameters; 控制变量法：改变nhead; 实验基准参数(重测) re-measured). */
  block: string;
  /** Random test-stock windows evaluated after each epoch to pick the best checkpoint (100 or 1000). */
  selectionWindows: number;
  /** `best` (highest per-epoch test accuracy) or `final` (after epoch 80). */
  checkpoint: "best" | "final";
  /** Windows drawn from the training stocks, the test stocks, or all stocks. */
  set: "train" | "test" | "all";
  /** Accuracy of each of its evaluations of 1000 random windows, as fractions (empty: never filled in). */
  evaluations: number[];
  /** Mean of `evaluations` (NaN when empty). */
  meanAccuracy: number;
}

const HEADER = [
  "d_model",
  "nhead",
  "num_layers",
  "block",
  "best_chosen_on_eval_samples",
  "checkpoint",
  "set",
  "n_evals",
  ...Array.from({ length: 10 }, (_, index) => `eval${index + 1}`),
  "mean_percent",
];

/**
 * Parses the original's results table (CSV text). Every problem is an error naming the file, line,
 * column and value; `mean_percent` must agree with the evaluations it summarises (to 0.01 points).
 *
 * @example
 * ```ts
 * import { parseEquiNetReported } from "./equinet_reported.ts";
 * const text = "d_model,nhead,num_layers,block,best_chosen_on_eval_samples,checkpoint,set,n_evals," +
 *   "eval1,eval2,eval3,eval4,eval5,eval6,eval7,eval8,eval9,eval10,mean_percent\n" +
 *   "32,8,4,实验基准参数,1000,best_model,test,2,50.0,52.0,,,,,,,,,51.0\n";
 * parseEquiNetReported(text, "table.csv")[0].meanAccuracy; // 0.51
 * ```
 */
export function parseEquiNetReported(text: string, file: string): EquiNetReportedRow[] {
  const { records, unterminatedQuoteLine } = parseCsv(text.replace(/^\uFEFF/, ""), ",");
  if (unterminatedQuoteLine !== undefined) {
    throw new Error(`${file}: line ${unterminatedQuoteLine}: unterminated quote`);
  }
  const header = records[0]?.cells ?? [];
  if (header.join(",") !== HEADER.join(",")) {
    throw new Error(`${file}: line 1: header "${header.join(",")}", expected "${HEADER.join(",")}"`);
  }
  const rows: EquiNetReportedRow[] = [];
  for (const record of records.slice(1)) {
    const cell = (column: string) => record.cells[HEADER.indexOf(column)] ?? "";
    const fail = (column: string, why: string): never => {
      throw new Error(`${file}: line ${record.line}, column ${column}: ${why} (value "${cell(column)}")`);
    };
    const integer = (column: string) => {
      const value = Number(cell(column));
      if (cell(column) === "" || !Number.isInteger(value) || value < 0) fail(column, "not a whole number");
      return value;
    };
    const checkpoint = cell("checkpoint");
    if (checkpoint !== "best_model" && checkpoint !== "final_model") {
      fail("checkpoint", "not best_model or final_model");
    }
    const set = cell("set");
    if (set !== "train" && set !== "test" && set !== "all") fail("set", "not train, test or all");
    const count = integer("n_evals");
    const evaluations: number[] = [];
    for (let index = 1; index <= 10; index++) {
      const column = `eval${index}`;
      if (index > count) {
        if (cell(column) !== "") fail(column, `a value beyond n_evals ${count}`);
        continue;
      }
      const percent = Number(cell(column));
      if (cell(column) === "" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
        fail(column, "not a percentage");
      }
      evaluations.push(percent / 100);
    }
    const meanAccuracy = evaluations.length === 0
      ? NaN
      : evaluations.reduce((sum, value) => sum + value, 0) / evaluations.length;
    if (count > 0) {
      const stated = Number(cell("mean_percent"));
      if (!Number.isFinite(stated) || Math.abs(stated - meanAccuracy * 100) > 0.01) {
        fail("mean_percent", `not the mean of the evaluations (${(meanAccuracy * 100).toFixed(3)})`);
      }
    } else if (cell("mean_percent") !== "") fail("mean_percent", "a mean without evaluations");
    rows.push({
      dModel: integer("d_model"),
      heads: integer("nhead"),
      layers: integer("num_layers"),
      block: cell("block"),
      selectionWindows: integer("best_chosen_on_eval_samples"),
      checkpoint: checkpoint === "best_model" ? "best" : "final",
      set: set as EquiNetReportedRow["set"],
      evaluations,
      meanAccuracy,
    });
  }
  return rows;
}

/**
 * Reads the original's results table (default: the committed copy).
 *
 * @example
 * ```ts
 * import { readEquiNetReported } from "./equinet_reported.ts";
 * const rows = await readEquiNetReported();
 * rows.filter((row) => row.dModel === 64 && row.checkpoint === "best" && row.set === "test")[0].meanAccuracy; // 0.523
 * ```
 */
export async function readEquiNetReported(path = EQUINET_REPORTED_FILE): Promise<EquiNetReportedRow[]> {
  return parseEquiNetReported(await Deno.readTextFile(path), path);
}

/**
 * The original's measurements of one configuration, checkpoint and set — usually one row, two for
 * d_model 32 / 8 heads (measured twice), none filled in for d_model 24 / 6 heads.
 *
 * @example
 * ```ts
 * import { readEquiNetReported, reportedOf } from "./equinet_reported.ts";
 * reportedOf(await readEquiNetReported(), { dModel: 32, heads: 8 }, "best", "test").length; // 2
 * ```
 */
export function reportedOf(
  rows: readonly EquiNetReportedRow[],
  size: { dModel: number; heads: number },
  checkpoint: "best" | "final",
  set: "train" | "test" | "all",
): EquiNetReportedRow[] {
  return rows.filter((row) =>
    row.dModel === size.dModel && row.heads === size.heads && row.checkpoint === checkpoint &&
    row.set === set && row.evaluations.length > 0
  );
}
