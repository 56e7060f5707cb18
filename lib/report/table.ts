/**
 * HTML tables from rows or a polars DataFrame. Every string is escaped: data-derived names (stock
 * names, file names, column headers) end up in HTML.
 */
import {
  alreadyDisplayed,
  displayWhenCalled,
  JUPYTER_DISPLAY,
  type MimeBundle,
  nextDisplayId,
  recordDisplay,
} from "./display.ts";
import { escapeHtml } from "./_html.ts";

/** A cell value. */
export type CellValue = string | number | boolean | null | undefined | bigint | Date;

/** The part of a polars DataFrame the table needs. */
export interface DataFrameLike {
  readonly height: number;
  readonly columns: string[];
  head(length?: number): { toRecords(): Record<string, unknown>[] };
}

/** Options of {@link table}. */
export interface TableArgs {
  /** Columns to show, in order. Default: all, in first-seen order. */
  columns?: string[];
  /** Caption above the table. Default none. */
  caption?: string;
  /** Significant digits for non-integer numbers. Default 4. */
  significantDigits?: number;
  /** Rows shown; the rest are counted in a note. Default 50. */
  maxRows?: number;
  /** Per-column formatters (override number formatting). */
  format?: Record<string, (value: CellValue) => string>;
  /**
   * Move a column whose value is the same in every row (3 rows or more; never the first column) into
   * the caption, as "column: value". Default true.
   */
  foldConstantColumns?: boolean;
}

/**
 * Text of a numeric column: integers as they are; otherwise one fixed number of decimals for the
 * whole column, enough for `significantDigits` significant digits of its largest value (at most 8), so
 * that the decimal points line up and a value next to zero reads 0.000, not 8.079e-16. A column whose
 * values are all below 0.001 keeps scientific notation; one reaching 10,000 gets thousands separators.
 */
function formatNumberColumn(values: readonly CellValue[], significantDigits: number): string[] {
  const finite = values.filter((value): value is number =>
    typeof value === "number" && Number.isFinite(value)
  );
  const largest = Math.max(0, ...finite.map(Math.abs));
  // Columns reaching 10,000 (volumes, amounts, parameter counts) get thousands separators throughout.
  const group = largest >= 10_000 ? groupThousands : (text: string) => text;
  if (finite.every(Number.isInteger) || largest < 1e-3) {
    return values.map((value) =>
      typeof value === "number" && Number.isInteger(value)
        ? group(String(value))
        : formatCell(value, significantDigits)
    );
  }
  const decimals = Math.min(8, Math.max(0, significantDigits - 1 - Math.floor(Math.log10(largest))));
  return values.map((value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return formatCell(value, significantDigits);
    const text = value.toFixed(decimals);
    return group(/^-0(\.0*)?$/.test(text) ? text.slice(1) : text);
  });
}

