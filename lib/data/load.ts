import { DailyBars } from "./bars.ts";
import { BarsCache } from "./cache.ts";
import { DataError, DataLoadError } from "./errors.ts";
import {
  alignMarketByDate,
  checkMarketAlignment,
  commonCalendar,
  MARKET_COLUMNS,
  marketFromIndex,
  misalignedMarketRows,
  sameMarketRows,
} from "./equinet.ts";
import {
  type FileResult,
  formatOfName,
  type LoadArgs,
  type MarketPairing,
  parseBytes,
  readFile,
  readSourceBytes,
} from "./_read.ts";

/** Files read ahead of parsing in a folder load. */
const READ_AHEAD = 8;
import { LoadPool } from "./_pool.ts";
import type { BarsFormat, QuirkRow } from "./types.ts";

export type { LoadArgs } from "./_read.ts";

/**
 * Options of {@link loadBars}: validation, limits, cache and EquiNet market alignment.
 *
 * @example
 * ```ts
 * import { type LoadBarsArgs, loadBars } from "./mod.ts";
 * const args: LoadBarsArgs = { minRows: 100, cache: true, dropNonPositivePrices: true };
 * const bars = await loadBars("SH#600016.txt", args);
 * ```
 */
export interface LoadBarsArgs extends LoadArgs {
  /**
   * Cache validated tables: a {@link BarsCache}, `true` for the project's `data/cache/bars`, or false.
   * Default false.
   */
  cache?: BarsCache | boolean;
  /**
   * EquiNet only: the dates of the market rows in row order (the common calendar: the dates of a stock
   * without suspensions). With it, files whose dates run off the calendar get a warning. Default: none for a
   * single file; {@link loadFolder} uses the folder's most common date sequence.
   */
  marketCalendar?: string[];
  /**
   * EquiNet only: "position" keeps the market columns as stored (as EquiNet trains on them); "date" re-pairs
   * each stock date with its own day's market row and drops stock rows before the calendar starts (with a
   * warning). Needs a calendar. Default "position".
   *
   * Porting note: EquiNet pairs the market rows with stock rows by position, so for its 34 suspended stocks a
   * stock day sees another day's market; "position" reproduces that, "date" is the corrected pairing.
   */
  alignMarket?: "position" | "date";
  /**
   * Index bars (e.g. the Shanghai Composite) to build EquiNet's market columns from, by date
   * (`marketvolume` = index volume, `marketlimit` = close/open - 1, `marketrange` = high - low), for every
   * file: EquiNet files get their stored columns replaced, other files (TDX, CSV, any xlsx) get them added.
   * Stock rows the index lacks are dropped, with a warning; so is any disagreement with the stored columns
   * on aligned days. Takes precedence over `alignMarket`. Default: none.
   */
  marketIndex?: DailyBars;
}

/**
 * Options of {@link loadFolder}.
 *
 * @example
 * ```ts
 * import { type LoadFolderArgs, loadFolder } from "./mod.ts";
 * const args: LoadFolderArgs = { onError: "skip", workers: 2, alignMarket: "date" };
 * const { tables } = await loadFolder("equinet/", args);
 * ```
 */
export interface LoadFolderArgs extends LoadBarsArgs {
  /**
   * "stop": throw a DataLoadError at the first invalid file in name order (in this thread, later files are not
   * read; on workers, files already dispatched finish first); "skip": list invalid files and go on.
   * Default "stop".
   */
  onError?: "stop" | "skip";
  /**
   * Worker threads for parsing (0 = in this thread). Default 0: on the shared 2-core dev machine two workers
   * were slower than one thread (tests/bench/data_load_bench.ts, load average ~5: 1.7 s vs 1.4 s for the
   * EquiNet folder); on an idle multi-core machine 2-4 workers pay off.
   */
  workers?: number;
  /**
   * Also read the files of subfolders, depth first in name order; their reports name them by their path
   * under `path`. Hidden subfolders and links to folders are listed as ignored (not followed). Default
   * false: subfolders are listed as ignored.
   */
  recursive?: boolean;
}

