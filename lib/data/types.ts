// Types shared by the loaders (kept free of polars so workers can load them cheaply).

/** The file formats the loaders read. */
export type BarsFormat = "equinet-xlsx" | "xlsx" | "tdx" | "csv";

/** How prices were adjusted for splits and dividends: none, forward (前复权), back (后复权), or unknown. */
export type PriceAdjustment = "none" | "forward" | "back" | "unknown";

/** What one unit of `volume` is: a share, a lot (手, 100 shares), or not stated by the file. */
export type VolumeUnit = "shares" | "lots" | "unknown";

/** Where a table came from and what was noticed while loading it. */
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
}

/** The numeric columns a {@link DailyBars} may hold beyond the required five. */
export const OPTIONAL_COLUMNS = ["amount", "adjClose", "marketvolume", "marketlimit", "marketrange"] as const;
/** One optional column name. */
export type OptionalColumn = typeof OPTIONAL_COLUMNS[number];
/** The required numeric columns. */
export const PRICE_VOLUME_COLUMNS = ["open", "high", "low", "close", "volume"] as const;

/** The data of a {@link DailyBars}, as plain typed arrays (transferable between workers). */
export interface DailyBarsData {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  optional: Partial<Record<OptionalColumn, Float64Array>>;
}
