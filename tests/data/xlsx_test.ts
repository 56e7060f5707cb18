import assert from "node:assert/strict";
import { strToU8, unzipSync, zipSync } from "fflate";
import {
  columnName,
  isDateFormatCode,
  readXlsx,
  readXlsxAsync,
  writeXlsx,
  XlsxCellError,
  XlsxError,
  XlsxUnpackLimitError,
} from "../../lib/data/xlsx/mod.ts";
import { parseBars } from "../../lib/data/mod.ts";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A hand-made workbook with shared strings and styles, the way Excel writes them. */
function excelStyleWorkbook(
  sheetData: string,
  options: { numFmts?: string; xfs?: string; shared?: string[] } = {},
) {
  const shared = options.shared ?? [];
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    ),
    "_rels/.rels": strToU8(
      `<Relationships xmlns="x"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    "xl/workbook.xml": strToU8(
      `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><sheets>` +
        `<sheet name="First &amp; only" sheetId="1" r:id="rId3"/></sheets></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": strToU8(
      `<Relationships xmlns="x">` +
        `<Relationship Id="rId3" Type="${REL_NS}/worksheet" Target="worksheets/data.xml"/>` +
        `<Relationship Id="rId4" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId5" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
    ),
    "xl/sharedStrings.xml": strToU8(
      `<sst xmlns="${MAIN_NS}" count="${shared.length}">${shared.map((s) => `<si>${s}</si>`).join("")}</sst>`,
    ),
    "xl/styles.xml": strToU8(
      `<styleSheet xmlns="${MAIN_NS}"><numFmts>${options.numFmts ?? ""}</numFmts>` +
        `<cellXfs>${options.xfs ?? '<xf numFmtId="0"/>'}</cellXfs></styleSheet>`,
    ),
    "xl/worksheets/data.xml": strToU8(
      `<worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>`,
    ),
  };
  return zipSync(files);
}

Deno.test("writeXlsx → readXlsx round-trips strings, numbers, blanks and odd characters", () => {
  const rows = [
    ["time", "start", "note"],
    [" 2023/06/26", 2.31, 'a & b <c> "d"'],
    [" 2023/06/27", -1.5e-12, null],
    [],
    ["中文 日期", 123456789012, "  padded  "],
  ];
  const bytes = writeXlsx(rows, { sheetName: "bars" });
  const sheet = readXlsx(bytes);
  assert.equal(sheet.name, "bars");
  assert.deepEqual(sheet.sheetNames, ["bars"]);
  assert.deepEqual(sheet.rows, [
    ["time", "start", "note"],
    [" 2023/06/26", 2.31, 'a & b <c> "d"'],
    [" 2023/06/27", -1.5e-12],
    [],
    ["中文 日期", 123456789012, "  padded  "],
  ]);
});

Deno.test("writeXlsx output is a well-formed package: every part parses, content types first", () => {
  const bytes = writeXlsx([["a", 1]]);
  const parts = unzipSync(bytes);
  assert.equal(Object.keys(parts)[0], "[Content_Types].xml");
  for (
    const name of ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "_rels/.rels"]
  ) {
    const text = new TextDecoder().decode(parts[name]);
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>/);
    // Balanced tags: every opened element is closed (a cheap well-formedness check).
    const stack: string[] = [];
    for (const match of text.matchAll(/<(\/?)([A-Za-z:]+)[^>]*?(\/?)>/g)) {
      if (match[3] === "/") continue;
      if (match[1] === "/") {
        assert.equal(stack.pop(), match[2], `${name}: </${match[2]}> closes the wrong element`);
      } else stack.push(match[2]);
    }
    assert.deepEqual(stack, [], `${name}: unclosed elements`);
  }
  assert.deepEqual(writeXlsx([["a", 1]]), bytes, "identical input gives identical bytes");
});

Deno.test("writeXlsx refuses values a workbook cannot hold", () => {
  assert.throws(() => writeXlsx([[NaN]]), /cell A1 is NaN/);
  assert.throws(() => writeXlsx([[1, Infinity]]), /cell B1 is Infinity/);
  assert.throws(() => writeXlsx([["ok"], ["bad\u0001"]]), /cell A2 holds a control character/);
  assert.throws(() => writeXlsx([], { sheetName: "a/b" }), /invalid sheet name/);
  assert.throws(() => writeXlsx([], { sheetName: "x".repeat(32) }), /invalid sheet name/);
});

Deno.test("readXlsx: shared strings, rich text, booleans, errors, formula strings, date styles", () => {
  const bytes = excelStyleWorkbook(
    `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="b"><v>1</v></c></row>` +
      `<row r="3"><c r="A3" s="1"><v>45103</v></c><c r="B3" s="2"><v>45104.5</v></c>` +
      `<c r="C3" t="e"><v>#DIV/0!</v></c><c r="D3" t="str"><v>x&amp;y</v></c><c r="E3" s="3"><v>0.25</v></c></row>`,
    {
      shared: [
        "<t>date</t>",
        '<r><t>cl</t></r><r><t xml:space="preserve">ose</t></r><rPh><t>ignored</t></rPh>',
      ],
      numFmts: `<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
        `<numFmt numFmtId="165" formatCode="0.00%"/>`,
      xfs: `<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>`,
    },
  );
  const sheet = readXlsx(bytes);
  assert.equal(sheet.name, "First & only");
  assert.deepEqual(sheet.rows[0], ["date", "close", null, true]);
  assert.deepEqual(sheet.rows[1], []);
  const row = sheet.rows[2];
  assert.ok(row[0] instanceof Date && row[0].toISOString() === "2023-06-26T00:00:00.000Z");
  assert.ok(row[1] instanceof Date && row[1].toISOString() === "2023-06-27T12:00:00.000Z");
  assert.ok(row[2] instanceof XlsxCellError && row[2].code === "#DIV/0!");
  assert.equal(row[3], "x&y");
  assert.equal(row[4], 0.25, "a percent format is not a date");
});

Deno.test("isDateFormatCode tells date formats from number formats", () => {
  for (const code of ["yyyy-mm-dd", "m/d/yy h:mm", '[$-804]yyyy"年"m"月"', "dd/mm/yyyy;@", "hh:mm:ss"]) {
    assert.ok(isDateFormatCode(code), code);
  }
  for (const code of ["0.00%", "#,##0.00", "General", "0.00E+00", "[Red]0.00", '"days"0']) {
    assert.ok(!isDateFormatCode(code), code);
  }
  assert.equal(columnName(0), "A");
  assert.equal(columnName(25), "Z");
  assert.equal(columnName(27), "AB");
  assert.equal(columnName(16383), "XFD");
});

Deno.test("readXlsxAsync gives the same sheet as readXlsx", async () => {
  const bytes = writeXlsx([["a", "b"], [1, 2], ["x", null, 3]]);
  assert.deepEqual(await readXlsxAsync(bytes), readXlsx(bytes));
});

// ---- malformed workbooks: a clear XlsxError each, never a crash or a hang ----

function expectXlsxError(bytes: Uint8Array, pattern: RegExp, args = {}) {
  assert.throws(() => readXlsx(bytes, args), (error: unknown) => {
    assert.ok(error instanceof XlsxError, `expected XlsxError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("readXlsx: empty file, PNG, PDF, text and old .xls are named for what they are", () => {
  expectXlsxError(new Uint8Array(0), /empty \(0 bytes\)/);
  expectXlsxError(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /PNG image/);
  expectXlsxError(strToU8("%PDF-1.7 ..."), /PDF document/);
  expectXlsxError(strToU8("date,open,high\n2024-01-01,1,2\n"), /text file/);
  expectXlsxError(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /old binary \.xls/);
  expectXlsxError(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x04]), /not a zip archive/);
});