/**
 * The outcome for one file, as the CLI prints it.
 *
 * @example
 * ```ts
 * import { checkFile, type FileReport } from "./mod.ts";
 * const report: FileReport = await checkFile("prices.csv");
 * for (const error of report.errors) console.log(error.row, error.column, error.value, error.reason);
 * ```
 */
export interface FileReport {
  /** The file path. */
  file: string;
  /** The format read, or "not-data" for files a folder holds beside the data (LICENSE, README...). */
  format: BarsFormat | "not-data";
  /** True when the file is valid (or was skipped as not data). */
  ok: boolean;
  /** True for files not read because they are not data. */
  skipped: boolean;
  /** Data rows (of the table when valid, as read when invalid). */
  rows: number;
  /** First date, YYYY-MM-DD. */
  first: string | undefined;
  /** Last date, YYYY-MM-DD. */
  last: string | undefined;
  /** Security code when known. */
  code: string | undefined;
  /** Explained quirks that do not make the file invalid. */
  warnings: string[];
  /** Every problem found (up to maxErrors). */
  errors: DataError[];
  /** Rows dropped as vendor quirks (`dropQuirkRows`): file, row, date, quirk and cells of each. */
  quirkRows: QuirkRow[];
  /** How the market columns were paired by date, when they were (alignMarket "date", or a market index). */
  marketPairing?: MarketPairing;
}

/**
 * What {@link loadFolder} returns.
 *
 * @example
 * ```ts
 * import { type FolderResult, loadFolder } from "./mod.ts";
 * const result: FolderResult = await loadFolder("tdx/", { onError: "skip" });
 * console.log(result.tables.size, result.failed.map((report) => report.file));
 * ```
 */
export interface FolderResult {
  /** One table per code (keyed by file name instead where two files share a code). */
  tables: Map<string, DailyBars>;
  /** One report per folder entry, in name order (valid, invalid and ignored files). */
  reports: FileReport[];
  /** Reports of the invalid files ("skip" mode). */
  failed: FileReport[];
  /** Reports of files ignored as not data. */
  ignored: FileReport[];
}

/**
 * Loads one file of daily bars (EquiNet/any xlsx, TDX .txt, CSV or .csv.gz, decided by its name) and
 * validates every row. Throws a {@link DataLoadError} listing every problem when the file is invalid.
 *
 * @example
 * ```ts
 * import { loadBars } from "./mod.ts";
 * const bars = await loadBars("../shared/data/tdx/SZ#399006.txt", { dropNonPositivePrices: true });
 * console.log(bars.meta.name, bars.meta.adjustment, bars.length); // "创业板指" "forward" 1779
 * ```
 */
export async function loadBars(path: string, args: LoadBarsArgs = {}): Promise<DailyBars> {
  const result = await readWithCache(path, args);
  if (!result.ok || !result.data) throw new DataLoadError(path, result.errors);
  if (args.marketIndex !== undefined) applyIndex(result, args.marketIndex);
  else if (result.format === "equinet-xlsx") {
    if (args.marketCalendar !== undefined) applyCalendar(result, args.marketCalendar, undefined, args);
    else if (args.alignMarket === "date") {
      result.warnings.push(
        'alignMarket "date" needs marketCalendar or marketIndex for a single file (loadFolder finds the ' +
          "calendar itself); market columns left as stored",
      );
    }
  }
  return new DailyBars(result.data!, result.meta);
}

/**
 * Loads and validates bytes already in memory. `file` names them in messages and decides the format by its
 * extension (or pass `format`).
 *
 * @example
 * ```ts
 * import { parseBars } from "./mod.ts";
 * const text = "date,open,high,low,close,volume\n2024-01-02,10,11,9.5,10.5,1000\n";
 * const bars = await parseBars(new TextEncoder().encode(text), { file: "tiny.csv", minRows: 1 });
 * console.log(bars.close[0]); // 10.5
 * ```
 */
export async function parseBars(bytes: Uint8Array, args: LoadArgs & { file: string }): Promise<DailyBars> {
  const result = await parseBytes(bytes, args.file, args);
  if (!result.ok || !result.data) throw new DataLoadError(args.file, result.errors);
  return new DailyBars(result.data, result.meta);
}

