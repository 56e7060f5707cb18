// Types shared by the loaders (kept free of polars so workers can load them cheaply).

/**
 * The file formats the loaders read.
 *
 * @example
 * ```ts
 * import { type BarsFormat, checkFile } from "./mod.ts";
 * const format: BarsFormat | "not-data" = (await checkFile("SZ#399006.txt")).format; // "tdx"
 * ```
 */
export type BarsFormat = "equinet-xlsx" | "xlsx" | "tdx" | "csv";

/**
 * How prices were adjusted for splits and dividends: none, forward (前复权), back (后复权), or unknown.
 *
 * @example
 * ```ts
 * import { loadBars, type PriceAdjustment } from "./mod.ts";
 * const adjustment: PriceAdjustment = (await loadBars("SH#600016.txt")).meta.adjustment; // "forward"
 * ```
 */
export type PriceAdjustment = "none" | "forward" | "back" | "unknown";

/**
 * What one unit of `volume` is: a share, a lot (手, 100 shares), or not stated by the file.
 *
 * @example
 * ```ts
 * import { loadBars, type VolumeUnit } from "./mod.ts";
 * const unit: VolumeUnit = (await loadBars("sh.600004.csv")).meta.volumeUnit; // "shares"
 * ```
 */
export type VolumeUnit = "shares" | "lots" | "unknown";

/**
 * Where a table came from and what was noticed while loading it.
 *
 * @example
 * ```ts
 * import { type BarsMetadata, loadBars } from "./mod.ts";
 * const meta: BarsMetadata = (await loadBars("399006_chinext_163_gbk.csv")).meta;
 * console.log(meta.encoding, meta.order, meta.name); // "gbk" "newest-first" "创业板指"
 * ```
 */
export interface BarsMetadata {
  /** The file path as given to the loader. */
  file: string;
  /** The format the file was read as. */
  format: BarsFormat;
  /** Security code, 6 digits for A-shares and indices (e.g. "399006"), when known. */
  code?: string;
  /** Exchange prefix when the file states it: "SH", "SZ" or "BJ". */
  exchange?: string;
  /** Security name when the file states it (e.g. "创业板指"). */
  name?: string;
  /** Index or stock, by name or code (SH 000xxx and SZ 399xxx are indices); "unknown" when neither says. */
  instrument: "index" | "stock" | "unknown";
  /** Price adjustment as stated by the file. */
  adjustment: PriceAdjustment;
  /** Volume unit as stated by the file or known for its source. */
  volumeUnit: VolumeUnit;
  /** Text encoding the file was decoded with ("utf-8", "gbk"), or "xlsx". */
  encoding: string;
  /** Row order in the file (tables are always returned oldest first). */
  order: "oldest-first" | "newest-first";
  /** Source header of each table column, e.g. `{ open: "开盘价" }`. */
  columns: Record<string, string>;
  /** Source columns not carried into the table (e.g. BaoStock's `peTTM`). */
  ignoredColumns: string[];
  /** Things worth knowing about this file that do not make it invalid. */
  warnings: string[];
  /**
   * Rows dropped as vendor quirks (`dropQuirkRows`), one entry per row; absent when none was dropped.
   */
  quirkRows?: QuirkRow[];
  /**
   * EquiNet files: their market rows checked against the universe's common calendar by the loader
   * (`loadFolder`, or `loadBars` with `marketCalendar`). Absent when no calendar was known or the file has
   * no market columns. The one place the misalignment is detected: `universeSummary` reads it.
   */
  marketCheck?: MarketCheck;
}

/**
 * An EquiNet file's market rows against the common calendar (the dates of the market rows in row order):
 * EquiNet's files carry the same index rows in every file, paired by row position, so a stock with
 * suspensions has other days' market rows beside its dates.
 *
 * @example
 * ```ts
 * import type { MarketCheck } from "./mod.ts";
 * const check: MarketCheck = { calendar: "2023-01-03..2025-03-19", misalignedRows: 12 };
 * ```
 */
export interface MarketCheck {
  /** The calendar's span, `first..last`. */
  calendar: string;
  /**
   * Rows of the file (as stored) whose market row is another day's; 0 when aligned. null when the file's
   * market columns are not the rows the aligned files share, so their pairing cannot be checked. A file
   * re-paired by `alignMarket: "date"` keeps the count it was found with (its `marketPairing` says so).
   */
  misalignedRows: number | null;
}

/**
 * The vendor quirks `dropQuirkRows` drops (see {@link ValidateArgs.dropQuirkRows} in validate.ts):
 * - `"blank-row"`: every number cell of a dated row is blank or a missing-value marker (Yahoo's `null` rows
 *   on holidays);
 * - `"blank-volume"`: the volume (and amount, when the file has one) is blank on a row whose prices are valid
 *   (BaoStock's lone blank volume on a trading day);
 * - `"price-off-by-a-hair"`: low above min(open, close), or high below max(open, close), by more than the
 *   rounding tolerance but by at most {@link QUIRK_PRICE_SHARE} of that price (adjusted series rounded apart).
 *
 * @example
 * ```ts
 * import { type QuirkKind, QUIRK_KINDS } from "./mod.ts";
 * const kind: QuirkKind = QUIRK_KINDS[0]; // "blank-row"
 * ```
 */
