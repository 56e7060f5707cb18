/**
 * BaoStock daily exports with every column kept: the bar loader (`loadBars`) keeps only prices and
 * volume, while the hybrid model also needs turnover, trading status, ST flags and the valuation
 * ratios (`peTTM`, `pbMRQ`, `psTTM`, `pcfNcfTTM`) known on each day.
 *
 * @module
 */
import { parseCsv } from "./csv.ts";

/** The numeric columns of a BaoStock daily export, in file order after `date, code`. */
export const BAOSTOCK_NUMERIC_COLUMNS = [
  "open",
  "high",
  "low",
  "close",
  "preclose",
  "volume",
  "amount",
  "adjustflag",
  "turn",
  "tradestatus",
  "pctChg",
  "peTTM",
  "pbMRQ",
  "psTTM",
  "pcfNcfTTM",
  "isST",
] as const;

/** Name of a numeric BaoStock column. */
export type BaostockColumn = typeof BAOSTOCK_NUMERIC_COLUMNS[number];

/** One stock's BaoStock daily file. */
export interface BaostockDaily {
  /** Stock code as in the file, e.g. `sh.600036`. */
  code: string;
  /** Trading days, ISO, strictly ascending. */
  dates: string[];
  /** Every numeric column; NaN where the cell was empty (e.g. `turn` on a suspended day). */
  columns: Record<BaostockColumn, Float64Array>;
  /**
   * Days whose close-to-close return disagrees with the file's own `pctChg` by more than
   * {@link PRICE_BREAK_TOLERANCE}: a break in the back-adjusted price series (an adjustment applied on the
   * wrong day), reported, never corrected.
   */
  priceBreaks: PriceBreak[];
}

/** One day of {@link BaostockDaily.priceBreaks}. */
export interface PriceBreak {
  /** The day (ISO). */
  date: string;
  /** Spreadsheet row (header = 1). */
  row: number;
  /** close / previous row's close − 1. */
  closeReturn: number;
  /** The file's `pctChg`, as a fraction. */
  pctChg: number;
}

/**
 * How far (as a fraction: 0.2 percentage points) a day's close-to-close return may differ from the
 * file's `pctChg` before the day counts as a price break. On the 100 BaoStock stocks the two agree far
 * closer on every other day.
 */
export const PRICE_BREAK_TOLERANCE = 0.002;

/**
 * Parses a BaoStock daily CSV (`date,code,open,…,isST`). Empty cells become NaN (missing, never 0);
 * anything else that is not a number, a date out of order, a header that differs or a second code
 * is an error naming the file, the row (1-based, header = row 1), the column and the value.
 *
 * @example
 * ```ts
 * import { parseBaostockDaily } from "./baostock.ts";
 * const header = "date,code,open,high,low,close,preclose,volume,amount,adjustflag,turn,tradestatus," +
 *   "pctChg,peTTM,pbMRQ,psTTM,pcfNcfTTM,isST";
 * const daily = parseBaostockDaily(`${header}\n2012-06-11,sh.600036,34.3,34.5,34.0,34.4,34.3,3455,3778,1,0.19,1,0.27,6.06,1.33,2.31,6.63,0\n`, "sh.600036.csv");
 * daily.columns.peTTM[0]; // 6.06
 * ```
 */
export function parseBaostockDaily(text: string, fileName: string): BaostockDaily {
  const { records, unterminatedQuoteLine } = parseCsv(text.replace(/^\uFEFF/, ""), ",");
  if (unterminatedQuoteLine !== undefined) {
    throw new Error(`${fileName}, row ${unterminatedQuoteLine}: unterminated quote`);
  }
  if (records.length === 0) throw new Error(`${fileName}: empty file`);
  const expected = ["date", "code", ...BAOSTOCK_NUMERIC_COLUMNS];
  const header = records[0].cells.map((cell) => cell.trim());
  expected.forEach((name, index) => {
    if (header[index] !== name) {
      throw new Error(`${fileName}, row 1: column ${index + 1} should be "${name}", got "${header[index]}"`);
    }
  });
  const rows = records.length - 1;
  const columns = {} as Record<BaostockColumn, Float64Array>;
  for (const name of BAOSTOCK_NUMERIC_COLUMNS) columns[name] = new Float64Array(rows);
  const dates: string[] = [];
  let code = "";
  for (let index = 1; index < records.length; index++) {
    const { line, cells } = records[index];
    if (cells.length !== expected.length) {
      throw new Error(`${fileName}, row ${line}: ${cells.length} cells, the header has ${expected.length}`);
    }
    const date = cells[0].trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      throw new Error(`${fileName}, row ${line}, column date: "${date}" is not a date YYYY-MM-DD`);
    }
    if (dates.length > 0 && !(date > dates[dates.length - 1])) {
      throw new Error(
        `${fileName}, row ${line}, column date: ${date} is not after ${dates[dates.length - 1]}`,
      );
    }
    dates.push(date);
    const rowCode = cells[1].trim();
    if (index === 1) code = rowCode;
    else if (rowCode !== code) {
      throw new Error(`${fileName}, row ${line}, column code: "${rowCode}" differs from "${code}" above`);
    }
    BAOSTOCK_NUMERIC_COLUMNS.forEach((name, position) => {
      const cell = cells[position + 2].trim();
      const value = cell === "" ? NaN : Number(cell);
      if (cell !== "" && !Number.isFinite(value)) {
        throw new Error(`${fileName}, row ${line}, column ${name}: "${cell}" is not a number`);
      }
      columns[name][index - 1] = value;
    });
  }
  const priceBreaks: PriceBreak[] = [];
  const close = columns.close, pctChg = columns.pctChg;
  for (let row = 1; row < rows; row++) {
    const closeReturn = close[row] / close[row - 1] - 1;
    const stated = pctChg[row] / 100;
    if (
      Number.isFinite(closeReturn) && Number.isFinite(stated) &&
      Math.abs(closeReturn - stated) > PRICE_BREAK_TOLERANCE
    ) {
      priceBreaks.push({ date: dates[row], row: row + 2, closeReturn, pctChg: stated });
    }
  }
  return { code, dates, columns, priceBreaks };
}