/**
 * Checks one file without throwing for bad data: the report lists every problem.
 *
 * @example
 * ```ts
 * import { checkFile } from "./mod.ts";
 * const report = await checkFile("../shared/data/indices/399006_chinext_163_gbk.csv");
 * console.log(report.ok, report.rows, report.first, report.last);
 * ```
 */
export async function checkFile(path: string, args: LoadBarsArgs = {}): Promise<FileReport> {
  return toReport(await readWithCache(path, args));
}

/** Names a folder holds beside data that are not data (licences, readmes, notes). */
const NOT_DATA =
  /^(license|licence|copying|notice|readme|changelog|authors|manifest)(\b|[._-])|\.(md|markdown|rst|json|ya?ml|toml|html?|pdf|png|jpe?g|gif|svg|ipynb|py|js|ts|sh|tsv|sha256|lock)$/i;

/**
 * Loads every data file of a folder (and of its subfolders with `recursive`): one table per code plus a
 * per-file report. Files that are not data (LICENSE, README, *.md, ...) are listed as ignored, never as invalid. In "stop" mode the first
 * invalid file throws a {@link DataLoadError}; in "skip" mode invalid files are listed in `failed`.
 * For EquiNet folders the market columns are checked against the common calendar (see `alignMarket`).
 *
 * @example
 * ```ts
 * import { loadFolder } from "./mod.ts";
 * const { tables, failed } = await loadFolder("../shared/data/equinet", { onError: "skip", cache: true });
 * console.log(tables.size, failed.length); // 319 0
 * ```
 */
export async function loadFolder(path: string, args: LoadFolderArgs = {}): Promise<FolderResult> {
  const folder = path.replace(/\/+$/, "");
  const entries = await listFolder(folder, args.recursive ?? false);
  const reports: (FileReport | undefined)[] = new Array(entries.length);
  const ignored: FileReport[] = [];
  const toLoad: { index: number; file: string }[] = [];
  entries.forEach((entry, index) => {
    const file = entry.file;
    let reason = entry.ignoredBecause;
    if (reason !== undefined) {
      // A subfolder, a hidden folder or a link to a folder.
    } else if (entry.name.startsWith(".")) reason = "a hidden file";
    else if (NOT_DATA.test(entry.name)) reason = "not a data file (licence, readme or notes)";
    else if (args.format === undefined && formatOfName(entry.name) === undefined) {
      reason = "not a data file (unknown extension; expected .xlsx, .csv, .csv.gz or a TDX .txt)";
    }
    if (reason !== undefined) {
      const report: FileReport = {
        file,
        format: "not-data",
        ok: true,
        skipped: true,
        rows: 0,
        first: undefined,
        last: undefined,
        code: undefined,
        warnings: [`ignored: ${reason}`],
        errors: [],
        quirkRows: [],
      };
      reports[index] = report;
      ignored.push(report);
    } else toLoad.push({ index, file });
  });

  const results = await loadMany(toLoad.map((item) => item.file), args, folder);
  const onError = args.onError ?? "stop";
  if (onError === "stop") {
    const bad = results.find((result) => result !== undefined && !result.ok);
    if (bad) throw new DataLoadError(bad.file, bad.errors);
  }
  checkEquinetFolder(results, args);

  const tables = new Map<string, DailyBars>();
  const byCode = new Map<string, FileResult[]>();
  for (const result of results) {
    if (!result.ok) continue;
    const key = result.code ?? stem(result.file, folder);
    byCode.set(key, [...(byCode.get(key) ?? []), result]);
  }
  for (const [code, group] of byCode) {
    for (const result of group) {
      let key = code;
      if (group.length > 1) {
        key = stem(result.file, folder);
        const others = group.filter((other) => other !== result).map((other) => stem(other.file, folder))
          .join(", ");
        result.warnings.push(
          `code ${code} is also in ${others}; this table is keyed by its file name "${key}"`,
        );
      }
      tables.set(key, new DailyBars(result.data!, result.meta));
    }
  }
  const failed: FileReport[] = [];
  results.forEach((result, k) => {
    const report = toReport(result);
    reports[toLoad[k].index] = report;
    if (!report.ok) failed.push(report);
  });
  return { tables, reports: reports as FileReport[], failed, ignored };
}