Deno.test("readXlsx: truncated archives are reported, at every cut point", () => {
  const bytes = writeXlsx([["date", "close"], ["2024-01-02", 1], ["2024-01-03", 2]]);
  for (const keep of [4, 30, Math.floor(bytes.length / 2), bytes.length - 30, bytes.length - 1]) {
    expectXlsxError(bytes.subarray(0, keep), /truncated|damaged|cannot be unpacked/);
  }
});

Deno.test("readXlsx: a zip without a workbook, or a damaged worksheet, is refused", () => {
  expectXlsxError(zipSync({ "hello.txt": strToU8("hi") }), /not an xlsx workbook/);
  expectXlsxError(excelStyleWorkbook(`<row r="1"><c r="A1"><v>1</v>`), /never closed|truncated/);
  expectXlsxError(
    excelStyleWorkbook(`<row r="1"><c r="A1"><v>abc</v></c></row>`),
    /cell A1 is typed as a number but holds "abc"/,
  );
  expectXlsxError(
    excelStyleWorkbook(`<row r="1"><c r="A1" t="s"><v>7</v></c></row>`),
    /missing shared string 7/,
  );
  expectXlsxError(excelStyleWorkbook(`<row r="2"></row><row r="1"></row>`), /out of order/);
});

Deno.test("readXlsx: zip bombs and absurd sizes are capped", () => {
  // A part whose central directory understates its size: unpacking must stop, not balloon.
  const big = writeXlsx([["x".repeat(1000)], ...Array.from({ length: 200 }, () => ["y".repeat(1000)])]);
  const patched = big.slice();
  const view = new DataView(patched.buffer);
  for (let p = patched.length - 22; p >= 0; p--) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(p + 28, true);
    const name = new TextDecoder().decode(patched.subarray(p + 46, p + 46 + nameLength));
    if (name === "xl/worksheets/sheet1.xml") view.setUint32(p + 24, 1000, true);
  }
  expectXlsxError(patched, /unpacks to more than its declared 1000 bytes/);
  expectXlsxError(big, /unpacks to \d+ bytes, more than the limit of 10000/, { maxUnpackedBytes: 10_000 });
  expectXlsxError(big, /more than the limit of 100/, { maxFileBytes: 100 });
  expectXlsxError(big, /more than 50 rows/, { maxRows: 50 });
  // Both size refusals are typed, naming the part and the cap.
  for (
    const [bytes, args, kind] of [[patched, {}, "declared"], [
      big,
      { maxUnpackedBytes: 10_000 },
      "limit",
    ]] as const
  ) {
    assert.throws(() => readXlsx(bytes, args), (error: unknown) => {
      assert.ok(error instanceof XlsxUnpackLimitError, String(error));
      assert.equal(error.part, "xl/worksheets/sheet1.xml");
      assert.equal(error.limitKind, kind);
      assert.equal(error.limit, kind === "declared" ? 1000 : 10_000);
      return true;
    });
  }
});

