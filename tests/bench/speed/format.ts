/**
 * Text renderings of a {@link BenchResult}: the table printed by `deno task bench` and README.md's
 * generated performance section.
 */
import type { BenchResult } from "./result.ts";
import type { TimingSummary } from "./summary.ts";

/** Markers around README.md's generated performance section. */
export const README_MARKERS = { start: "<!-- bench:start -->", end: "<!-- bench:end -->" } as const;

/**
 * Seconds with three significant digits (`0.0345`, `1.23`, `12.3`, `123`; tiny values in exponent form).
 *
 * @example
 * ```ts
 * import { formatSeconds } from "./format.ts";
 * formatSeconds(0.034512); // "0.0345"
 * formatSeconds(1234.5); // "1235"
 * ```
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds >= 1000) return seconds.toFixed(0);
  if (seconds !== 0 && seconds < 0.001) return seconds.toExponential(2);
  return String(Number(seconds.toPrecision(3)));
}

/**
 * A ratio ours / PyTorch as `2.35x` (two decimals), or `-` when there is none.
 *
 * @example
 * ```ts
 * import { formatRatio } from "./format.ts";
 * formatRatio(2.3456); // "2.35x"
 * formatRatio(null); // "-"
 * ```
 */
export function formatRatio(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? "-" : `${ratio.toFixed(2)}x`;
}

function formatSummary(summary: TimingSummary | null | undefined): string {
  if (!summary) return "-";
  if (summary.samples?.length === 1) return formatSeconds(summary.median);
  return `${formatSeconds(summary.median)} (${formatSeconds(summary.min)}..${formatSeconds(summary.max)})`;
}

/**
 * A Markdown table, columns padded as `deno fmt` pads them: one row per workload, PyTorch's median
 * (min..max), then ours and ours / PyTorch for each backend. The same text is printed and put in the README.
 *
 * @example
 * ```ts
 * import { formatBenchTable } from "./format.ts";
 * import type { BenchResult } from "./result.ts";
 * declare const result: BenchResult;
 * console.log(formatBenchTable(result));
 * ```
 */
export function formatBenchTable(result: BenchResult): string {
  const header = ["workload", "PyTorch CPU"];
  for (const backend of result.backends) {
    const label = columnLabel(backend);
    header.push(`ours, ${label}`, `${label} / PyTorch`);
  }
  const rows = result.workloads.map((workload) => {
    const row = [`${workload.label} (${workload.unit})`, formatSummary(workload.pytorch)];
    for (const backend of result.backends) {
      row.push(formatSummary(workload.ours[backend]), formatRatio(workload.ratio[backend]));
    }
    return row;
  });
  return markdownTable(header, rows);
}

/**
 * A column key's label: `wasm+blas` → `wasm + native BLAS` (the backend with its matrix products on the
 * system BLAS); other keys as they are.
 *
 * @example
 * ```ts
 * import { columnLabel } from "./format.ts";
 * columnLabel("wasm+blas"); // "wasm + native BLAS"
 * ```
 */
export function columnLabel(column: string): string {
  return column.endsWith("+blas") ? `${column.slice(0, -"+blas".length)} + native BLAS` : column;
}

/**
 * One sentence naming each column's matrix-product path (from `result.matmul`), or "" when the run
 * recorded none.
 *
 * @example
 * ```ts
 * import { describeMatmulColumns } from "./format.ts";
 * import type { BenchResult } from "./result.ts";
 * declare const result: BenchResult;
 * describeMatmulColumns(result); // "Matrix products: wasm on WebAssembly (EQUILAB_BLAS=off); wasm + native BLAS on libopenblasp-r0.3.21.so (2 threads)."
 * ```
 */
export function describeMatmulColumns(result: BenchResult): string {
  const entries = Object.entries(result.matmul ?? {});
  if (entries.length === 0) return "";
  const parts = entries.map(([column, path]) =>
    path.kind === "native"
      ? `${columnLabel(column)} on ${path.library?.split("/").pop() ?? "a BLAS"}${
        path.threads ? ` (${path.threads} threads)` : ""
      } through Deno's FFI`
      : `${columnLabel(column)} on WebAssembly${path.reason ? ` (${path.reason})` : ""}`
  );
  return `Matrix products: ${parts.join("; ")}.`;
}

/**
 * A Markdown table with every column padded to its widest cell (plain ASCII widths), `|` in cells escaped.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./format.ts";
 * markdownTable(["a", "bb"], [["1", "2"]]); // "| a   | bb  |\n| --- | --- |\n| 1   | 2   |"
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const cells = [header, ...rows].map((row) => row.map(escape));
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new RangeError(`markdownTable: a row has ${row.length} cells, the header ${header.length}`);
    }
  }
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(cells[0]), line(widths.map((width) => "-".repeat(width))), ...cells.slice(1).map(line)]
    .join("\n");
}

/**
 * The body of README.md's performance section (between {@link README_MARKERS}): where and when it was
 * measured, the table, warnings, and the command that reproduces it. Every figure comes from `result`.
 *
 * @example
 * ```ts
 * import { renderReadmeSection } from "./format.ts";
 * import type { BenchResult } from "./result.ts";
 * declare const result: BenchResult;
 * const body = renderReadmeSection(result, "out/bench/2025-01-01.json");
 * ```
 */
