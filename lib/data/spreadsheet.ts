import { DataError } from "./errors.ts";
import { codeFromFileName } from "./_text.ts";
import type { RawTable } from "./validate.ts";
import { columnName, readXlsxAsync, XlsxError, type XlsxSheet } from "./xlsx/mod.ts";

/**
 * The header of an EquiNet file (a processed TDX export), in file order.
 *
 * @example
 * ```ts
 * import { EQUINET_HEADERS, writeXlsx } from "./mod.ts";
 * const bytes = writeXlsx([[...EQUINET_HEADERS]]); // an EquiNet-shaped header row
 * ```
 */
export const EQUINET_HEADERS = [
  "time",
  "start",
  "max",
  "min",
  "end",
  "volume",
  "marketvolume",
  "marketlimit",
  "marketrange",
] as const;

/** Limits for spreadsheet files. */
export interface SpreadsheetLimits {
  maxFileBytes: number;
  maxUnpackedBytes: number;
  maxRows: number;
}

/**
 * Reads an xlsx workbook's first sheet into a raw table: EquiNet files (header `time,start,max,min,end,volume,
 * marketvolume,marketlimit,marketrange`) become format "equinet-xlsx", any other sheet with recognisable
 * headers format "xlsx". Internal to lib/data: use `parseBars` / `loadBars`.
 */
export async function readXlsxTable(
  bytes: Uint8Array,
  file: string,
  limits: SpreadsheetLimits,
): Promise<RawTable> {
  const raw: RawTable = {
    file,
    format: "xlsx",
    headers: [],
    rows: [],
    rowNumbers: [],
    errors: [],
    meta: { warnings: [], encoding: "xlsx", ...codeFromFileName(file) },
  };
  let sheet: XlsxSheet;
  try {
    sheet = await readXlsxAsync(bytes, {
      maxFileBytes: limits.maxFileBytes,
      maxUnpackedBytes: limits.maxUnpackedBytes,
      // + header, + slack so that "too many rows" is reported by validation with a count
      maxRows: limits.maxRows + 1000,
    });
  } catch (error) {
    if (!(error instanceof XlsxError)) throw error;
    const row = error.cell ? Number(/\d+$/.exec(error.cell)?.[0]) : null;
    raw.errors.push(
      new DataError({ file, row, column: error.cell?.replace(/\d+$/, "") ?? null, message: error.message }),
    );
    return raw;
  }
  const rows = sheet.rows;
  const headerIndex = rows.findIndex((row) => row.some((cell) => cell !== null && cell !== ""));
  if (headerIndex < 0) {
    raw.errors.push(new DataError({ file, message: "the sheet is empty (no header row)" }));
    return raw;
  }
  if (headerIndex > 0) {
    raw.meta.warnings.push(`the header is on row ${headerIndex + 1}; rows above it are empty`);
  }
  const header = rows[headerIndex];
  raw.headers = header.map((cell) => cell === null ? "" : String(cell));
  const keys = raw.headers.map((text) => text.trim().toLowerCase());
  if (EQUINET_HEADERS.slice(0, 6).every((name) => keys.includes(name))) {
    raw.format = "equinet-xlsx";
    // Porting note: EquiNet's processed files are unadjusted TDX exports with volume in shares (see the data
    // README); the file itself does not say so.
    raw.meta.adjustment = "none";
    raw.meta.volumeUnit = "shares";
  }
  let blank = 0;
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.every((cell) => cell === null || cell === "")) {
      blank++;
      continue;
    }
    raw.rows.push(row);
    raw.rowNumbers.push(r + 1);
  }
  if (
    blank > 0 && raw.rows.length > 0 &&
    raw.rowNumbers[raw.rowNumbers.length - 1] > headerIndex + 1 + raw.rows.length
  ) {
    raw.meta.warnings.push(`${blank} empty rows between data rows were skipped`);
  }
  const rowNumbers = raw.rowNumbers;
  raw.cellReferences = (rowIndex, columnIndex) => `${columnName(columnIndex)}${rowNumbers[rowIndex]}`;
  return raw;
}