Deno.test("readXlsxAsync: native unpacking keeps the same caps", async () => {
  const big = writeXlsx(Array.from({ length: 300 }, () => ["z".repeat(500)]));
  await assert.rejects(
    () => readXlsxAsync(big, { maxUnpackedBytes: 10_000 }),
    /more than the limit of 10000/,
  );
  await assert.rejects(() => readXlsxAsync(big.subarray(0, big.length - 200)), XlsxError);
});

Deno.test("readXlsx: the fast number path matches Number() on awkward values", () => {
  // (-0 is left out: spreadsheets have no negative zero, and the writer writes it as 0.)
  const values = [
    0,
    1,
    -1,
    2.31,
    -0.00837521992427365,
    35.53999999999996,
    123456789012345,
    1234567890123456789,
    1e-7,
    -2.5e-10,
    6.02e23,
    0.1 + 0.2,
    999999999999999.9,
    Number.MAX_SAFE_INTEGER,
  ];
  const sheet = readXlsx(writeXlsx([values]));
  sheet.rows[0].forEach((cell, i) =>
    assert.ok(Object.is(cell, values[i]), `${values[i]} came back as ${cell}`)
  );
  // Hand-written cells the writer would not produce: leading zeros, "+", trailing dot, spaces → still exact.
  const odd = excelStyleWorkbook(
    `<row r="1"><c r="A1" t="n"><v>007.50</v></c><c r="B1"><v>+3</v></c><c r="C1"><v>5.</v></c>` +
      `<c r="D1"><v> 4 </v></c><c r="E1" s="0"><v>1E3</v></c></row>`,
  );
  assert.deepEqual(readXlsx(odd).rows[0], [7.5, 3, 5, 4, 1000]);
});

Deno.test("parseBars on an Excel-made workbook: shared-string headers, date-styled serials → generic xlsx bars", async () => {
  const header = ["Date", "Open", "High", "Low", "Close", "Volume"];
  const cells = (values: (number | string)[], row: number, style = "") =>
    values.map((value, c) => {
      const ref = `${columnName(c)}${row}`;
      if (typeof value === "string") return `<c r="${ref}" t="s"><v>${header.indexOf(value)}</v></c>`;
      return `<c r="${ref}"${c === 0 ? style : ""}><v>${value}</v></c>`;
    }).join("");
  const rows = [`<row r="1">${cells(header, 1)}</row>`];
  for (let i = 0; i < 5; i++) {
    rows.push(`<row r="${i + 2}">${cells([45103 + i, 10, 11, 9, 10.5, 1000], i + 2, ' s="1"')}</row>`);
  }
  const bytes = excelStyleWorkbook(rows.join(""), {
    shared: header.map((text) => `<t>${text}</t>`),
    xfs: `<xf numFmtId="0"/><xf numFmtId="14"/>`,
  });
  const bars = await parseBars(bytes, { file: "portal_export.xlsx", minRows: 5 });
  assert.equal(bars.meta.format, "xlsx");
  assert.deepEqual(bars.dates, ["2023-06-26", "2023-06-27", "2023-06-28", "2023-06-29", "2023-06-30"]);
  assert.deepEqual(Array.from(bars.close), [10.5, 10.5, 10.5, 10.5, 10.5]);
});
