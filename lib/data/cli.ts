/**
 * `deno task data:check PATH... [--json] [--min-rows N] [--drop-quirk-rows]`: validates market data files and
 * folders (their subfolders included, each file reported by its path).
 *
 * Plain output: one line per file. `--json`: one JSON object per line per file,
 * `{"file","format","ok","rows","first","last","code","warnings":[...],"errors":[{"row","column","value","message"}],
 * "quirkRows":[{"row","date","quirk","detail"}]}`.
 * Exit status: 0 when every file is valid, 1 when any is invalid, 2 for usage errors (unknown option,
 * missing path).
 *
 * @example
 * ```sh
 * deno task data:check ../shared/data/equinet ../shared/data/tdx --json
 * ```
 * @module
 */
import { checkFile, type FileReport, loadFolder } from "./load.ts";

const USAGE = `usage: deno task data:check PATH... [--json] [--min-rows N] [--drop-quirk-rows]

Checks daily-bar files (EquiNet/any .xlsx, TDX .txt, .csv, .csv.gz) and folders of them, subfolders included.
  --json              one JSON object per line per file
  --min-rows N        fewest data rows a valid file has (default 61)
  --drop-quirk-rows   drop (and list) rows of known vendor quirks instead of failing the file: all-blank
                      rows (Yahoo's null holidays), a blank volume among valid prices (BaoStock), low/high
                      beyond open/close by at most 0.5% of the price (adjusted series)
  --help              this text
Exit status: 0 all valid, 1 some invalid, 2 usage error.`;

/**
 * Parsed command line, or a usage error message.
 *
 * @example
 * ```ts
 * import { type CliOptions, parseCliArgs } from "./cli.ts";
 * const options = parseCliArgs(["data/", "--json"]) as CliOptions;
 * console.log(options.json); // true
 * ```
 */
export interface CliOptions {
  /** Files and folders to check. */
  paths: string[];
  /** One JSON object per line instead of plain lines. */
  json: boolean;
  /** `--min-rows`, when given. */
  minRows: number | undefined;
  /** `--drop-quirk-rows`: drop and list vendor-quirk rows (`LoadArgs.dropQuirkRows`). */
  dropQuirkRows: boolean;
  /** `--help` was given. */
  help: boolean;
}

/**
 * Parses the command line of `data:check`; returns a string describing the usage error instead of throwing.
 *
 * @example
 * ```ts
 * import { parseCliArgs } from "./cli.ts";
 * console.log(parseCliArgs(["a.csv", "--min-rows", "10"])); // { paths: ["a.csv"], json: false, minRows: 10, dropQuirkRows: false, help: false }
 * ```
 */
export function parseCliArgs(args: string[]): CliOptions | string {
  const options: CliOptions = {
    paths: [],
    json: false,
    minRows: undefined,
    dropQuirkRows: false,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") options.json = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--drop-quirk-rows") options.dropQuirkRows = true;
    else if (arg === "--min-rows" || arg.startsWith("--min-rows=")) {
      const text = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      const value = Number(text);
      if (text === undefined || !Number.isInteger(value) || value < 0) {
        return `--min-rows needs a whole number ≥ 0, got ${JSON.stringify(text ?? "")}`;
      }
      options.minRows = value;
    } else if (arg.startsWith("-") && arg !== "-") return `unknown option ${arg}`;
    else options.paths.push(arg);
  }
  if (!options.help && options.paths.length === 0) return "no PATH given";
  return options;
}

/**
 * The JSON line of one report.
 *
 * @example
 * ```ts
 * import { reportJson } from "./cli.ts";
 * import { checkFile } from "./mod.ts";
 * console.log(JSON.stringify(reportJson(await checkFile("prices.csv"))));
 * ```
 */
export function reportJson(report: FileReport): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: report.file,
    format: report.format,
    ok: report.ok,
    rows: report.rows,
    first: report.first ?? null,
    last: report.last ?? null,
    code: report.code ?? null,
    warnings: report.warnings,
    errors: report.errors.map((error) => error.toJSON()),
    quirkRows: report.quirkRows.map(({ row, date, quirk, detail }) => ({ row, date, quirk, detail })),
  };
  if (report.skipped) out.skipped = true;
  return out;
}

function plainLine(report: FileReport): string {
  if (report.skipped) return `SKIP  ${report.file}  ${report.warnings.join("; ")}`;
  const extent = report.first ? `${report.rows} rows ${report.first}..${report.last}` : `${report.rows} rows`;
  const code = report.code ? `  code ${report.code}` : "";
  const warnings = report.warnings.length > 0
    ? `  (${report.warnings.length} warning${report.warnings.length > 1 ? "s" : ""}: ${
      report.warnings.join("; ")
    })`
    : "";
  if (report.ok) return `OK    ${report.file}  ${report.format}  ${extent}${code}${warnings}`;
  const first = report.errors[0]?.message ?? "invalid";
  const more = report.errors.length > 1 ? ` (+${report.errors.length - 1} more)` : "";
  return `FAIL  ${report.file}  ${report.format}  ${report.errors.length} error${
    report.errors.length > 1 ? "s" : ""
  }: ${first}${more}`;
}

/**
 * Runs `data:check` and returns the exit status (0 valid, 1 invalid, 2 usage error), printing as it goes.
 *
 * @example
 * ```ts
 * import { runCli } from "./cli.ts";
 * const status = await runCli(["../shared/data/indices", "--json"]);
 * ```
 */
export async function runCli(args: string[], print: (line: string) => void = console.log): Promise<number> {
  const options = parseCliArgs(args);
  if (typeof options === "string") {
    console.error(`data:check: ${options}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    print(USAGE);
    return 0;
  }
  const kinds: ("file" | "folder")[] = [];
  for (const path of options.paths) {
    try {
      const info = await Deno.stat(path);
      kinds.push(info.isDirectory ? "folder" : "file");
    } catch {
      console.error(`data:check: no such file or folder: ${path}\n\n${USAGE}`);
      return 2;
    }
  }
  let allOk = true;
  const loadArgs = {
    ...(options.minRows === undefined ? {} : { minRows: options.minRows }),
    ...(options.dropQuirkRows ? { dropQuirkRows: true } : {}),
  };
  for (let k = 0; k < options.paths.length; k++) {
    const path = options.paths[k];
    const reports = kinds[k] === "folder"
      ? (await loadFolder(path, { ...loadArgs, onError: "skip", recursive: true })).reports
      : [await checkFile(path, loadArgs)];
    for (const report of reports) {
      if (!report.ok) allOk = false;
      print(options.json ? JSON.stringify(reportJson(report)) : plainLine(report));
    }
  }
  return allOk ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
