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

/**
 * A workbook part that unpacks to more than it may: more than its declared size (the zip's headers lie,
 * `limitKind: "declared"`) or more than `maxUnpackedBytes` (`limitKind: "limit"`). Unpacking stops as soon
 * as the output passes the smaller of the two, so refusing a zip bomb costs no more than the limit.
 *
 * @example
 * ```ts
 * import { readXlsx, XlsxUnpackLimitError } from "./mod.ts";
 * try {
 *   readXlsx(await Deno.readFile("suspicious.xlsx"));
 * } catch (error) {
 *   if (error instanceof XlsxUnpackLimitError) console.log(error.part, error.limit, error.limitKind);
 * }
 * ```
 */
export class XlsxUnpackLimitError extends XlsxError {
  /** The zip member, e.g. `"xl/worksheets/sheet1.xml"`. */
  readonly part: string;
  /** The cap that was passed, bytes. */
  readonly limit: number;
  /** `"declared"`: the member's declared size; `"limit"`: the configured `maxUnpackedBytes`. */
  readonly limitKind: "declared" | "limit";

  /** The message names the part and the cap. */
  constructor(message: string, part: string, limit: number, limitKind: "declared" | "limit") {
    super(message);
    this.name = "XlsxUnpackLimitError";
    this.part = part;
    this.limit = limit;
    this.limitKind = limitKind;
  }
}
