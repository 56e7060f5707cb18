/**
 * One problem found in a data file: which file, which row (1-based as a spreadsheet shows it, header
 * counted; null for file-level problems), which column (as the file names it; null when not one column),
 * the offending value as text, and a plain message that repeats all of these.
 *
 * @example
 * ```ts
 * import { DataError } from "./mod.ts";
 * const error = new DataError({ file: "a.csv", row: 7, column: "high", value: "abc", message: "not a number" });
 * console.log(error.message); // 'a.csv, row 7, column "high": not a number (value "abc")'
 * ```
 */
export class DataError extends Error {
  /** The file the problem is in. */
  readonly file: string;
  /** 1-based row as a spreadsheet shows it (header counted), or null for a file-level problem. */
  readonly row: number | null;
  /** The column as the file names it, or null. */
  readonly column: string | null;
  /** The offending value as text, or null. */
  readonly value: string | null;
  /** The problem alone, without the file/row/column prefix. */
  readonly reason: string;

  /** Builds the error; `message` is the problem alone, the location is added in front. */
  constructor(
    args: {
      file: string;
      row?: number | null;
      column?: string | null;
      value?: string | null;
      message: string;
    },
  ) {
    const row = args.row ?? null;
    const column = args.column ?? null;
    const value = args.value ?? null;
    const where = [
      args.file,
      row === null ? null : `row ${row}`,
      column === null ? null : `column "${column}"`,
    ]
      .filter((part) => part !== null).join(", ");
    super(`${where}: ${args.message}${value === null ? "" : ` (value ${JSON.stringify(value)})`}`);
    this.name = "DataError";
    this.file = args.file;
    this.row = row;
    this.column = column;
    this.value = value;
    this.reason = args.message;
  }

  /** A plain object for JSON output: `{row, column, value, message}` (message without the location). */
  toJSON(): { row: number | null; column: string | null; value: string | null; message: string } {
    return { row: this.row, column: this.column, value: this.value, message: this.reason };
  }
}

/**
 * Thrown by the loaders when a file is invalid; `errors` holds every problem found (up to the cap).
 *
 * @example
 * ```ts
 * import { DataLoadError, loadBars } from "./mod.ts";
 * try {
 *   await loadBars("broken.csv");
 * } catch (error) {
 *   if (error instanceof DataLoadError) for (const problem of error.errors) console.log(problem.message);
 * }
 * ```
 */
export class DataLoadError extends Error {
  /** The file that failed. */
  readonly file: string;
  /** Every problem found, in file order. */
  readonly errors: DataError[];

  /** Summarises up to five of `errors` in the message. */
  constructor(file: string, errors: DataError[]) {
    const shown = errors.slice(0, 5).map((error) => "  " + error.message).join("\n");
    const more = errors.length > 5 ? `\n  ... and ${errors.length - 5} more` : "";
    super(
      `${file} is not valid market data (${errors.length} problem${
        errors.length === 1 ? "" : "s"
      }):\n${shown}${more}`,
    );
    this.name = "DataLoadError";
    this.file = file;
    this.errors = errors;
  }
}
