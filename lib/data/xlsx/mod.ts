/**
 * A lean xlsx (Office Open XML spreadsheet) reader and writer on fflate, with limits against absurd or
 * hostile files (file size, unpacked size, rows, columns; zip-bomb guard).
 *
 * @example
 * ```ts
 * import { readXlsx, writeXlsx } from "./mod.ts";
 * const bytes = writeXlsx([["date", "close"], ["2024-01-02", 10.5]], { sheetName: "prices" });
 * const sheet = readXlsx(bytes);
 * console.log(sheet.name, sheet.rows.length); // "prices" 2
 * ```
 * @module
 */
export { columnName, isDateFormatCode, readXlsx, readXlsxAsync, XlsxCellError } from "./read.ts";
export type { ReadXlsxArgs, XlsxCell, XlsxSheet } from "./read.ts";
export { writeXlsx } from "./write.ts";
export type { WriteXlsxArgs } from "./write.ts";
export { XlsxError, XlsxUnpackLimitError } from "./errors.ts";
