import { DataError } from "./errors.ts";
import {
  CellProblem,
  cellText,
  isBlankCell,
  parseDateCell,
  parseNumberCell,
  type RawCell,
} from "./_parse.ts";
import {
  type BarsFormat,
  type BarsMetadata,
  type DailyBarsData,
  OPTIONAL_COLUMNS,
  type OptionalColumn,
  PRICE_VOLUME_COLUMNS,
  QUIRK_KINDS,
  QUIRK_PRICE_SHARE,
  type QuirkKind,
  type QuirkRow,
  type VolumeUnit,
} from "./types.ts";

/**
 * Validation options shared by every loader.
 *
 * @example
 * ```ts
 * import { loadBars, type ValidateArgs } from "./mod.ts";
 * const strict: ValidateArgs = { minRows: 250, priceTolerance: 0, maxErrors: 20 };
 * const bars = await loadBars("prices.csv", strict);
 * ```
 */
export interface ValidateArgs {
  /** Fewest data rows a valid file has. Default 61 (EquiNet needs more than 60 days). */
  minRows?: number;
  /** Most data rows a file may have. Default 100,000 (about 400 years of trading days). */
  maxRows?: number;
  /** Stop collecting a file's errors after this many (a final entry counts the rest). Default 100. */
  maxErrors?: number;
  /**
   * Rounding tolerance for `high ≥ max(open, close)` and `low ≤ min(open, close)`, in price units, on top of a
   * relative 1e-6 of the price. Default 0.005 (half a fen: quotes are rounded to 0.01).
   */
  priceTolerance?: number;
  /**
   * Drop rows with prices ≤ 0 where the file allows them (forward/back-adjusted TDX history), with a
   * warning counting them. Default false: such rows are kept, with a warning. Never applies to files whose
   * prices must be positive (those rows are errors).
   */
  dropNonPositivePrices?: boolean;
  /**
   * Index bars only: drop rows whose high/low contradict open/close, with a warning listing them. Default
   * false: such rows are kept with that warning. (Index high/low come from separate intraday snapshots, and
   * early exchange data has real contradictions, e.g. TDX's SSE Composite in the 1990s; for stocks they are
   * errors.)
   */
  dropInconsistentIndexBars?: boolean;
  /**
   * Drop the rows of three known vendor quirks instead of rejecting the file, and list each one (file, row,
   * date, quirk, cells) in the metadata's `quirkRows` with a warning counting them:
   * - `"blank-row"`: every number cell of a row with a valid date is blank or a missing-value marker
   *   (`null`, `NaN`, `-`, ...): Yahoo's rows for holidays;
   * - `"blank-volume"`: the volume cell (with the amount cell, when the file has one, blank or not) is blank
   *   on a row whose prices are valid numbers: BaoStock's lone blank volume on a trading day;
   * - `"price-off-by-a-hair"` (stocks; index bars have `dropInconsistentIndexBars`): low above
   *   min(open, close), or high below max(open, close), beyond `priceTolerance` but by at most
   *   {@link QUIRK_PRICE_SHARE} (0.5%) of that price: adjusted series whose factor rounds them apart.
   *
   * Anything else wrong in a row (a word where a number belongs, a bigger contradiction, high below low) stays
   * an error. Default false: these rows are errors too, and the file is invalid.
   */
  dropQuirkRows?: boolean;
}

/** A file's content before validation, as a format reader hands it over. Internal to lib/data. */
export interface RawTable {
  file: string;
  format: BarsFormat;
  /** Header texts as in the file. */
  headers: string[];
  /** Data rows, cells by header position. */
  rows: RawCell[][];
  /** 1-based spreadsheet row of each data row (header counted). */
  rowNumbers: number[];
  /** Problems the reader already found (ragged rows, encoding...). */
  errors: DataError[];
  /** Rows (indices into `rows`) the reader found broken; their cells are not checked again. */
  brokenRows?: Set<number>;
  /** Name cells A1-style in messages (spreadsheets). */
  cellReferences?: (rowIndex: number, columnIndex: number) => string;
  /** Prices ≤ 0 are legitimate here (adjusted TDX history). */
  nonPositivePricesAllowed?: boolean;
  meta: Partial<BarsMetadata> & { warnings: string[] };
}

