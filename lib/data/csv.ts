import { DataError } from "./errors.ts";
import type { RawCell } from "./_parse.ts";
import { codeFromFileName, decodeText, describeKind, parseCode, sniffBytes } from "./_text.ts";
import type { RawTable } from "./validate.ts";
import type { PriceAdjustment } from "./types.ts";

/**
 * One parsed CSV record with the 1-based line it starts on.
 *
 * @example
 * ```ts
 * import { type CsvRecord, parseCsv } from "./mod.ts";
 * const header: CsvRecord = parseCsv("date,close\n").records[0]; // { line: 1, cells: ["date", "close"] }
 * ```
 */
export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  /** The cells, unquoted. */
  cells: string[];
}

/**
 * Splits CSV text into records (RFC 4180 quoting: `"a,b"`, `""` for a quote, line breaks inside quotes),
 * keeping each record's starting line number. Blank lines are skipped. The delimiter is guessed from the
 * first line (comma, tab or semicolon) unless given.
 *
 * @example
 * ```ts
 * import { parseCsv } from "./mod.ts";
 * const { records } = parseCsv('date,close\n2024-01-02,"1,234.5"\n');
 * console.log(records[1]); // { line: 2, cells: ["2024-01-02", "1,234.5"] }
 * ```
 */
export function parseCsv(
  text: string,
  delimiter?: string,
): { records: CsvRecord[]; unterminatedQuoteLine?: number } {
  const firstLine = text.slice(0, Math.max(0, text.indexOf("\n")) || text.length);
  const separator = delimiter ?? guessDelimiter(firstLine);
  const sep = separator.charCodeAt(0);
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = "";
    let atRecordEnd = false;
    // Fast path per cell: slice up to the next separator/newline when the cell is unquoted.
    while (!atRecordEnd) {
      if (text.charCodeAt(i) === 34 /* " */) {
        i++;
        cell = "";
        while (true) {
          if (i >= n) return { records, unterminatedQuoteLine: startLine };
          const c = text.charCodeAt(i);
          if (c === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === 10) line++;
          cell += text[i];
          i++;
        }
        // After the closing quote: up to the separator or the line end.
        let j = i;
        while (j < n && text.charCodeAt(j) !== sep && text.charCodeAt(j) !== 10) j++;
        cell += text.slice(i, j).replace(/\r$/, "");
        i = j;
      } else {
        let j = i;
        while (j < n && text.charCodeAt(j) !== sep && text.charCodeAt(j) !== 10) j++;
        cell = text.slice(i, j);
        if (cell.endsWith("\r")) cell = cell.slice(0, -1);
        i = j;
      }
      cells.push(cell);
      if (i >= n) atRecordEnd = true;
      else if (text.charCodeAt(i) === sep) i++;
      else {
        i++; // newline
        line++;
        atRecordEnd = true;
      }
    }
    if (cells.length === 1 && cells[0].trim() === "") continue; // blank line
    records.push({ line: startLine, cells });
  }
  return { records };
}

function guessDelimiter(firstLine: string): string {
  const counts = [",", "\t", ";"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ",";
}

/**
 * Reads CSV bytes (UTF-8 or GBK, either date order, columns in any order, English or Chinese headers) into a
 * raw table for validation. Internal to lib/data: use `parseBars` / `loadBars`.
 */
export function readCsvTable(bytes: Uint8Array, file: string): RawTable {
  const raw: RawTable = {
    file,
    format: "csv",
    headers: [],
    rows: [],
    rowNumbers: [],
    errors: [],
    meta: { warnings: [], ...codeFromFileName(file) },
  };
  const fail = (message: string, row: number | null = null, value: string | null = null) => {
    raw.errors.push(new DataError({ file, row, message, value }));
    return raw;
  };
  const kind = sniffBytes(bytes);
  if (kind !== "text") return fail(`the file is ${describeKind(kind)}, not CSV text`);
  const decoded = decodeText(bytes);
  if (decoded === undefined) return fail("the file is neither UTF-8 nor GBK text (unknown encoding)");
  raw.meta.encoding = decoded.encoding;
  const { records, unterminatedQuoteLine } = parseCsv(decoded.text);
  if (unterminatedQuoteLine !== undefined) {
    fail(`a quoted cell opened on this row is never closed (truncated file?)`, unterminatedQuoteLine);
  }
  if (records.length === 0) return fail("the file has no header row (it is blank)");
  const header = records[0];
  raw.headers = header.cells;
  const width = header.cells.length;
  const brokenRows = new Set<number>();
  raw.brokenRows = brokenRows;
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record.cells.length !== width) {
      brokenRows.add(raw.rows.length);
      raw.errors.push(
        new DataError({
          file,
          row: record.line,
          value: record.cells.join(",").slice(0, 80),
          message: `row has ${record.cells.length} cells but the header has ${width}${
            record.cells.length < width ? " (truncated line?)" : ""
          }`,
        }),
      );
    }
    raw.rows.push(record.cells as RawCell[]);
    raw.rowNumbers.push(record.line);
  }
  describeSource(raw);
  return raw;
}

