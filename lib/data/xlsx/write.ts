import { zipSync } from "fflate";
import { escapeText } from "./_xml.ts";
import { columnName } from "./read.ts";

/**
 * Options of {@link writeXlsx}.
 *
 * @example
 * ```ts
 * import { writeXlsx, type WriteXlsxArgs } from "./mod.ts";
 * const args: WriteXlsxArgs = { sheetName: "bars" };
 * const bytes = writeXlsx([["date", "close"]], args);
 * ```
 */
export interface WriteXlsxArgs {
  /** Name of the single sheet: 1-31 characters, none of `[ ] : * ? / \`. Default `"Sheet1"`. */
  sheetName?: string;
}

const encoder = new TextEncoder();
// XML 1.0 forbids most control characters even when escaped.
// deno-lint-ignore no-control-regex
const INVALID_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Writes rows of values as a one-sheet xlsx workbook (strings as inline strings, numbers as numbers,
 * null as an empty cell). The first row is written bold-free like any other row; callers put headers there.
 * Throws a RangeError for values a workbook cannot hold (NaN, ±Infinity, control characters, more than
 * 1,048,576 rows or 16,384 columns) instead of writing something different from what was given.
 *
 * @example
 * ```ts
 * import { readXlsx, writeXlsx } from "./mod.ts";
 * const bytes = writeXlsx([["time", "end"], [" 2023/06/26", 2.3]], { sheetName: "bars" });
 * await Deno.writeFile("bars.xlsx", bytes);
 * console.log(readXlsx(bytes).rows[1][1]); // 2.3
 * ```
 */
export function writeXlsx(rows: (string | number | null)[][], args: WriteXlsxArgs = {}): Uint8Array {
  const sheetName = args.sheetName ?? "Sheet1";
  if (sheetName.length < 1 || sheetName.length > 31 || /[[\]:*?/\\]/.test(sheetName)) {
    throw new RangeError(
      `writeXlsx: invalid sheet name ${JSON.stringify(sheetName)} (1-31 characters, no []:*?/\\)`,
    );
  }
  if (INVALID_XML_CHARACTERS.test(sheetName)) {
    throw new RangeError("writeXlsx: sheet name has control characters");
  }
  if (rows.length > 1_048_576) {
    throw new RangeError(`writeXlsx: ${rows.length} rows exceed the 1,048,576 limit`);
  }
  const parts: string[] = [];
  let widest = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length > 16_384) {
      throw new RangeError(`writeXlsx: row ${r + 1} has ${row.length} cells, more than the 16,384 limit`);
    }
    widest = Math.max(widest, row.length);
    parts.push(`<row r="${r + 1}">`);
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      if (value === null || value === undefined) continue;
      const ref = columnName(c) + (r + 1);
      if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          throw new RangeError(`writeXlsx: cell ${ref} is ${value}; a workbook cannot hold it`);
        }
        parts.push(`<c r="${ref}"><v>${value}</v></c>`);
      } else if (typeof value === "string") {
        if (INVALID_XML_CHARACTERS.test(value)) {
          throw new RangeError(`writeXlsx: cell ${ref} holds a control character XML cannot carry`);
        }
        if (value.length > 32_767) {
          throw new RangeError(`writeXlsx: cell ${ref} holds ${value.length} characters, more than 32,767`);
        }
        parts.push(
          `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeText(value)}</t></is></c>`,
        );
      } else {
        throw new RangeError(
          `writeXlsx: cell ${ref} holds a ${typeof value}; only strings, numbers and null`,
        );
      }
    }
    parts.push("</row>");
  }
  const dimension = rows.length === 0 || widest === 0 ? "A1" : `A1:${columnName(widest - 1)}${rows.length}`;
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${MAIN_NS}"><dimension ref="${dimension}"/><sheetData>${
      parts.join("")
    }</sheetData></worksheet>`;
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": encoder.encode(CONTENT_TYPES),
    "_rels/.rels": encoder.encode(ROOT_RELS),
    "docProps/app.xml": encoder.encode(APP),
    "xl/workbook.xml": encoder.encode(workbook(sheetName)),
    "xl/_rels/workbook.xml.rels": encoder.encode(WORKBOOK_RELS),
    "xl/styles.xml": encoder.encode(STYLES),
    "xl/worksheets/sheet1.xml": encoder.encode(sheet),
  };
  // A fixed timestamp keeps the output byte-identical for identical input.
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2000, 0, 1)) });
}

const HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const CONTENT_TYPES = HEAD +
  `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
  `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
  `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
  `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
  `</Types>`;
const ROOT_RELS = HEAD + `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/>` +
  `</Relationships>`;
const APP = HEAD +
  `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  `<Application>EquiLab</Application></Properties>`;
const WORKBOOK_RELS = HEAD + `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>` +
  `</Relationships>`;
const STYLES = HEAD + `<styleSheet xmlns="${MAIN_NS}">` +
  `<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `</styleSheet>`;

function workbook(sheetName: string): string {
  return HEAD + `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
    `<sheet name="${escapeText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}