/** What validation produced: the table's data when valid, and always the metadata, errors and extent. */
export interface BuildResult {
  data: DailyBarsData | undefined;
  meta: BarsMetadata;
  errors: DataError[];
  /** Data rows in the returned table (or read from the file, when invalid). */
  rows: number;
  first: string | undefined;
  last: string | undefined;
}

type Canonical = "date" | "open" | "high" | "low" | "close" | "volume" | OptionalColumn | "code" | "name";

const ALIASES: Record<Canonical, string[]> = {
  date: ["date", "time", "datetime", "tradedate", "日期", "交易日期", "时间"],
  open: ["open", "start", "开盘", "开盘价", "今开"],
  high: ["high", "max", "最高", "最高价"],
  low: ["low", "min", "最低", "最低价"],
  close: ["close", "end", "收盘", "收盘价"],
  volume: ["volume", "vol", "成交量"],
  amount: ["amount", "成交额", "成交金额"],
  adjClose: ["adjclose"],
  marketvolume: ["marketvolume"],
  marketlimit: ["marketlimit"],
  marketrange: ["marketrange"],
  code: ["code", "tscode", "symbol", "代码", "股票代码", "证券代码", "指数代码"],
  name: ["name", "名称", "股票名称", "证券简称", "简称", "指数名称"],
};
const BY_ALIAS = new Map<string, Canonical>();
for (const [canonical, aliases] of Object.entries(ALIASES)) {
  for (const alias of aliases) BY_ALIAS.set(alias, canonical as Canonical);
}

/** Lower-cases, drops spaces/underscores/BOM and a trailing "(unit)"; returns the key and the unit. */
function headerKey(header: string): { key: string; unit: string | undefined } {
  let text = header.replace(/^\uFEFF/, "").trim();
  let unit: string | undefined;
  const match = /^(.*?)[(（]([^)）]*)[)）]$/.exec(text);
  if (match) {
    text = match[1];
    unit = match[2].trim();
  }
  return { key: text.toLowerCase().replace(/[\s_]+/g, ""), unit };
}

function volumeUnitOf(unit: string | undefined): VolumeUnit | undefined {
  if (unit === undefined) return undefined;
  if (unit === "股" || /^shares?$/i.test(unit)) return "shares";
  if (unit === "手" || /^lots?$/i.test(unit)) return "lots";
  return undefined;
}

const DEFAULTS: Required<ValidateArgs> = {
  minRows: 61,
  maxRows: 100_000,
  maxErrors: 100,
  priceTolerance: 0.005,
  dropNonPositivePrices: false,
  dropInconsistentIndexBars: false,
  dropQuirkRows: false,
};

const dateMemo = new Map<string, string | CellProblem>();

const compactMemo = new Map<number, string | CellProblem>();

/**
 * parseDateCell with a memo for text dates (the same trading days recur across files). Perf: the common
 * shapes " 2023/06/26" and "2023-06-26" are keyed by the integer 20230626 read from character codes, which is
 * ~5x cheaper than hashing the string; everything else goes through the string memo.
 */
function parseDateCached(cell: RawCell): string | CellProblem {
  if (typeof cell !== "string") return parseDateCell(cell);
  let start = 0;
  let end = cell.length;
  while (start < end && cell.charCodeAt(start) === 32) start++;
  while (end > start && cell.charCodeAt(end - 1) === 32) end--;
  if (end - start === 10) {
    const s1 = cell.charCodeAt(start + 4), s2 = cell.charCodeAt(start + 7);
    if ((s1 === 45 || s1 === 47) && s2 === s1) {
      let key = 0;
      let digits = true;
      for (const offset of [0, 1, 2, 3, 5, 6, 8, 9]) {
        const c = cell.charCodeAt(start + offset) - 48;
        if (c < 0 || c > 9) {
          digits = false;
          break;
        }
        key = key * 10 + c;
      }
      if (digits) {
        let parsed = compactMemo.get(key);
        if (parsed === undefined) {
          parsed = parseDateCell(cell);
          if (compactMemo.size > 100_000) compactMemo.clear();
          compactMemo.set(key, parsed);
        }
        return parsed;
      }
    }
  }
  let parsed = dateMemo.get(cell);
  if (parsed === undefined) {
    parsed = parseDateCell(cell);
    if (dateMemo.size > 100_000) dateMemo.clear();
    dateMemo.set(cell, parsed);
  }
  return parsed;
}

