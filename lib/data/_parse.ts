// Cell-level parsing shared by every format. Private to lib/data.
// Each parser returns the value, or a string explaining why the cell is unusable (no exceptions: the
// hot loops collect every error of a file).
import { XlsxCellError } from "./xlsx/mod.ts";

/** A raw cell as a format reader hands it over. */
export type RawCell = string | number | boolean | Date | XlsxCellError | null | undefined;

/** A failure: why the cell cannot be used. */
export class CellProblem {
  constructor(readonly reason: string) {}
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const BLANK_MARKERS = new Set([
  "",
  "-",
  "--",
  "nan",
  "NaN",
  "NAN",
  "None",
  "null",
  "NULL",
  "N/A",
  "#N/A",
  "na",
  "NA",
]);

/**
 * Parses a numeric cell. Strings may carry surrounding spaces and thousands separators ("1,234.5");
 * a trailing "%" is accepted only where `allowPercent` (then "-1%" → -0.01).
 * Perf: numbers pass straight through; this runs once per cell.
 */
export function parseNumberCell(cell: RawCell, allowPercent: boolean): number | CellProblem {
  if (typeof cell === "number") {
    return Number.isFinite(cell) ? cell : new CellProblem(`is ${cell}, not a finite number`);
  }
  if (cell === null || cell === undefined) return new CellProblem("is blank");
  if (typeof cell === "string") {
    const text = cell.trim();
    if (BLANK_MARKERS.has(text)) {
      return new CellProblem(text === "" ? "is blank" : "is a missing-value marker");
    }
    if (PLAIN_NUMBER.test(text)) return Number(text);
    if (text.endsWith("%")) {
      const body = text.slice(0, -1).trim();
      if (PLAIN_NUMBER.test(body)) {
        return allowPercent
          ? Number(body) / 100
          : new CellProblem("is a percentage where a plain number belongs");
      }
    }
    if (GROUPED_NUMBER.test(text)) return Number(text.replaceAll(",", ""));
    return new CellProblem("is not a number");
  }
  if (cell instanceof XlsxCellError) return new CellProblem(`is a spreadsheet error cell ${cell.code}`);
  if (cell instanceof Date) return new CellProblem("is a date where a number belongs");
  return new CellProblem(`is a ${typeof cell} where a number belongs`);
}

/** True for a cell with no value: empty, null, or a missing-value marker ("null", "NaN", "-", "N/A"...). */
export function isBlankCell(cell: RawCell): boolean {
  if (cell === null || cell === undefined) return true;
  return typeof cell === "string" && BLANK_MARKERS.has(cell.trim());
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE_PATTERN = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Parses a date cell to "YYYY-MM-DD". Accepts YYYY-MM-DD, YYYY/MM/DD (month and day may be one digit),
 * YYYYMMDD (text or an 8-digit number), surrounding spaces (EquiNet writes " 2023/06/26"), a midnight
 * time part, and Date values from date-styled spreadsheet cells. Impossible dates (2023-02-30) fail.
 */
export function parseDateCell(cell: RawCell): string | CellProblem {
  if (cell instanceof Date) {
    const ms = cell.getTime();
    if (Number.isNaN(ms)) return new CellProblem("is an invalid date");
    if (ms % 86_400_000 !== 0) return new CellProblem("has a time of day; daily bars need whole dates");
    return cell.toISOString().slice(0, 10);
  }
  let text: string;
  if (typeof cell === "string") text = cell.trim();
  else if (typeof cell === "number" && Number.isInteger(cell) && cell >= 10000101 && cell <= 99991231) {
    text = String(cell);
  } else if (cell === null || cell === undefined) return new CellProblem("is blank");
  else if (cell instanceof XlsxCellError) return new CellProblem(`is a spreadsheet error cell ${cell.code}`);
  else return new CellProblem("is not a date");
  if (text === "") return new CellProblem("is blank");
  let year: number, month: number, day: number;
  const match = DATE_PATTERN.exec(text);
  if (match) {
    year = Number(match[1]);
    month = Number(match[2]);
    day = Number(match[3]);
    if (match[4] !== undefined && (match[4] !== "00" || match[5] !== "00" || (match[6] ?? "00") !== "00")) {
      return new CellProblem("has a time of day; daily bars need whole dates");
    }
  } else {
    const compact = COMPACT_DATE.exec(text);
    if (!compact) return new CellProblem("is not a date (expected YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)");
    year = Number(compact[1]);
    month = Number(compact[2]);
    day = Number(compact[3]);
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (
    year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] ||
    (month === 2 && day === 29 && !leap)
  ) {
    return new CellProblem("is not a real calendar date");
  }
  return `${year}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** A cell as text for error messages. */
export function cellText(cell: RawCell): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "Invalid Date" : cell.toISOString();
  return String(cell);
}