/**
 * Loads files (cache first, then workers or this thread), results in input order. With a cache, a folder's
 * entries are also kept in one pack file: a warm load is one read plus a stat per source.
 */
async function loadMany(files: string[], args: LoadFolderArgs, folder: string): Promise<FileResult[]> {
  const cache = cacheOf(args);
  const key = optionsKey(args);
  const results: (FileResult | undefined)[] = new Array(files.length).fill(undefined);
  const entries: (Uint8Array | undefined)[] = new Array(files.length).fill(undefined);
  let packStale = false;
  if (cache) {
    const [pack, infos] = await Promise.all([
      cache.getPack(folder, key),
      // Perf: synchronous stats (~10 µs each) beat 300 async round trips on a busy machine.
      files.map((file) => {
        try {
          return Deno.statSync(file);
        } catch {
          return undefined;
        }
      }),
    ]);
    if (pack.size !== files.length) packStale = true;
    await Promise.all(files.map(async (file, i) => {
      const packed = pack.get(file.slice(folder.length + 1));
      const info = infos[i];
      const fromPack = packed && info ? cache.fromPackedEntry(packed, file, info) : undefined;
      if (fromPack) {
        results[i] = fromPack;
        entries[i] = packed;
        return;
      }
      packStale = true;
      const hit = await cache.getEntry(file, key);
      if (hit) {
        results[i] = hit.result;
        entries[i] = hit.bytes;
      }
    }));
  }
  const misses = results.map((result, i) => result === undefined ? i : -1).filter((i) => i >= 0);
  const workerCount = Math.max(0, Math.floor(args.workers ?? 0));
  const loadArgs = plainLoadArgs(args);
  if (workerCount > 0 && misses.length > 0) {
    const pool = new LoadPool(workerCount);
    try {
      const loaded = await Promise.all(misses.map((i) => pool.load(files[i], loadArgs)));
      misses.forEach((i, k) => results[i] = loaded[k]);
    } finally {
      pool.close();
    }
  } else {
    // "stop" mode reads in name order and stops at the first invalid file. Reads run a few files ahead of
    // parsing. Perf: awaiting each read in turn left the thread idle ~25% of a folder load.
    const stop = (args.onError ?? "stop") === "stop";
    const ahead = new Map<number, Promise<Uint8Array | FileResult>>();
    let next = 0;
    const fill = () => {
      while (next < misses.length && ahead.size < READ_AHEAD) {
        ahead.set(next, readSourceBytes(files[misses[next]], loadArgs));
        next++;
      }
    };
    for (let k = 0; k < misses.length; k++) {
      fill();
      const bytes = await ahead.get(k)!;
      ahead.delete(k);
      fill();
      const i = misses[k];
      results[i] = bytes instanceof Uint8Array ? await parseBytes(bytes, files[i], loadArgs) : bytes;
      if (stop && !results[i]!.ok) {
        await Promise.allSettled(ahead.values());
        return results as FileResult[];
      }
    }
  }
  if (cache) {
    await Promise.all(misses.map(async (i) => entries[i] = await cache.set(files[i], key, results[i]!)));
    if (packStale || misses.length > 0) {
      const pack = new Map<string, Uint8Array>();
      files.forEach((file, i) => {
        if (entries[i]) pack.set(file.slice(folder.length + 1), entries[i]!);
      });
      await cache.setPack(folder, key, pack);
    }
  }
  return results as FileResult[];
}

async function readWithCache(path: string, args: LoadBarsArgs): Promise<FileResult> {
  const cache = cacheOf(args);
  const key = optionsKey(args);
  if (cache) {
    const hit = await cache.get(path, key);
    if (hit) return hit;
  }
  const result = await readFile(path, plainLoadArgs(args));
  if (cache && result.ok) await cache.set(path, key, result);
  return result;
}

function cacheOf(args: LoadBarsArgs): BarsCache | undefined {
  if (args.cache === true) return new BarsCache();
  return args.cache instanceof BarsCache ? args.cache : undefined;
}