/** Whether a security is an index (by name or code), a stock, or unknown. */
export function instrumentOf(
  meta: { code?: string; exchange?: string; name?: string },
): "index" | "stock" | "unknown" {
  const { code, exchange, name } = meta;
  if (name !== undefined && /指|index/i.test(name)) return "index";
  if (code === undefined || !/^\d{6}$/.test(code)) return "unknown";
  if (code.startsWith("399")) return "index";
  if (code.startsWith("000")) {
    // 000xxx is an index in Shanghai (000001 SSE Composite, 000300 CSI 300) but a stock in Shenzhen.
    return exchange === "SH" ? "index" : exchange === "SZ" ? "stock" : "unknown";
  }
  return "stock";
}

/**
 * The quirk a row's failing number cells make, or undefined when they are plain errors: every kept cell
 * blank ("blank-row"), or only the volume (and amount) blank ("blank-volume").
 */
function cellQuirk(
  problems: { name: Canonical; blank: boolean }[],
  keptCount: number,
): QuirkKind | undefined {
  if (!problems.every((problem) => problem.blank)) return undefined;
  if (problems.length === keptCount) return "blank-row";
  const names = problems.map((problem) => problem.name);
  if (names.includes("volume") && names.every((name) => name === "volume" || name === "amount")) {
    return "blank-volume";
  }
  return undefined;
}

/**
 * Validates a raw table and turns it into typed columns, oldest first. Collects every problem (up to
 * `maxErrors`) instead of stopping at the first; nothing is dropped or repaired silently.
 */
export function buildBars(raw: RawTable, args: ValidateArgs = {}): BuildResult {
  const options = { ...DEFAULTS, ...args };
  const problems = new Problems(raw.file, options.maxErrors, raw.errors);
  const layout = mapColumns(raw, problems);
  const { meta } = layout;
  if (layout.missing) return problems.result(undefined, meta, 0, undefined, undefined);
  const cells = parseCells(raw, layout, problems, options.dropQuirkRows);
  if (checkDateOrder(raw, layout.columns, cells, problems)) meta.order = "newest-first";
  const flagged = checkPrices(raw, layout, cells, problems, options);
  const quirkRows = listQuirkRows(raw, cells);
  if (quirkRows.length > 0) meta.quirkRows = quirkRows;
  const dataRows = checkExtent(raw, problems, options);
  if (problems.any) {
    const valid = cells.dates.filter((date): date is string => date !== undefined).sort();
    return problems.result(undefined, meta, dataRows, valid[0], valid[valid.length - 1]);
  }
  const data = assemble(raw, meta, cells, flagged, quirkRows, options);
  const rows = data.dates.length;
  if (rows < options.minRows) {
    problems.report(
      null,
      null,
      String(rows),
      `only ${rows} rows are left after dropping; at least ${options.minRows} are required`,
    );
    return problems.result(undefined, meta, rows, data.dates[0], data.dates[rows - 1]);
  }
  return problems.result(data, meta, rows, data.dates[0], data.dates[rows - 1]);
}

/** The problems of one file: at most `maxErrors` listed, the rest counted. */
class Problems {
  readonly errors: DataError[];
  #overflow: number;

  constructor(readonly file: string, readonly maxErrors: number, earlier: readonly DataError[]) {
    this.errors = earlier.slice(0, maxErrors);
    this.#overflow = earlier.length - this.errors.length;
  }

  report(row: number | null, column: string | null, value: string | null, message: string): void {
    if (this.errors.length >= this.maxErrors) this.#overflow++;
    else this.errors.push(new DataError({ file: this.file, row, column, value, message }));
  }

  /** Whether any problem was found. */
  get any(): boolean {
    return this.errors.length > 0 || this.#overflow > 0;
  }

  result(
    data: DailyBarsData | undefined,
    meta: BarsMetadata,
    rows: number,
    first: string | undefined,
    last: string | undefined,
  ): BuildResult {
    if (this.#overflow > 0) {
      this.errors.push(
        new DataError({
          file: this.file,
          message: `${this.#overflow} more problems not listed (maxErrors ${this.maxErrors})`,
        }),
      );
    }
    return { data, meta, errors: this.errors, rows, first, last };
  }
}

