/**
 * The error thrown for a file that is not a readable xlsx workbook (not a zip, truncated, too large,
 * malformed XML). `cell` names the offending cell (e.g. `"C7"`) when one is known.
 *
 * @example
 * ```ts
 * import { readXlsx, XlsxError } from "./mod.ts";
 * try {
 *   readXlsx(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
 * } catch (error) {
 *   if (error instanceof XlsxError) console.log(error.message); // "... is a PNG image, not an xlsx workbook"
 * }
 * ```
 */
export class XlsxError extends Error {
  /** The cell reference the problem was found in (A1 style), when known. */
  readonly cell: string | undefined;

  /** An error with a plain message, naming `cell` when known. */
  constructor(message: string, cell?: string) {
    super(message);
    this.name = "XlsxError";
    this.cell = cell;
  }
}