/** The options that shape a valid result (the cache key). */
function optionsKey(args: LoadArgs): string {
  const { format, minRows, maxRows, priceTolerance, dropNonPositivePrices, dropInconsistentIndexBars } = args;
  const { maxFileBytes, maxUnpackedBytes, dropQuirkRows } = args;
  return JSON.stringify({
    format,
    minRows,
    maxRows,
    priceTolerance,
    dropNonPositivePrices,
    dropInconsistentIndexBars,
    maxFileBytes,
    maxUnpackedBytes,
    // Absent when false, so that entries cached before the option existed stay valid.
    ...(dropQuirkRows ? { dropQuirkRows } : {}),
  });
}

/** LoadArgs without the fields that cannot cross to a worker. */
function plainLoadArgs(args: LoadFolderArgs): LoadArgs {
  const {
    cache: _cache,
    marketCalendar: _calendar,
    alignMarket: _align,
    marketIndex: _index,
    onError: _onError,
    workers: _workers,
    recursive: _recursive,
    ...rest
  } = args;
  return rest;
}

/** A file's name without its data extension; with `folder`, its path under the folder (subfolders kept apart). */
function stem(file: string, folder?: string): string {
  const name = folder !== undefined && file.startsWith(`${folder}/`)
    ? file.slice(folder.length + 1)
    : file.replace(/^.*\//, "");
  return name.replace(/\.(csv\.gz|csv|xlsx|txt)$/i, "");
}

/** One entry of a folder listing: a file to consider, or a folder entry ignored with its reason. */
interface FolderEntry {
  /** The path (folder + path under it). */
  file: string;
  /** The entry's own name. */
  name: string;
  /** Why the entry is not read (subfolders without `recursive`, hidden folders, links to folders). */
  ignoredBecause?: string;
}

/** A folder's entries in name order, subfolders walked depth first in place when `recursive`. */
async function listFolder(folder: string, recursive: boolean): Promise<FolderEntry[]> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(folder)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const listed: FolderEntry[] = [];
  for (const entry of entries) {
    const file = `${folder}/${entry.name}`;
    let isFolder = entry.isDirectory;
    if (entry.isSymlink) {
      try {
        isFolder = Deno.statSync(file).isDirectory;
      } catch {
        isFolder = false; // a dangling link: reading it reports the problem
      }
      if (isFolder) {
        listed.push({
          file,
          name: entry.name,
          ignoredBecause: "a link to a folder (links to folders are not followed)",
        });
        continue;
      }
    }
    if (!isFolder) listed.push({ file, name: entry.name });
    else if (!recursive) {
      listed.push({
        file,
        name: entry.name,
        ignoredBecause: "a subfolder (folders are not read recursively; pass recursive to read them)",
      });
    } else if (entry.name.startsWith(".")) {
      listed.push({ file, name: entry.name, ignoredBecause: "a hidden folder" });
    } else listed.push(...await listFolder(file, true));
  }
  return listed;
}

function toReport(result: FileResult): FileReport {
  return {
    file: result.file,
    format: result.format,
    ok: result.ok,
    skipped: false,
    rows: result.rows,
    first: result.first,
    last: result.last,
    code: result.code,
    warnings: result.warnings,
    errors: result.errors,
    quirkRows: result.meta.quirkRows ?? [],
    ...(result.marketPairing ? { marketPairing: result.marketPairing } : {}),
  };
}

/** EquiNet folders: find the common calendar and flag (or realign) files whose market rows sit off their dates. */
function checkEquinetFolder(results: FileResult[], args: LoadBarsArgs): void {
  if (args.marketIndex !== undefined) {
    for (const result of results) if (result.ok) applyIndex(result, args.marketIndex);
    return;
  }
  const equinet = results.filter((result) =>
    result.ok && result.format === "equinet-xlsx" &&
    MARKET_COLUMNS.every((name) => result.data!.optional[name])
  );
  if (equinet.length === 0) return;
  const calendar = args.marketCalendar ?? commonCalendar(equinet.map((result) => result.data!.dates));
  if (calendar === undefined) return;
  const reference = equinet.find((result) => checkMarketAlignment(result.data!.dates, calendar).aligned);
  for (const result of equinet) applyCalendar(result, calendar, reference, args);
}