/** Where each canonical column is, the metadata, and whether a required column is missing. */
interface ColumnLayout {
  index: Map<Canonical, number>;
  /** The file's header of each canonical column. */
  columns: Record<string, string>;
  meta: BarsMetadata;
  missing: boolean;
}

/** Stage 1: headers → canonical columns (aliases, units), the metadata; reports duplicates and missing columns. */
function mapColumns(raw: RawTable, problems: Problems): ColumnLayout {
  const index = new Map<Canonical, number>();
  const ignoredColumns: string[] = [];
  let volumeUnit: VolumeUnit | undefined = raw.meta.volumeUnit;
  raw.headers.forEach((header, position) => {
    const { key, unit } = headerKey(header);
    const canonical = BY_ALIAS.get(key);
    if (canonical === undefined) {
      ignoredColumns.push(header.trim() === "" ? `(unnamed column ${position + 1})` : header.trim());
      return;
    }
    const previous = index.get(canonical);
    if (previous !== undefined) {
      problems.report(
        null,
        header.trim(),
        null,
        `two columns mean "${canonical}": "${raw.headers[previous].trim()}" and "${header.trim()}"`,
      );
      return;
    }
    index.set(canonical, position);
    if (canonical === "volume") volumeUnit = volumeUnitOf(unit) ?? volumeUnit;
  });
  const columns: Record<string, string> = {};
  for (const [canonical, position] of index) columns[canonical] = raw.headers[position].trim();
  const meta: BarsMetadata = {
    file: raw.file,
    format: raw.format,
    code: raw.meta.code,
    exchange: raw.meta.exchange,
    name: raw.meta.name,
    instrument: instrumentOf(raw.meta),
    adjustment: raw.meta.adjustment ?? "unknown",
    volumeUnit: volumeUnit ?? "unknown",
    encoding: raw.meta.encoding ?? "utf-8",
    order: "oldest-first",
    columns,
    ignoredColumns,
    warnings: raw.meta.warnings,
  };
  // Absent means absent: no `undefined` keys, so fresh, cached and worker results compare equal.
  for (const key of ["code", "exchange", "name"] as const) if (meta[key] === undefined) delete meta[key];
  const missing = (["date", ...PRICE_VOLUME_COLUMNS] as Canonical[]).filter((name) => !index.has(name));
  if (missing.length > 0) {
    const found = raw.headers.map((header) => JSON.stringify(header.trim())).join(", ");
    for (const name of missing) {
      problems.report(
        null,
        null,
        null,
        `missing required column "${name}" (accepted names: ${
          ALIASES[name].join(", ")
        }); the header has ${found}`,
      );
    }
  }
  return { index, columns, meta, missing: missing.length > 0 };
}

/** The parsed cells, row by row (raw order). */
interface ParsedCells {
  dates: (string | undefined)[];
  /** 1 where every cell of the row parsed (and, after the date check, its date is not a duplicate). */
  rowOk: Uint8Array;
  values: Map<Canonical, Float64Array>;
  /** Vendor quirk of each row (index into QUIRK_KINDS + 1; 0 = none), with its detail. */
  quirkOf: Uint8Array;
  quirkDetail: string[];
}