export const QUIRK_KINDS = ["blank-row", "blank-volume", "price-off-by-a-hair"] as const;
/**
 * One of {@link QUIRK_KINDS}.
 *
 * @example
 * ```ts
 * import type { QuirkKind } from "./mod.ts";
 * const kind: QuirkKind = "blank-volume";
 * ```
 */
export type QuirkKind = typeof QUIRK_KINDS[number];

/**
 * The largest contradiction of a `"price-off-by-a-hair"` row: low may exceed min(open, close), or high fall
 * short of max(open, close), by at most this share of that price (0.5%; beyond it the row is an error even
 * with `dropQuirkRows`). Half a percent covers adjusted series whose factor rounds low and open apart (a few
 * fen on a 10-yuan stock) and no real data error of the size that matters for daily returns.
 *
 * @example
 * ```ts
 * import { QUIRK_PRICE_SHARE } from "./mod.ts";
 * const open = 10, low = 10.03; // 0.3% above: a quirk; 10.06 would be an error
 * console.log(low - open <= QUIRK_PRICE_SHARE * open); // true
 * ```
 */
export const QUIRK_PRICE_SHARE = 0.005;

/**
 * One row dropped as a vendor quirk: where it was, its date, which quirk, and the cells that made it one.
 *
 * @example
 * ```ts
 * import { loadBars, type QuirkRow } from "./mod.ts";
 * const bars = await loadBars("yahoo.csv", { dropQuirkRows: true });
 * const dropped: QuirkRow[] = bars.meta.quirkRows ?? [];
 * for (const row of dropped) console.log(row.file, row.row, row.date, row.quirk, row.detail);
 * ```
 */
export interface QuirkRow {
  /** The file the row is in. */
  file: string;
  /** 1-based row as a spreadsheet shows it (header counted). */
  row: number;
  /** The row's date, YYYY-MM-DD. */
  date: string;
  /** Which quirk. */
  quirk: QuirkKind;
  /** The cells that make it one, e.g. `low 10.03 is above open 10 by 0.30% of the price`. */
  detail: string;
}

/**
 * The numeric columns a {@link DailyBars} may hold beyond the required five.
 *
 * @example
 * ```ts
 * import { loadBars, OPTIONAL_COLUMNS } from "./mod.ts";
 * const bars = await loadBars("399006_chinext.csv");
 * console.log(OPTIONAL_COLUMNS.filter((name) => bars[name])); // ["amount"]
 * ```
 */
export const OPTIONAL_COLUMNS = ["amount", "adjClose", "marketvolume", "marketlimit", "marketrange"] as const;
/**
 * One optional column name.
 *
 * @example
 * ```ts
 * import { loadBars, type OptionalColumn } from "./mod.ts";
 * const columns: OptionalColumn[] = (await loadBars("processed_000008.xlsx")).optionalColumns();
 * ```
 */
export type OptionalColumn = typeof OPTIONAL_COLUMNS[number];
/**
 * The required numeric columns.
 *
 * @example
 * ```ts
 * import { loadBars, PRICE_VOLUME_COLUMNS } from "./mod.ts";
 * const bars = await loadBars("399006_chinext.csv");
 * for (const name of PRICE_VOLUME_COLUMNS) console.log(name, bars[name][0]);
 * ```
 */
export const PRICE_VOLUME_COLUMNS = ["open", "high", "low", "close", "volume"] as const;

/**
 * The daily-bar column set every table of EquiLab shares: one Float64Array per field, all the same
 * length, one entry per trading day. Validated tables ({@link DailyBarsData}), synthetic bars and the
 * paper's price columns are this set plus their own extras.
 *
 * @example
 * ```ts
 * import type { OhlcvColumns } from "./types.ts";
 * const bars: OhlcvColumns = { open: Float64Array.of(10), high: Float64Array.of(11), low: Float64Array.of(9), close: Float64Array.of(10.5), volume: Float64Array.of(1e6) };
 * ```
 */
export interface OhlcvColumns {
  /** Opening prices. */
  open: Float64Array;
  /** Highest prices. */
  high: Float64Array;
  /** Lowest prices. */
  low: Float64Array;
  /** Closing prices. */
  close: Float64Array;
  /** Traded volume. */
  volume: Float64Array;
}

/**
 * The data of a {@link DailyBars}, as plain typed arrays (transferable between workers).
 *
 * @example
 * ```ts
 * import { DailyBars, type DailyBarsData, loadBars } from "./mod.ts";
 * const data: DailyBarsData = (await loadBars("399006_chinext.csv")).toData();
 * const copy = new DailyBars(data, { ...(await loadBars("399006_chinext.csv")).meta });
 * ```
 */
export interface DailyBarsData extends OhlcvColumns {
  /** Trading dates, "YYYY-MM-DD", oldest first. */
  dates: string[];
  /** Whichever optional columns the file had. */
  optional: Partial<Record<OptionalColumn, Float64Array>>;
}