/** Warns about (and with alignMarket "date", fixes) one EquiNet file's market rows against the calendar. */
function applyCalendar(
  result: FileResult,
  calendar: string[],
  reference: FileResult | undefined,
  args: LoadBarsArgs,
) {
  const data = result.data!;
  const found = checkMarketAlignment(data.dates, calendar);
  // The record: by content against an aligned file when there is one (any length, any pairing), else by position.
  result.meta.marketCheck = {
    calendar: `${calendar[0]}..${calendar[calendar.length - 1]}`,
    misalignedRows: reference === undefined
      ? found.misalignedRows
      : misalignedMarketRows(data, reference.data!),
  };
  if (found.aligned) return;
  const shared = reference === undefined || sameMarketRows(data, reference.data!);
  const i = found.firstMisaligned;
  const pairing =
    `${found.misalignedRows} of ${data.dates.length} rows pair the stock's date with another day's ` +
    `market row (first: stock ${data.dates[i]} beside the market row of ${calendar[i] ?? "no calendar day"})`;
  if (!shared) {
    result.warnings.push(
      `dates differ from the common calendar ${calendar[0]}..${
        calendar[calendar.length - 1]
      } and the market ` +
        `columns are not the shared rows, so their pairing cannot be checked`,
    );
    return;
  }
  if (args.alignMarket === "date") {
    const { data: aligned, dropped } = alignMarketByDate(data, calendar);
    result.data = aligned;
    result.rows = aligned.dates.length;
    result.first = aligned.dates[0];
    result.last = aligned.dates[aligned.dates.length - 1];
    const message =
      `market columns realigned by date (alignMarket "date"): ${pairing}; dropped ${dropped} rows ` +
      `before ${calendar[0]} that have no market row`;
    result.warnings.push(message);
    result.marketPairing = {
      by: "calendar",
      source: `${calendar[0]}..${calendar[calendar.length - 1]}`,
      droppedRows: dropped,
      changedRows: found.misalignedRows,
      message,
    };
  } else {
    result.warnings.push(
      `market columns (marketvolume, marketlimit, marketrange) follow the common calendar ${calendar[0]}..` +
        `${
          calendar[calendar.length - 1]
        } by row position, not this stock's dates (suspensions): ${pairing}; ` +
        `pass alignMarket: "date" to re-pair them`,
    );
  }
}

/** Builds (or rebuilds, for EquiNet files) one file's market columns from index bars, saying what changed. */
function applyIndex(result: FileResult, index: DailyBars): void {
  const before = result.data!;
  const { data, dropped } = marketFromIndex(before, index.toData());
  // Compare the stored marketlimit of each kept stock row with the index's value for that row's date: they
  // differ where the stored rows were paired by position (suspensions) or come from another index.
  const storedLimit = before.optional.marketlimit;
  const position = new Map(before.dates.map((date, i) => [date, i]));
  const compared = data.dates.length;
  let disagreements = 0;
  if (storedLimit !== undefined) {
    data.dates.forEach((date: string, k: number) => {
      if (Math.abs(storedLimit[position.get(date)!] - data.optional.marketlimit![k]) > 1e-4) disagreements++;
    });
  }
  result.data = data;
  result.rows = data.dates.length;
  result.first = data.dates[0];
  result.last = data.dates[data.dates.length - 1];
  const message =
    `market columns ${storedLimit === undefined ? "built" : "rebuilt"} by date from the index ${
      index.meta.code ?? index.meta.file
    }` +
    (dropped > 0 ? `; dropped ${dropped} rows whose date the index lacks` : "") +
    (disagreements > 0 ? `; the stored marketlimit differed on ${disagreements} of ${compared} days` : "");
  result.warnings.push(message);
  result.marketPairing = {
    by: "index",
    source: index.meta.code ?? index.meta.file,
    droppedRows: dropped,
    changedRows: disagreements,
    message,
  };
}