/** Fills code, name, adjustment and volume unit from well-known columns (BaoStock, NetEase 163, ...). */
function describeSource(raw: RawTable): void {
  const keys = raw.headers.map((header) => header.trim().toLowerCase());
  const find = (...names: string[]) => keys.findIndex((key) => names.includes(key));
  const codeColumn = find("code", "ts_code", "symbol", "股票代码", "代码", "证券代码", "指数代码");
  if (codeColumn >= 0) {
    // One error for a file that mixes securities (a cross-section, not one security's history), naming the
    // first row where a second code appears.
    const codes = new Set<string>();
    let firstOther = -1;
    raw.rows.forEach((row, i) => {
      const text = String(row[codeColumn] ?? "").trim();
      if (text === "") return;
      if (codes.size > 0 && !codes.has(text) && firstOther < 0) firstOther = i;
      codes.add(text);
    });
    if (firstOther >= 0) {
      const [first, second] = [...codes];
      raw.errors.push(
        new DataError({
          file: raw.file,
          row: raw.rowNumbers[firstOther],
          column: raw.headers[codeColumn].trim(),
          value: second,
          message: `the file mixes securities: ${first} and ${second}` +
            (codes.size > 2 ? ` (${codes.size} codes in all)` : "") + "; one file must hold one code",
        }),
      );
    }
    if (codes.size > 0) Object.assign(raw.meta, parseCode([...codes][0]));
  }
  const nameColumn = find("name", "名称", "股票名称", "证券简称", "简称", "指数名称");
  if (nameColumn >= 0 && raw.rows.length > 0) {
    raw.meta.name = String(raw.rows[0][nameColumn] ?? "").trim() || undefined;
  }

  // BaoStock: adjustflag 1 = back-adjusted (后复权), 2 = forward (前复权), 3 = none; volume in shares.
  const adjustColumn = find("adjustflag");
  if (adjustColumn >= 0 && keys.includes("tradestatus")) {
    raw.meta.volumeUnit = "shares";
    const flags = new Set(raw.rows.map((row) => String(row[adjustColumn] ?? "").trim()));
    const byFlag: Record<string, PriceAdjustment> = { "1": "back", "2": "forward", "3": "none" };
    raw.meta.adjustment = flags.size === 1 ? byFlag[[...flags][0]] ?? "unknown" : "unknown";
    if (flags.size > 1) {
      raw.meta.warnings.push(`adjustflag varies within the file (${[...flags].join(", ")})`);
    }
    // Suspended days (tradestatus 0) repeat the previous close; BaoStock leaves their volume and amount
    // either 0 or blank. Blank there means "no trading": read as 0 and say so. Blank on a trading day stays
    // an error.
    const status = find("tradestatus");
    const volumeColumn = find("volume");
    const amountColumn = find("amount");
    let suspended = 0;
    let blanks = 0;
    for (const row of raw.rows) {
      if (String(row[status]).trim() !== "0") continue;
      suspended++;
      let blank = false;
      for (const column of [volumeColumn, amountColumn]) {
        if (column >= 0 && String(row[column] ?? "").trim() === "") {
          row[column] = "0";
          blank = true;
        }
      }
      if (blank) blanks++;
    }
    if (suspended > 0) {
      raw.meta.warnings.push(
        `${suspended} rows are suspended days (tradestatus 0: prices repeat the previous close)` +
          (blanks > 0 ? `; ${blanks} of them have blank volume/amount, read as 0 (no trading)` : ""),
      );
    }
  }
  // NetEase 163: unadjusted quotes, volume in shares, codes written as '399006.
  if (keys.includes("前收盘") && codeColumn >= 0) {
    raw.meta.adjustment = "none";
    raw.meta.volumeUnit = "shares";
  }
}