/** `12662425088.5` → `12,662,425,088.5` (commas in the integer part only). */
function groupThousands(text: string): string {
  const [whole, fraction] = text.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

function isDataFrame(value: unknown): value is DataFrameLike {
  // nodejs-polars DataFrames are proxies: probe members instead of using `in`.
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const frame = value as DataFrameLike;
  return typeof frame.head === "function" && Array.isArray(frame.columns) && typeof frame.height === "number";
}

/** Text that reads as a number (a formatted figure, a percentage, a mean ± std): aligned right. */
const NUMBER_TEXT = /^[-+−]?[\d,.]+(e[-+]?\d+)?%?( ± [\d,.]+%?)?( \[[-−]?[\d.]+, [-−]?[\d.]+\])?$/;

/** Formats one value for display. */
export function formatCell(value: CellValue, significantDigits = 4): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    if (Number.isInteger(value)) return String(value);
    const rounded = Number(value.toPrecision(significantDigits));
    return Math.abs(rounded) >= 1e-4 || rounded === 0
      ? String(rounded)
      : rounded.toExponential(significantDigits - 1);
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * A rendered table.
 *
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * const shown = table([{ model: "LSTM", mape: 0.0123 }, { model: "persistence", mape: 0.0150 }]);
 * shown.toHtml();
 * ```
 */
export class Table {
  /** Id of the `<table>` element. */
  readonly displayId: string;
  /** Column names shown. */
  readonly columns: string[];
  /** Formatted cell text, row by row. */
  readonly cells: string[][];
  /** Rows not shown (beyond maxRows). */
  readonly hiddenRows: number;
  /** Caption, if any. */
  readonly caption?: string;
  /** Per column: "right" for numbers, "left" for text. */
  readonly alignments: ("left" | "right")[];

  constructor(
    columns: string[],
    cells: string[][],
    hiddenRows: number,
    caption?: string,
    alignments?: ("left" | "right")[],
  ) {
    this.displayId = nextDisplayId("table");
    this.columns = columns;
    this.cells = cells;
    this.hiddenRows = hiddenRows;
    this.caption = caption;
    this.alignments = alignments ?? columns.map(() => "left");
  }

  /** The `<table>` HTML. */
  toHtml(): string {
    // Numbers right (class "number"), text left: the report's CSS (REPORT_CSS) aligns them.
    const align = (index: number) => this.alignments[index] === "right" ? ` class="number"` : "";
    const head = this.columns.map((column, index) => `<th${align(index)}>${escapeHtml(column)}</th>`).join(
      "",
    );
    const body = this.cells.map((row) =>
      `<tr>${row.map((cell, index) => `<td${align(index)}>${escapeHtml(cell)}</td>`).join("")}</tr>`
    )
      .join("");
    const caption = this.caption ? `<caption>${escapeHtml(this.caption)}</caption>` : "";
    const note = this.hiddenRows > 0
      ? `<p class="equilab-table-note">… ${this.hiddenRows} more rows</p>`
      : "";
    return `<table id="${
      escapeHtml(this.displayId)
    }" class="equilab-table">${caption}<thead><tr>${head}</tr></thead>` +
      `<tbody>${body}</tbody></table>${note}`;
  }

  /** Plain text (terminal) form. */
  toText(): string {
    const widths = this.columns.map((column, index) =>
      Math.max(column.length, ...this.cells.map((row) => row[index].length))
    );
    const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join("  ");
    const lines = [line(this.columns), ...this.cells.map(line)];
    if (this.hiddenRows > 0) lines.push(`… ${this.hiddenRows} more rows`);
    return (this.caption ? `${this.caption}\n` : "") + lines.join("\n");
  }

  /** Jupyter MIME bundle. */
  toMimeBundle(): MimeBundle {
    return { "text/html": this.toHtml(), "text/plain": this.toText() };
  }

  /** Called by the Deno kernel to render the table. */
  [JUPYTER_DISPLAY](): MimeBundle {
    // Displayed when made (in Jupyter): as the cell's last value it adds nothing.
    if (alreadyDisplayed(this.displayId)) return {};
    recordDisplay(this.displayId, "table");
    return this.toMimeBundle();
  }
}

/**
 * Renders rows (objects) or a polars DataFrame as an HTML table.
 *
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * table([{ class: "涨 up", share: 0.196 }], { caption: "Label shares" });
 * ```
 */
export function table(data: Record<string, CellValue>[] | DataFrameLike, args: TableArgs = {}): Table {
  const maxRows = args.maxRows ?? 50;
  let rows: Record<string, unknown>[];
  let total: number;
  let columns: string[];
  if (isDataFrame(data)) {
    rows = data.head(maxRows).toRecords();
    total = data.height;
    columns = args.columns ?? data.columns;
  } else {
    rows = data.slice(0, maxRows);
    total = data.length;
    const seen = new Set<string>();
    for (const row of data) for (const key of Object.keys(row)) seen.add(key);
    columns = args.columns ?? [...seen];
  }
  const digits = args.significantDigits ?? 4;
  // Column by column: a formatter when given; numbers with one format per column; the rest as text.
  const texts: string[][] = [];
  const alignments: ("left" | "right")[] = [];
  for (const column of columns) {
    const values = rows.map((row) => row[column] as CellValue);
    const formatter = args.format?.[column];
    const present = values.filter((value) => value !== null && value !== undefined && value !== "");
    const numeric = present.length > 0 && present.every((value) => typeof value === "number");
    texts.push(
      formatter
        ? values.map(formatter)
        : numeric
        ? formatNumberColumn(values, digits)
        : values.map((value) => formatCell(value, digits)),
    );
    alignments.push(
      numeric || (present.length > 0 && present.every((value) => NUMBER_TEXT.test(String(value))))
        ? "right"
        : "left",
    );
  }
  let kept = columns.map((_, index) => index);
  let caption = args.caption;
  if ((args.foldConstantColumns ?? true) && rows.length >= 3) {
    const constant = kept.filter((index) =>
      index > 0 && texts[index][0] !== "" && texts[index].every((text) => text === texts[index][0])
    );
    if (constant.length > 0 && constant.length < columns.length - 1) {
      const folded = constant.map((index) => `${columns[index]}: ${texts[index][0]}`).join("; ");
      caption = caption ? `${caption} (${folded})` : folded;
      kept = kept.filter((index) => !constant.includes(index));
    }
  }
  const cells = rows.map((_, row) => kept.map((index) => texts[index][row]));
  return displayWhenCalled(
    new Table(
      kept.map((index) => columns[index]),
      cells,
      Math.max(0, total - rows.length),
      caption,
      kept.map((index) => alignments[index]),
    ),
    "table",
  );
}