/** Stage 2: every cell parsed (dates, numbers); problems reported, or held as vendor quirks (`dropQuirkRows`). */
function parseCells(raw: RawTable, layout: ColumnLayout, problems: Problems, quirks: boolean): ParsedCells {
  const { index, columns } = layout;
  const rows = raw.rows;
  const n = rows.length;
  const kept: { name: Canonical; position: number; percent: boolean; target: Float64Array }[] = [];
  const values = new Map<Canonical, Float64Array>();
  for (const name of [...PRICE_VOLUME_COLUMNS, ...OPTIONAL_COLUMNS] as Canonical[]) {
    const position = index.get(name);
    if (position === undefined) continue;
    const target = new Float64Array(n);
    values.set(name, target);
    kept.push({ name, position, percent: name === "marketlimit", target });
  }
  const dates: (string | undefined)[] = new Array(n);
  const rowOk = new Uint8Array(n);
  const datePosition = index.get("date")!;
  const where = (i: number, position: number) =>
    raw.cellReferences ? ` (cell ${raw.cellReferences(i, position)})` : "";
  const broken = raw.brokenRows;
  const keptCount = kept.length;
  const quirkOf = new Uint8Array(n);
  const quirkDetail: string[] = [];
  // Perf: the hot loop of every loader (1.2M cells for the EquiNet set); numbers pass parseNumberCell's
  // first branch, dates hit parseDateCached's memo.
  for (let i = 0; i < n; i++) {
    if (broken !== undefined && broken.has(i)) continue;
    const row = rows[i];
    let ok = true;
    const dateCell = row[datePosition];
    const date = parseDateCached(dateCell);
    if (date instanceof CellProblem) {
      problems.report(
        raw.rowNumbers[i],
        columns.date,
        cellText(dateCell),
        `date ${date.reason}${where(i, datePosition)}`,
      );
      ok = false;
    } else dates[i] = date;
    // Cell problems of this row, held back while quirks are dropped (the row may be one).
    let pending: { k: number; cell: RawCell; reason: string }[] | undefined;
    for (let k = 0; k < keptCount; k++) {
      const column = kept[k];
      const cell = row[column.position];
      if (typeof cell === "number" && Number.isFinite(cell)) {
        column.target[i] = cell;
        continue;
      }
      const value = parseNumberCell(cell, column.percent);
      if (value instanceof CellProblem) {
        if (quirks) (pending ??= []).push({ k, cell, reason: value.reason });
        else {
          problems.report(
            raw.rowNumbers[i],
            columns[column.name],
            cellText(cell),
            `${column.name} ${value.reason}${where(i, column.position)}`,
          );
        }
        ok = false;
      } else column.target[i] = value;
    }
    if (pending !== undefined) {
      const quirk = dates[i] === undefined ? undefined : cellQuirk(
        pending.map((problem) => ({
          name: kept[problem.k].name,
          blank: isBlankCell(problem.cell),
        })),
        keptCount,
      );
      if (quirk !== undefined) {
        quirkOf[i] = QUIRK_KINDS.indexOf(quirk) + 1;
        quirkDetail[i] = pending.map((problem) =>
          `${kept[problem.k].name} ${JSON.stringify(cellText(problem.cell))}`
        ).join(", ");
        // A blank volume leaves the prices to check: the row stays in the price checks below.
        if (quirk === "blank-volume") ok = true;
      } else {
        for (const problem of pending) {
          const column = kept[problem.k];
          problems.report(
            raw.rowNumbers[i],
            columns[column.name],
            cellText(problem.cell),
            `${column.name} ${problem.reason}${where(i, column.position)}`,
          );
        }
      }
    }
    if (ok) rowOk[i] = 1;
  }
  return { dates, rowOk, values, quirkOf, quirkDetail };
}

/**
 * Stage 3: dates strictly monotone, oldest-first or newest-first (the majority of steps decides);
 * duplicates and out-of-order dates reported. Returns true for a newest-first file.
 */
function checkDateOrder(
  raw: RawTable,
  columns: Record<string, string>,
  cells: ParsedCells,
  problems: Problems,
): boolean {
  const { dates, rowOk } = cells;
  const n = dates.length;
  let ascending = 0;
  let descending = 0;
  let previous = -1;
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const date = dates[i];
    if (date === undefined) continue;
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      problems.report(
        raw.rowNumbers[i],
        columns.date,
        date,
        `duplicate date (also on row ${raw.rowNumbers[earlier]})`,
      );
      rowOk[i] = 0;
    } else seen.set(date, i);
    if (previous >= 0) {
      const before = dates[previous]!;
      if (date > before) ascending++;
      else if (date < before) descending++;
    }
    previous = i;
  }
  const newestFirst = descending > ascending;
  if (ascending > 0 && descending > 0) {
    previous = -1;
    for (let i = 0; i < n; i++) {
      const date = dates[i];
      if (date === undefined) continue;
      if (previous >= 0) {
        const before = dates[previous]!;
        if (newestFirst ? date > before : date < before) {
          problems.report(
            raw.rowNumbers[i],
            columns.date,
            date,
            `dates are out of order: ${date} comes after ${before} (row ${
              raw.rowNumbers[previous]
            }) in a file sorted ${newestFirst ? "newest" : "oldest"} first`,
          );
        }
      }
      previous = i;
    }
  }
  return newestFirst;
}

/** Rows the price checks leave to the options: prices ≤ 0 where allowed, contradicting index bars. */
interface FlaggedRows {
  nonPositiveRows: number[];
  inconsistentRows: number[];
}

