/**
 * Point-in-time company fundamentals: parse BaoStock's quarterly `profit_data.csv` /
 * `growth_data.csv` and join each figure onto a daily calendar only from the day it was public.
 *
 * Empty cells are missing values (NaN), never zero: BaoStock leaves e.g. `gpMargin` empty for banks,
 * and a zero margin would be a real, very different number.
 *
 * @module
 */

/** One row: a stock's figures for one reporting period. */
export interface FundamentalRecord {
  /** Stock code as in the file, e.g. `sh.600000`. */
  code: string;
  /** Announcement date (`pubDate`, ISO), or null when the file has none. */
  publishDate: string | null;
  /** Period end (`statDate`, ISO), e.g. `2013-03-31`. */
  periodEnd: string;
  /** Values in `columns` order; NaN where the cell was empty. */
  values: Float64Array;
}

/** A parsed fundamentals file. */
export interface FundamentalTable {
  /** Value column names (everything after `code, pubDate, statDate`). */
  columns: string[];
  /** Rows in file order. */
  records: FundamentalRecord[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a BaoStock fundamentals CSV (`code,pubDate,statDate,<values…>`). Errors name the file, the
 * row (1-based, header = row 1), the column and the value. Empty value cells become NaN (missing);
 * an empty `pubDate` becomes null (see {@link availableFrom}); `code` and `statDate` are required.
 *
 * @example
 * ```ts
 * import { parseFundamentalCsv } from "./point_in_time.ts";
 * const table = parseFundamentalCsv(
 *   "code,pubDate,statDate,roeAvg,gpMargin\nsh.600000,2013-04-27,2013-03-31,0.0489,\n",
 *   "profit_data.csv",
 * );
 * table.records[0].values; // Float64Array [0.0489, NaN]
 * ```
 */
export function parseFundamentalCsv(text: string, fileName: string): FundamentalTable {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new Error(`${fileName}: empty file`);
  const header = lines[0].split(",");
  const expected = ["code", "pubDate", "statDate"];
  for (let index = 0; index < 3; index++) {
    if (header[index] !== expected[index]) {
      throw new Error(
        `${fileName}, row 1: column ${index + 1} should be "${expected[index]}", got "${header[index]}"`,
      );
    }
  }
  const columns = header.slice(3);
  const records: FundamentalRecord[] = [];
  for (let line = 1; line < lines.length; line++) {
    const row = line + 1;
    const text = lines[line];
    if (text.includes('"')) {
      throw new Error(`${fileName}, row ${row}: quoted fields are not supported: ${text}`);
    }
    const cells = text.split(",");
    if (cells.length !== header.length) {
      throw new Error(`${fileName}, row ${row}: ${cells.length} cells, the header has ${header.length}`);
    }
    const [code, publishDate, periodEnd] = cells;
    if (code === "") throw new Error(`${fileName}, row ${row}, column code: empty`);
    if (publishDate !== "" && !isValidDate(publishDate)) {
      throw new Error(`${fileName}, row ${row}, column pubDate: "${publishDate}" is not a date YYYY-MM-DD`);
    }
    if (!isValidDate(periodEnd)) {
      throw new Error(`${fileName}, row ${row}, column statDate: "${periodEnd}" is not a date YYYY-MM-DD`);
    }
    if (publishDate !== "" && publishDate < periodEnd) {
      throw new Error(
        `${fileName}, row ${row}, column pubDate: ${publishDate} is before statDate ${periodEnd}`,
      );
    }
    const values = new Float64Array(columns.length);
    for (let column = 0; column < columns.length; column++) {
      const cell = cells[column + 3].trim();
      if (cell === "") {
        values[column] = NaN; // missing, not zero
        continue;
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new Error(`${fileName}, row ${row}, column ${columns[column]}: "${cell}" is not a number`);
      }
      values[column] = value;
    }
    records.push({ code, publishDate: publishDate === "" ? null : publishDate, periodEnd, values });
  }
  return { columns, records };
}

/**
 * The first calendar day a figure may be used: its announcement date when known; otherwise the
 * statutory deadline for its period — annual (period end in December): April 30 of the next year;
 * Q1: April 30; half year: August 31; Q3: October 31.
 *
 * Porting note: the brief fixes the annual rule; the quarterly deadlines without `pubDate` are ours
 * (CSRC disclosure deadlines). BaoStock's files give a `pubDate` on every row we have seen.
 *
 * @example
 * ```ts
 * import { availableFrom } from "./point_in_time.ts";
 * availableFrom({ publishDate: null, periodEnd: "2019-12-31" }); // "2020-04-30"
 * ```
 */
export function availableFrom(record: Pick<FundamentalRecord, "publishDate" | "periodEnd">): string {
  if (record.publishDate !== null) return record.publishDate;
  const year = Number(record.periodEnd.slice(0, 4));
  const month = Number(record.periodEnd.slice(5, 7));
  if (month === 12) return `${year + 1}-04-30`;
  if (month <= 3) return `${year}-04-30`;
  if (month <= 6) return `${year}-08-31`;
  return `${year}-10-31`;
}

/** Options of {@link asOfJoin}. */
export interface AsOfJoinArgs {
  /** Trading days to wait after the first trading day on or after the announcement. Default 0. */
  lagDays?: number;
}

/** Result of {@link asOfJoin}. */
export interface AsOfJoined {
  /** One series per column, `[column][day]`; NaN before the first usable report. */
  values: Float64Array[];
  /** Index into the records of the figure in force each day (−1 none). */
  recordIndex: Int32Array;
  /** 1 on the first trading day a new report becomes usable (an earnings-season day), else 0. */
  announcementDay: Uint8Array;
}

/**
 * As-of join of one stock's reports onto a daily calendar: on each day, the figures of the latest
 * period whose report was already public ({@link availableFrom}, moved to the first trading day on
 * or after it, plus `lagDays`). Never looks ahead; days before the first report stay NaN.
 *
 * @example
 * ```ts
 * import { asOfJoin } from "./point_in_time.ts";
 * const joined = asOfJoin(["2013-04-26", "2013-04-29"], [
 *   { code: "sh.600000", publishDate: "2013-04-27", periodEnd: "2013-03-31", values: Float64Array.of(0.05) },
 * ]);
 * joined.values[0]; // Float64Array [NaN, 0.05] — published on a Saturday, usable Monday
 * ```
 */
export function asOfJoin(
  dates: readonly string[],
  records: readonly FundamentalRecord[],
  args: AsOfJoinArgs = {},
): AsOfJoined {
  const lagDays = args.lagDays ?? 0;
  if (!Number.isInteger(lagDays) || lagDays < 0) {
    throw new RangeError(`lagDays must be an integer ≥ 0, got ${lagDays}`);
  }
  for (let day = 1; day < dates.length; day++) {
    if (!(dates[day] > dates[day - 1])) throw new RangeError(`asOfJoin: dates not ascending at index ${day}`);
  }
  const columnCount = records.length > 0 ? records[0].values.length : 0;
  // first usable day index of each record
  const order = records.map((record, index) => ({
    index,
    first: firstDayOnOrAfter(dates, availableFrom(record)),
  }))
    .map((entry) => ({ ...entry, first: entry.first + lagDays }))
    .sort((a, b) => a.first - b.first || a.index - b.index);
  const recordIndex = new Int32Array(dates.length).fill(-1);
  const announcementDay = new Uint8Array(dates.length);
  let next = 0, current = -1;
  for (let day = 0; day < dates.length; day++) {
    while (next < order.length && order[next].first <= day) {
      const candidate = order[next++].index;
      if (order[next - 1].first === day) announcementDay[day] = 1;
      // the latest period wins; a late report of an older period does not replace a newer one
      if (current < 0 || records[candidate].periodEnd >= records[current].periodEnd) current = candidate;
    }
    recordIndex[day] = current;
  }
  const values: Float64Array[] = [];
  for (let column = 0; column < columnCount; column++) {
    const series = new Float64Array(dates.length);
    for (let day = 0; day < dates.length; day++) {
      series[day] = recordIndex[day] < 0 ? NaN : records[recordIndex[day]].values[column];
    }
    values.push(series);
  }
  return { values, recordIndex, announcementDay };
}

/**
 * Groups a table's records by stock code (file order kept within each stock).
 *
 * @example
 * ```ts
 * import { recordsByCode } from "./point_in_time.ts";
 * // recordsByCode(table).get("sh.600000")
 * ```
 */
export function recordsByCode(table: FundamentalTable): Map<string, FundamentalRecord[]> {
  const groups = new Map<string, FundamentalRecord[]>();
  for (const record of table.records) {
    const group = groups.get(record.code);
    if (group === undefined) groups.set(record.code, [record]);
    else group.push(record);
  }
  return groups;
}

/** Index of the first date ≥ `isoDate` (binary search); `dates.length` when none. */
function firstDayOnOrAfter(dates: readonly string[], isoDate: string): number {
  let low = 0, high = dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dates[middle] < isoDate) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isValidDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
