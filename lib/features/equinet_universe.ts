/**
 * An EquiNet universe: a folder of daily-bar files (TDX, CSV, xlsx; subfolders included) loaded as the
 * window sampler's stocks, with the market columns from the files or an index, and everything left out
 * or changed on the way listed (invalid files, files too short for a window, vendor-quirk rows, stock
 * days without a market row).
 */
import {
  type DailyBars,
  loadBars,
  loadFolder,
  MARKET_COLUMNS,
  type QuirkRow,
  resolveDataset,
} from "../data/mod.ts";
import { equiNetStock } from "./equinet_stock.ts";
import { type EquiNetStock, type EquiNetWindowArgs, resolveEquiNetWindowArgs } from "./equinet_windows.ts";

/** Options of {@link loadEquiNetUniverse}. */
export interface LoadEquiNetUniverseArgs {
  /**
   * Folder of daily-bar files to load (TDX .txt, CSV, .csv.gz, xlsx; its subfolders too, recursively).
   * Default: the data set equinet-319, resolved by the data registry (local, mirror, cache or download).
   */
  folder?: string;
  /**
   * Index file (any format the data layer reads, e.g. the Shanghai Composite) whose bars build every stock's
   * three market columns by date (`marketFromIndex`): stock days the index lacks are left out and counted in
   * `droppedDays`. Default: none: the files' own market columns (files without them are an error).
   */
  marketIndex?: string;
  /**
   * How the three market columns are paired with a stock's days when they come from the files (no
   * `marketIndex`). `"position"`: as stored, by row position, as EquiNet trained on them (for its 34 suspended
   * stocks a day sees another day's market row). `"date"`: each stock day gets its own day's market row, and
   * stock days before the market rows start (2023-06-26) are left out and reported. Default "position".
   *
   * Porting note: the corrected notebooks use "date"; notebook 04 keeps the original's pairing.
   */
  alignMarket?: "position" | "date";
  /**
   * Drop and list the rows of known vendor quirks (the data layer's `dropQuirkRows`: all-blank rows, a blank
   * volume among valid prices, a low or high off by at most 0.5% of the price), in the stock files and in the
   * market index. Default false: such rows make their file invalid (listed in `rejected`).
   */
  dropQuirkRows?: boolean;
  /**
   * The window settings the stocks are for: a stock with fewer rows than its shortest window (the fixed
   * `contextDays`, or `minContextDays` for random context) plus `horizonDays` gives no window and is left out
   * (listed in `leftOut`). Default: the EquiNetWindows defaults (60 + 3 = 63 rows).
   */
  windows?: EquiNetWindowArgs;
}

/** A file of the folder that is not in the universe, and why. */
export interface UniverseExclusion {
  /** The file (as the data layer names it: the folder, then its path under the folder). */
  file: string;
  /** Why: the data layer's messages (each naming file, row, column and value), or the rows a window needs. */
  reason: string;
}

/** The stocks of an EquiNet universe, with everything that was left out or changed on the way. */
export interface EquiNetUniverse {
  /** The stocks, in file-name order. */
  stocks: EquiNetStock[];
  /** The validated table of each stock (market columns as paired), in the order of `stocks`. */
  bars: DailyBars[];
  /** The folder read. */
  folder: string;
  /** The market index file, when the market columns were built from one. */
  marketIndex: string | undefined;
  /**
   * True when these are the data set equinet-319's stocks as the results store's units read them (no `folder`
   * nor `marketIndex` given, no file rejected or left out, no row dropped as a quirk): stored units apply.
   */
  reference: boolean;
  /** Stocks whose market rows were paired by date (with the calendar or the index), with the data layer's words. */
  realigned: { code: string; warning: string }[];
  /** Stock days left out because they have no market row (before the calendar starts, or not in the index). */
  droppedDays: number;
  /** Files that failed validation, with the data layer's reasons; left out. */
  rejected: UniverseExclusion[];
  /** Valid files too short for one window, with their row count; left out. */
  leftOut: UniverseExclusion[];
  /** Rows dropped as vendor quirks (`dropQuirkRows`), each with file, row, date and quirk. */
  quirkRows: QuirkRow[];
  /** Folder entries that are not data (licences, readmes, unknown extensions, hidden files), with the reason. */
  ignored: UniverseExclusion[];
  /**
   * The data layer's warnings about the stocks' files (rows with prices ≤ 0 dropped from adjusted TDX history,
   * suspended days, market columns paired by date...), one entry per file and warning.
   */
  warnings: { file: string; warning: string }[];
}

/** The data set the EquiNet notebooks default to. */
const EQUINET_DATASET = "equinet-319";

/**
 * Loads a folder of daily-bar files (default: EquiNet's 319 stock files, resolved by the data registry) as
 * sampler stocks, cached. Files that fail validation are listed in `rejected`, stocks too short for a window
 * in `leftOut`, and both are left out; nothing else is dropped except as listed (`quirkRows`, `droppedDays`).
 * Throws when stocks lack the market columns and no `marketIndex` is given (naming the files), when the
 * index file is invalid, or when no stock is left.
 *
 * @example
 * ```ts
 * import { loadEquiNetUniverse } from "./equinet_universe.ts";
 * const { stocks, rejected } = await loadEquiNetUniverse({
 *   folder: "../shared/data/tdx",
 *   marketIndex: "../shared/data/indices/000001_sse.csv",
 *   windows: { mode: "corrected", context: "random", minContextDays: 20, maxContextDays: 100 },
 * });
 * ```
 */