/**
 * Stage 4: high ≥ low, high and low around open and close (within `priceTolerance`), volume and amount
 * not negative, prices > 0. A high or low off by a hair is a quirk under `dropQuirkRows`; index bars and
 * allowed non-positive prices are flagged for the options to decide.
 */
function checkPrices(
  raw: RawTable,
  layout: ColumnLayout,
  cells: ParsedCells,
  problems: Problems,
  options: Required<ValidateArgs>,
): FlaggedRows {
  const { columns, meta } = layout;
  const { values, rowOk, quirkOf, quirkDetail } = cells;
  const n = rowOk.length;
  const open = values.get("open")!, high = values.get("high")!, low = values.get("low")!;
  const close = values.get("close")!, volume = values.get("volume")!;
  const amount = values.get("amount");
  const tolerance = options.priceTolerance;
  const quirks = options.dropQuirkRows;
  const nonPositiveRows: number[] = [];
  const inconsistentRows: number[] = [];
  const isIndex = meta.instrument === "index";
  for (let i = 0; i < n; i++) {
    if (!rowOk[i]) continue;
    const rowNumber = raw.rowNumbers[i];
    const o = open[i], h = high[i], l = low[i], c = close[i];
    const slack = tolerance + 1e-6 * Math.max(Math.abs(h), Math.abs(l));
    let problem: [string, number, string] | undefined;
    // The share of the contradicted price by which high or low misses it ("price-off-by-a-hair").
    let missShare = Infinity;
    if (h < l) problem = [columns.high, h, `high ${h} is below low ${l} (${columns.low})`];
    else if (h + slack < Math.max(o, c)) {
      problem = [columns.high, h, `high ${h} is below open ${o} or close ${c}`];
      missShare = (Math.max(o, c) - h) / Math.max(o, c);
    } else if (l - slack > Math.min(o, c)) {
      problem = [columns.low, l, `low ${l} is above open ${o} or close ${c}`];
      missShare = (l - Math.min(o, c)) / Math.min(o, c);
    }
    if (problem !== undefined) {
      if (isIndex) inconsistentRows.push(i);
      else if (quirks && l > 0 && missShare <= QUIRK_PRICE_SHARE) {
        const detail = `${problem[2]} by ${(missShare * 100).toFixed(2)}% of the price`;
        if (quirkOf[i] === 0) {
          quirkOf[i] = QUIRK_KINDS.indexOf("price-off-by-a-hair") + 1;
          quirkDetail[i] = detail;
        } else quirkDetail[i] += `; also ${detail}`;
      } else problems.report(rowNumber, problem[0], String(problem[1]), problem[2]);
    }
    if (volume[i] < 0) problems.report(rowNumber, columns.volume, String(volume[i]), "volume is negative");
    if (amount !== undefined && amount[i] < 0) {
      problems.report(rowNumber, columns.amount, String(amount[i]), "amount is negative");
    }
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0) {
      if (raw.nonPositivePricesAllowed) nonPositiveRows.push(i);
      else {
        const [name, value] = o <= 0
          ? ["open", o]
          : h <= 0
          ? ["high", h]
          : l <= 0
          ? ["low", l]
          : ["close", c];
        problems.report(rowNumber, columns[name], String(value), `${name} price is not positive`);
      }
    }
  }
  return { nonPositiveRows, inconsistentRows };
}

/** The rows found to be vendor quirks, each with file, row, date, kind and detail. */
function listQuirkRows(raw: RawTable, cells: ParsedCells): QuirkRow[] {
  const quirkRows: QuirkRow[] = [];
  for (let i = 0; i < cells.quirkOf.length; i++) {
    if (cells.quirkOf[i] === 0) continue;
    quirkRows.push({
      file: raw.file,
      row: raw.rowNumbers[i],
      date: cells.dates[i]!,
      quirk: QUIRK_KINDS[cells.quirkOf[i] - 1],
      detail: cells.quirkDetail[i],
    });
  }
  return quirkRows;
}