export function renderReadmeSection(result: BenchResult, jsonPath: string): string {
  const { machine, versions, settings } = result;
  const busy = Math.max(...result.workloads.map((workload) => workload.otherBusyCoresBefore));
  const pytorch = versions.torch
    ? `PyTorch ${versions.torch} (Python ${versions.python}, ${
      blasName(versions.blas)
    }, ${settings.torchThreads} threads, ` +
      `OPENBLAS_NUM_THREADS=${settings.openblasThreads})`
    : "no PyTorch";
  const lines = [
    `<!-- Generated by \`deno task bench --readme\` from ${jsonPath}; do not edit by hand. -->`,
    "",
    `Measured ${result.date} on ${machine.cpuModel} (${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
    `${machine.os}), commit ${result.commit ? result.commit.slice(0, 12) : "unknown"}` +
    `${
      result.dirty ? " with uncommitted changes" : ""
    }: Deno ${versions.deno}, TensorFlow.js ${versions.tfjs} ` +
    `against ${pytorch}. Seconds, median of ${settings.repeats} repetitions after warm-up (min..max); ` +
    `ratio = ours / PyTorch, below 1 means ours is faster. Load average at the start ` +
    `${result.loadAverage.start.oneMinute} (1 min); other processes kept at most ${
      busy.toFixed(2)
    } cores busy ` +
    `just before a workload.${describeMatmulColumns(result) ? ` ${describeMatmulColumns(result)}` : ""}`,
    "",
    formatBenchTable(result),
  ];
  if (result.warnings.length > 0) {
    lines.push("", ...result.warnings.map((warning) => `- Warning: ${warning}`));
  }
  lines.push("", `Reproduce: \`${reproduceCommand(result.command)}\`.`);
  return lines.join("\n");
}

/**
 * Replaces the text between `markers.start` and `markers.end` (exclusive) in `text` with `body`,
 * keeping the markers. Throws when a marker is missing, repeated or out of order.
 *
 * @example
 * ```ts
 * import { replaceMarkedSection } from "./format.ts";
 * replaceMarkedSection("a\n<!-- s -->\nold\n<!-- e -->\nb", "new", { start: "<!-- s -->", end: "<!-- e -->" });
 * // "a\n<!-- s -->\n\nnew\n\n<!-- e -->\nb"
 * ```
 */
export function replaceMarkedSection(
  text: string,
  body: string,
  markers: { start: string; end: string } = README_MARKERS,
): string {
  const count = (marker: string) => text.split(marker).length - 1;
  for (const marker of [markers.start, markers.end]) {
    const found = count(marker);
    if (found !== 1) throw new Error(`expected the marker ${marker} once, found it ${found} times`);
  }
  const start = text.indexOf(markers.start) + markers.start.length;
  const end = text.indexOf(markers.end);
  if (end < start) throw new Error(`the marker ${markers.end} comes before ${markers.start}`);
  return `${text.slice(0, start)}\n\n${body.trim()}\n\n${text.slice(end)}`;
}

/**
 * The command that reproduces a run and its README section: the run's command without `--out PATH`
 * (the README is rendered from `out/bench/`) and with `--readme`.
 *
 * @example
 * ```ts
 * import { reproduceCommand } from "./format.ts";
 * reproduceCommand("deno task bench --backend all --out /tmp/a.json"); // "deno task bench --backend all --readme"
 * ```
 */
export function reproduceCommand(command: string): string {
  const words = command.split(/\s+/).filter((word) => word !== "");
  const kept: string[] = [];
  for (let index = 0; index < words.length; index++) {
    if (words[index] === "--out") index++;
    else if (words[index] !== "--readme") kept.push(words[index]);
  }
  return [...kept, "--readme"].join(" ");
}

/**
 * A short name of the BLAS library PyTorch loaded: `OpenBLAS`, `MKL`, `BLIS`, `ATLAS`, or `reference BLAS`.
 *
 * @example
 * ```ts
 * import { blasName } from "./format.ts";
 * blasName("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"); // "OpenBLAS"
 * ```
 */
export function blasName(blas: string | null | undefined): string {
  if (!blas) return "unknown BLAS";
  for (
    const [pattern, name] of [[/openblas/i, "OpenBLAS"], [/mkl/i, "MKL"], [/blis/i, "BLIS"], [
      /atlas/i,
      "ATLAS",
    ]] as const
  ) {
    if (pattern.test(blas)) return name;
  }
  return "reference BLAS";
}