export async function loadEquiNetUniverse(args: LoadEquiNetUniverseArgs = {}): Promise<EquiNetUniverse> {
  const alignMarket = args.alignMarket ?? "position";
  const dropQuirkRows = args.dropQuirkRows ?? false;
  const windowArgs = resolveEquiNetWindowArgs(args.windows ?? {});
  const shortestWindow = windowArgs.context === "fixed" ? windowArgs.contextDays : windowArgs.minContextDays;
  const neededRows = shortestWindow + windowArgs.horizonDays;
  let folder = args.folder?.replace(/\/+$/, "");
  let reference = folder === undefined && args.marketIndex === undefined;
  if (folder === undefined) {
    const set = await resolveDataset(EQUINET_DATASET);
    folder = set.files[0].localPath.replace(/\/[^/]+$/, "");
  }
  const marketIndex = args.marketIndex === undefined
    ? undefined
    : await loadBars(args.marketIndex, { dropQuirkRows, minRows: 1, cache: true });
  // minRows 1: short stocks are judged against the windows below, after the market columns are paired.
  const loaded = await loadFolder(folder, {
    onError: "skip",
    cache: true,
    recursive: true,
    alignMarket,
    minRows: 1,
    // Forward-adjusted TDX history starts with prices ≤ 0, which no window can use: dropped, with a warning.
    dropNonPositivePrices: true,
    ...(dropQuirkRows ? { dropQuirkRows } : {}),
    ...(marketIndex ? { marketIndex } : {}),
  });
  const noMarket = [...loaded.tables].filter(([, bars]) => MARKET_COLUMNS.some((name) => !bars[name]));
  if (noMarket.length > 0) {
    const files = noMarket.slice(0, 20).map(([, bars]) => bars.meta.file);
    const more = noMarket.length > 20 ? ` and ${noMarket.length - 20} more` : "";
    throw new Error(
      `loadEquiNetUniverse: ${noMarket.length} of ${loaded.tables.size} files in ${folder} have no market ` +
        `columns (${MARKET_COLUMNS.join(", ")}): ${files.join(", ")}${more}. Give an index file whose bars ` +
        `build them by date: marketIndex (EQUILAB_MARKET_INDEX in the notebooks), e.g. ` +
        `../shared/data/indices/000001_sse.csv (the Shanghai Composite, as EquiNet's files)`,
    );
  }
  const rejected: UniverseExclusion[] = loaded.failed.map((report) => ({
    file: report.file,
    reason: report.errors.slice(0, 5).map((error) => error.message).join("; ") +
      (report.errors.length > 5 ? `; and ${report.errors.length - 5} more problems` : ""),
  }));
  const ignored: UniverseExclusion[] = loaded.ignored.map((report) => ({
    file: report.file,
    reason: report.warnings.join("; ").replace(/^ignored: /, ""),
  }));
  const validFiles = new Set(
    loaded.reports.filter((report) => report.ok && !report.skipped).map((r) => r.file),
  );
  const quirkRows = loaded.reports.filter((report) => validFiles.has(report.file))
    .flatMap((report) => report.quirkRows);
  if (quirkRows.length > 0) reference = false;
  const stocks: EquiNetStock[] = [];
  const bars: DailyBars[] = [];
  const leftOut: UniverseExclusion[] = [];
  for (const [code, table] of loaded.tables) {
    if (table.length < neededRows) {
      leftOut.push({
        file: table.meta.file,
        reason: `${table.length} rows${
          marketIndex || alignMarket === "date" ? " with a market row" : ""
        }; the shortest window needs ${neededRows} (${shortestWindow} days of context + the ${windowArgs.horizonDays}-day horizon)`,
      });
      continue;
    }
    stocks.push(equiNetStock(table.toData(), code));
    bars.push(table);
  }
  const stockFiles = new Set(bars.map((table) => table.meta.file));
  const realigned: EquiNetUniverse["realigned"] = [];
  let droppedDays = 0;
  // The loader's structured record of each re-pairing (alignMarket "date", or a market index).
  for (const report of loaded.reports.filter((report) => stockFiles.has(report.file))) {
    if (!report.marketPairing) continue;
    realigned.push({ code: report.code ?? report.file, warning: report.marketPairing.message });
    droppedDays += report.marketPairing.droppedRows;
  }
  const warnings = loaded.reports.filter((report) => stockFiles.has(report.file))
    .flatMap((report) => report.warnings.map((warning) => ({ file: report.file, warning })));
  if (stocks.length === 0) {
    throw new Error(
      `loadEquiNetUniverse: no stock left in ${folder}: ${rejected.length} files failed validation, ` +
        `${leftOut.length} are too short for a window, ${ignored.length} are not data` +
        (rejected[0]
          ? ` (first: ${rejected[0].reason})`
          : leftOut[0]
          ? ` (first: ${leftOut[0].file}: ${leftOut[0].reason})`
          : ""),
    );
  }
  if (rejected.length > 0 || leftOut.length > 0) reference = false;
  return {
    stocks,
    bars,
    folder,
    marketIndex: args.marketIndex,
    reference,
    realigned,
    droppedDays,
    rejected,
    leftOut,
    quirkRows,
    ignored,
    warnings,
  };
}