/** Stage 5: the number of data rows within `minRows`..`maxRows`. Returns it. */
function checkExtent(raw: RawTable, problems: Problems, options: Required<ValidateArgs>): number {
  let dataRows = 0;
  for (let i = 0; i < raw.rows.length; i++) if (!raw.brokenRows?.has(i)) dataRows++;
  if (dataRows < options.minRows) {
    problems.report(
      null,
      null,
      String(dataRows),
      `only ${dataRows} data rows; at least ${options.minRows} are required (minRows)`,
    );
  }
  if (dataRows > options.maxRows) {
    problems.report(
      null,
      null,
      String(dataRows),
      `${dataRows} data rows; at most ${options.maxRows} are allowed (maxRows)`,
    );
  }
  return dataRows;
}

/**
 * Stage 6: the table, oldest first, without the rows the options drop (prices ≤ 0, contradicting index
 * bars, vendor quirks), each drop said in a warning.
 */
function assemble(
  raw: RawTable,
  meta: BarsMetadata,
  cells: ParsedCells,
  flagged: FlaggedRows,
  quirkRows: readonly QuirkRow[],
  options: Required<ValidateArgs>,
): DailyBarsData {
  const { dates, values, quirkOf } = cells;
  const { nonPositiveRows, inconsistentRows } = flagged;
  const warnings = meta.warnings;
  const n = dates.length;
  const drop = new Uint8Array(n);
  if (nonPositiveRows.length > 0) {
    const firstRow = raw.rowNumbers[nonPositiveRows[0]];
    const lastRow = raw.rowNumbers[nonPositiveRows[nonPositiveRows.length - 1]];
    const span = `${nonPositiveRows.length} rows (rows ${Math.min(firstRow, lastRow)}..${
      Math.max(firstRow, lastRow)
    }, ${dates[nonPositiveRows[0]]}..${dates[nonPositiveRows[nonPositiveRows.length - 1]]})`;
    if (options.dropNonPositivePrices) {
      for (const i of nonPositiveRows) drop[i] = 1;
      warnings.push(`dropped ${span} with prices ≤ 0 (${meta.adjustment}-adjusted history), as asked`);
    } else {
      warnings.push(
        `${span} have prices ≤ 0 (${meta.adjustment}-adjusted history); kept — pass dropNonPositivePrices to drop them`,
      );
    }
  }
  if (inconsistentRows.length > 0) {
    const listed = inconsistentRows.slice(0, 8).map((i) => `${raw.rowNumbers[i]} (${dates[i]})`).join(", ");
    const more = inconsistentRows.length > 8 ? ` and ${inconsistentRows.length - 8} more` : "";
    const what =
      `${inconsistentRows.length} index bars have high/low contradicting open/close (rows ${listed}${more})`;
    if (options.dropInconsistentIndexBars) {
      for (const i of inconsistentRows) drop[i] = 1;
      warnings.push(`dropped ${what}, as asked`);
    } else warnings.push(`${what}; kept — pass dropInconsistentIndexBars to drop them`);
  }
  if (quirkRows.length > 0) {
    for (let i = 0; i < n; i++) if (quirkOf[i] !== 0) drop[i] = 1;
    const counts = QUIRK_KINDS.map((kind) =>
      [kind, quirkRows.filter((row) => row.quirk === kind).length] as const
    )
      .filter(([, count]) => count > 0).map(([kind, count]) => `${count} ${kind}`).join(", ");
    const listed = quirkRows.slice(0, 8).map((row) => `${row.row} (${row.date}, ${row.quirk})`).join(", ");
    const more = quirkRows.length > 8 ? ` and ${quirkRows.length - 8} more` : "";
    warnings.push(
      `dropped ${quirkRows.length} rows of vendor quirks (${counts}; rows ${listed}${more}), as asked ` +
        `(dropQuirkRows; each is listed in quirkRows)`,
    );
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!drop[i]) order.push(i);
  if (meta.order === "newest-first") order.reverse();
  const m = order.length;
  const take = (source: Float64Array) => {
    const out = new Float64Array(m);
    for (let k = 0; k < m; k++) out[k] = source[order[k]];
    return out;
  };
  const optional: Partial<Record<OptionalColumn, Float64Array>> = {};
  for (const name of OPTIONAL_COLUMNS) {
    const column = values.get(name);
    if (column) optional[name] = take(column);
  }
  return {
    dates: order.map((i) => dates[i]!),
    open: take(values.get("open")!),
    high: take(values.get("high")!),
    low: take(values.get("low")!),
    close: take(values.get("close")!),
    volume: take(values.get("volume")!),
    optional,
  };
}
