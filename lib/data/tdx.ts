import { DataError } from "./errors.ts";
import type { RawCell } from "./_parse.ts";
import { codeFromFileName, decodeText, describeKind, sniffBytes } from "./_text.ts";
import type { RawTable } from "./validate.ts";
import type { PriceAdjustment } from "./types.ts";

const TITLE = /^\s*(\S+)\s+(.*?)\s*(日线|周线|月线|季线|年线|\d+分钟线|分钟线)\s*(前复权|后复权|不复权)?\s*$/;
const FOOTER = "数据来源:通达信";
const ADJUSTMENTS: Record<string, PriceAdjustment> = {
  "前复权": "forward",
  "后复权": "back",
  "不复权": "none",
};

/**
 * Reads a native TDX (通达信) day-bar export: GBK text, line 1 `<code> <name> 日线 <adjustment>`, line 2 the
 * padded header `日期 开盘 最高 最低 收盘 成交量 成交额`, rows `YYYY/MM/DD<TAB>...`, last line
 * `数据来源:通达信`. Adjusted history may hold prices ≤ 0: such rows are allowed (with a warning) here only.
 * Internal to lib/data: use `parseBars` / `loadBars`.
 */
export function readTdxTable(bytes: Uint8Array, file: string): RawTable {
  const raw: RawTable = {
    file,
    format: "tdx",
    headers: [],
    rows: [],
    rowNumbers: [],
    errors: [],
    meta: { warnings: [], ...codeFromFileName(file), volumeUnit: undefined },
  };
  const fail = (message: string, row: number | null = null, value: string | null = null) => {
    raw.errors.push(new DataError({ file, row, value, message }));
    return raw;
  };
  const kind = sniffBytes(bytes);
  if (kind !== "text") return fail(`the file is ${describeKind(kind)}, not a TDX text export`);
  const decoded = decodeText(bytes);
  if (decoded === undefined) return fail("the file is neither GBK nor UTF-8 text (unknown encoding)");
  raw.meta.encoding = decoded.encoding;
  const lines = decoded.text.split("\n");
  const title = (lines[0] ?? "").replace(/\r$/, "");
  const match = TITLE.exec(title);
  if (!match) {
    return fail(
      'not a TDX export: line 1 should read "<code> <name> 日线 <前复权|后复权|不复权>"',
      1,
      title.slice(0, 80),
    );
  }
  if (match[3] !== "日线") return fail(`a ${match[3]} export; daily bars (日线) are needed`, 1, title);
  raw.meta.code = match[1];
  raw.meta.name = match[2] || undefined;
  raw.meta.adjustment = match[4] ? ADJUSTMENTS[match[4]] : "none";
  raw.nonPositivePricesAllowed = raw.meta.adjustment === "forward" || raw.meta.adjustment === "back";
  const headerLine = (lines[1] ?? "").replace(/\r$/, "");
  const delimiter = headerLine.includes("\t") ? "\t" : headerLine.includes(",") ? "," : /\s+/;
  raw.headers = headerLine.split(delimiter).map((cell) => cell.trim()).filter((cell, i) =>
    cell !== "" || i > 0
  );
  if (raw.headers.length === 0 || raw.headers[0] !== "日期") {
    return fail(
      'not a TDX export: line 2 should be the header "日期 开盘 最高 最低 收盘 ..."',
      2,
      headerLine.trim(),
    );
  }
  const width = raw.headers.length;
  const brokenRows = new Set<number>();
  raw.brokenRows = brokenRows;
  let sawFooter = false;
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.trim() === FOOTER) {
      sawFooter = true;
      const rest = lines.slice(i + 1).findIndex((later) => later.trim() !== "");
      if (rest >= 0) {
        fail("rows follow the 数据来源:通达信 footer", i + 2 + rest, lines[i + 1 + rest].trim().slice(0, 80));
      }
      break;
    }
    const cells = line.split(delimiter).map((cell) => cell.trim());
    if (cells.length !== width) {
      brokenRows.add(raw.rows.length);
      fail(
        `row has ${cells.length} cells but the header has ${width}${
          cells.length < width ? " (truncated line?)" : ""
        }`,
        i + 1,
        line.slice(0, 80),
      );
    }
    raw.rows.push(cells as RawCell[]);
    raw.rowNumbers.push(i + 1);
  }
  if (!sawFooter) {
    raw.meta.warnings.push("no 数据来源:通达信 footer line: the export may be truncated");
  }
  return raw;
}
