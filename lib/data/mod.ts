/**
 * Market data: loaders for the files people really have (EquiNet xlsx, native TDX exports, CSVs from Chinese
 * and Western portals, `.csv.gz`, whole folders), one validated table shape (`DailyBars`, oldest first,
 * typed arrays inside, a polars DataFrame at the boundary), errors that name file, row, column and value,
 * a binary cache, a lean xlsx reader/writer, and the `data:check` CLI (`lib/data/cli.ts`); the registry of named
 * data sets with verified download (`resolveDataset`), and a per-stock universe summary.
 *
 * Data flows one way: load → validate → features/windows → model → metrics → report.
 *
 * Layer 1 of the flow in lib/README.md: imports io.
 *
 * @example
 * ```ts
 * import { checkFile, loadBars, loadFolder } from "./mod.ts";
 * const chinext = await loadBars("../shared/data/indices/399006_chinext.csv");
 * const df = chinext.toDataFrame();
 * const { tables, failed } = await loadFolder("../shared/data/equinet", { onError: "skip", cache: true });
 * const report = await checkFile("../shared/data/tdx/SH#600016.txt"); // ok, with a warning about prices ≤ 0
 * ```
 * @module
 */
export { DailyBars } from "./bars.ts";
export { OPTIONAL_COLUMNS, PRICE_VOLUME_COLUMNS, QUIRK_KINDS, QUIRK_PRICE_SHARE } from "./types.ts";
export type {
  BarsFormat,
  BarsMetadata,
  DailyBarsData,
  MarketCheck,
  OhlcvColumns,
  OptionalColumn,
  PriceAdjustment,
  QuirkKind,
  QuirkRow,
  VolumeUnit,
} from "./types.ts";
export { DataError, DataLoadError } from "./errors.ts";
export { PathEscapeError } from "../io/paths.ts";
export { checkFile, loadBars, loadFolder, parseBars } from "./load.ts";
export type { FileReport, FolderResult, LoadArgs, LoadBarsArgs, LoadFolderArgs } from "./load.ts";
export type { FileResult, MarketPairing } from "./_read.ts";
export type { ValidateArgs } from "./validate.ts";
export { BarsCache, defaultCacheFolder } from "./cache.ts";
export { parseCsv } from "./csv.ts";
export type { CsvRecord } from "./csv.ts";
export {
  alignMarketByDate,
  checkMarketAlignment,
  commonCalendar,
  forwardPairingLeak,
  MARKET_COLUMNS,
  marketFromIndex,
  misalignedMarketRows,
} from "./equinet.ts";
export type { ForwardPairingLeak, MarketAlignment } from "./equinet.ts";
export { EQUINET_HEADERS } from "./spreadsheet.ts";
export * from "./xlsx/mod.ts";
export * from "./download.ts";
export * from "./registry.ts";
export * from "./universe_summary.ts";
export { BAR_FILES, checkDataset } from "./dataset_check.ts";
export type { DatasetCheck } from "./dataset_check.ts";
export * from "./baostock.ts";
