// Malformed inputs across the formats: each must give a clear error naming file, row, column and value —
// no crash, no hang, nothing dropped silently. Inputs are built here, in temp folders.
import assert from "node:assert/strict";
import { gzipSync, strToU8 } from "fflate";
import { checkFile, DataLoadError, loadBars, loadFolder, writeXlsx } from "../../lib/data/mod.ts";
import { barRows, csvText, findError, tdxBytes, tempFolder, writeIn } from "./_helpers.ts";

const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
]);

/** Writes one input, checks it, and asserts it is invalid with an error matching `expected`. */
async function expectInvalid(
  name: string,
  content: string | Uint8Array,
  expected: { row?: number | null; column?: string | null; value?: string | null; message: RegExp },
  args = {},
) {
  const folder = await tempFolder();
  try {
    const path = await writeIn(folder.path, name, content);
    const report = await checkFile(path, args);
    assert.equal(report.ok, false, `${name} should be invalid`);
    const error = findError(report.errors, expected);
    assert.equal(error.file, path);
    assert.ok(error.message.startsWith(path), `message names the file: ${error.message}`);
    // The throwing loader agrees, and its message lists the problem.
    await assert.rejects(() => loadBars(path, args), (thrown: unknown) => {
      assert.ok(thrown instanceof DataLoadError);
      assert.ok(thrown.errors.length >= 1);
      return true;
    });
    return report;
  } finally {
    await folder.cleanup();
  }
}

// ---------------------------------------------------------------- CSV

Deno.test("csv 1: an empty file", async () => {
  await expectInvalid("empty.csv", "", { row: null, message: /empty file \(0 bytes\), not CSV text/ });
});

Deno.test("csv 2: a PNG renamed .csv", async () => {
  await expectInvalid("chart.csv", PNG, { message: /is a PNG image, not CSV text/ });
});

Deno.test("csv 3: an xlsx workbook renamed .csv", async () => {
  await expectInvalid("book.csv", writeXlsx([["date"]]), { message: /zip archive \(an xlsx workbook\?\)/ });
});

Deno.test("csv 4: a required column is missing", async () => {
  const text = csvText(70, (lines) => {
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i].split(",").filter((_, k) => k !== 2).join(",");
  });
  await expectInvalid("nohigh.csv", text, {
    row: null,
    message: /missing required column "high" \(accepted names: high, max, 最高/,
  });
});

Deno.test("csv 5: wrong headers altogether are listed back", async () => {
  await expectInvalid("other.csv", "a,b,c\n1,2,3\n", {
    message: /missing required column "date".*the header has "a", "b", "c"/,
  });
});

Deno.test("csv 6: a blank cell", async () => {
  const text = csvText(70, (lines) => lines[5] = lines[5].replace(/,[\d.]+,(\d+),(\d+)$/, ",,$1,$2"));
  await expectInvalid("blank.csv", text, { row: 6, column: "close", value: "", message: /close is blank/ });
});

Deno.test("csv 7: a text cell where a number belongs", async () => {
  const text = csvText(70, (lines) => lines[9] = lines[9].replace(/,(\d+),(\d+)$/, ",lots,$2"));
  await expectInvalid("text.csv", text, {
    row: 10,
    column: "volume",
    value: "lots",
    message: /volume is not a number/,
  });
});

Deno.test("csv 8: a duplicate date names both rows", async () => {
  const text = csvText(70, (lines) => lines[8] = lines[8].replace(/^[\d-]+/, lines[7].slice(0, 10)));
  await expectInvalid("dup.csv", text, {
    row: 9,
    column: "date",
    value: "2024-01-07",
    message: /duplicate date \(also on row 8\)/,
  });
});

Deno.test("csv 9: unsorted dates", async () => {
  const text = csvText(70, (lines) => [lines[20], lines[30]] = [lines[30], lines[20]]);
  const report = await expectInvalid("unsorted.csv", text, {
    row: 22,
    column: "date",
    value: "2024-01-21",
    message: /out of order: 2024-01-21 comes after 2024-01-30 \(row 21\)/,
  });
  assert.ok(report.errors.every((error) => error.row !== null));
});

Deno.test("csv 10: high below low", async () => {
  const text = csvText(70, (lines) => lines[3] = "2024-01-03,10,9,11,10,100,1000");
  await expectInvalid("highlow.csv", text, {
    row: 4,
    column: "high",
    value: "9",
    message: /high 9 is below low 11/,
  });
});

Deno.test("csv 11: high below close beyond the rounding tolerance (within it is fine)", async () => {
  const bad = csvText(70, (lines) => lines[12] = "2024-01-12,10,10.2,9.8,10.25,100,1000");
  await expectInvalid("highclose.csv", bad, {
    row: 13,
    column: "high",
    value: "10.2",
    message: /below open 10 or close 10.25/,
  });
  const folder = await tempFolder();
  try {
    const ok = csvText(70, (lines) => lines[12] = "2024-01-12,10,10.2,9.8,10.204,100,1000");
    assert.equal((await checkFile(await writeIn(folder.path, "ok.csv", ok))).ok, true);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("csv 12: low above open", async () => {
  const text = csvText(70, (lines) => lines[2] = "2024-01-02,9.5,10.5,9.9,10,100,1000");
  await expectInvalid("lowopen.csv", text, {
    row: 3,
    column: "low",
    value: "9.9",
    message: /low 9.9 is above open 9.5/,
  });
});

Deno.test("csv 13: a non-positive price in an unadjusted file", async () => {
  const text = csvText(70, (lines) => lines[4] = "2024-01-04,0,0,0,0,100,0");
  await expectInvalid("zero.csv", text, {
    row: 5,
    column: "open",
    value: "0",
    message: /open price is not positive/,
  });
});

Deno.test("csv 14: a negative volume", async () => {
  const text = csvText(70, (lines) => lines[6] = lines[6].replace(/,(\d+),(\d+)$/, ",-5,$2"));
  await expectInvalid("negvol.csv", text, {
    row: 7,
    column: "volume",
    value: "-5",
    message: /volume is negative/,
  });
});

Deno.test("csv 15: an impossible calendar date", async () => {
  const text = csvText(70, (lines) => lines.push("2023-02-30,10,11,9,10,1,1"));
  await expectInvalid("feb30.csv", text, {
    row: 72,
    column: "date",
    value: "2023-02-30",
    message: /not a real calendar date/,
  });
});

Deno.test("csv 16: a date that is not a date", async () => {
  const text = csvText(70, (lines) => lines[1] = lines[1].replace(/^[\d-]+/, "yesterday"));
  await expectInvalid("word.csv", text, {
    row: 2,
    column: "date",
    value: "yesterday",
    message: /is not a date/,
  });
});

Deno.test("csv 17: too few rows for the configured minimum", async () => {
  await expectInvalid("short.csv", csvText(60), {
    row: null,
    value: "60",
    message: /only 60 data rows; at least 61/,
  });
  await expectInvalid("short10.csv", csvText(5), { message: /only 5 data rows; at least 10/ }, {
    minRows: 10,
  });
});

Deno.test("csv 18: a truncated last line", async () => {
  const text = csvText(70).replace(/,[\d.]+,\d+,\d+\n$/, "\n");
  await expectInvalid("cut.csv", text, {
    row: 71,
    message: /row has 4 cells but the header has 7 \(truncated line\?\)/,
  });
});

Deno.test("csv 19: an unterminated quote", async () => {
  const text = csvText(70) + '2024-03-20,"10,11,9,10,1,1\n';
  await expectInvalid("quote.csv", text, {
    row: 72,
    message: /quoted cell opened on this row is never closed/,
  });
});

Deno.test("csv 20: wrong encoding (neither UTF-8 nor GBK; UTF-16)", async () => {
  const latin = strToU8(csvText(70));
  const broken = new Uint8Array([...latin.subarray(0, 40), 0xff, 0xff, ...latin.subarray(40)]);
  await expectInvalid("latin.csv", broken, { message: /neither UTF-8 nor GBK/ });
  const utf16 = new Uint8Array(latin.length * 2);
  latin.forEach((byte, i) => utf16[2 * i] = byte);
  await expectInvalid("utf16.csv", utf16, { message: /UTF-16 text, not CSV text/ });
});

Deno.test("csv 21: a huge file is refused before reading", async () => {
  await expectInvalid("huge.csv", csvText(200), { message: /more than the limit of 1000 \(maxFileBytes\)/ }, {
    maxFileBytes: 1000,
  });
});

Deno.test("csv 22: too many rows", async () => {
  await expectInvalid("long.csv", csvText(150), {
    value: "150",
    message: /at most 100 are allowed \(maxRows\)/,
  }, {
    maxRows: 100,
  });
});

Deno.test("csv 23: one file mixing two securities", async () => {
  const rows = barRows(70).map((row, i) =>
    [row[0], i === 40 ? "sz.000002" : "sh.600000", ...row.slice(1)].join(",")
  );
  const text = ["date,code,open,high,low,close,volume,amount", ...rows].join("\n");
  await expectInvalid("mixed.csv", text, {
    row: 42,
    column: "code",
    value: "sz.000002",
    message: /mixes securities/,
  });
});

Deno.test("csv 24: a percentage in a price column, a missing-value marker, a time of day", async () => {
  await expectInvalid("pct.csv", csvText(70, (lines) => lines[3] = "2024-01-03,10,11,9,5%,1,1"), {
    row: 4,
    column: "close",
    value: "5%",
    message: /percentage where a plain number belongs/,
  });
  await expectInvalid("none.csv", csvText(70, (lines) => lines[3] = "2024-01-03,10,11,9,None,1,1"), {
    row: 4,
    value: "None",
    message: /missing-value marker/,
  });
  await expectInvalid(
    "intraday.csv",
    csvText(70, (lines) => lines[3] = "2024-01-03 10:30:00,10,11,9,10,1,1"),
    {
      row: 4,
      column: "date",
      message: /has a time of day/,
    },
  );
});

Deno.test("csv 25: .csv.gz that is not gzip, truncated gzip, and a gzip bomb", async () => {
  await expectInvalid("plain.csv.gz", csvText(70), { message: /named \.gz but is text, not gzip/ });
  const gz = gzipSync(strToU8(csvText(500)));
  await expectInvalid("cut.csv.gz", gz.subarray(0, gz.length - 40), {
    message: /gzip data is damaged or truncated/,
  });
  const bomb = gzipSync(new Uint8Array(20_000_000).fill(0x31), { level: 9 });
  assert.ok(bomb.length < 100_000);
  await expectInvalid("bomb.csv.gz", bomb, { message: /unpacks to more than the limit of 1000000 bytes/ }, {
    maxUnpackedBytes: 1_000_000,
  });
});

Deno.test("csv: errors are collected across the whole file, up to the cap", async () => {
  const text = csvText(300, (lines) => {
    for (let i = 1; i < lines.length; i += 2) lines[i] = lines[i].replace(/,(\d+),(\d+)$/, ",x,$2");
  });
  const report = await expectInvalid("many.csv", text, { row: 2, column: "volume", message: /not a number/ });
  assert.equal(report.errors.length, 101, "100 listed + 1 counting the rest");
  assert.match(report.errors[100].message, /50 more problems not listed \(maxErrors 100\)/);
});

// ---------------------------------------------------------------- TDX

Deno.test("tdx 26: line 1 is not a TDX title", async () => {
  await expectInvalid("SH#600000.txt", tdxBytes(70, { title: "hello world" }), {
    row: 1,
    value: "hello world",
    message: /not a TDX export: line 1/,
  });
});

Deno.test("tdx 27: a weekly export is refused", async () => {
  await expectInvalid("SH#600000.txt", tdxBytes(70, { title: "600000 测试股票 周线 前复权" }), {
    row: 1,
    message: /a 周线 export; daily bars \(日线\) are needed/,
  });
});

Deno.test("tdx 28: a truncated export (no footer, last row cut) is an error with a warning", async () => {
  const report = await expectInvalid(
    "SH#600000.txt",
    tdxBytes(70, {
      edit: (lines) => lines.splice(-2, 2, lines[lines.length - 2].split("\t").slice(0, 3).join("\t")),
    }),
    { row: 72, message: /row has 3 cells but the header has 7/ },
  );
  assert.ok(report.warnings.some((warning) => /no 数据来源:通达信 footer/.test(warning)));
});

Deno.test("tdx 29: prices ≤ 0 in an unadjusted (不复权) export are errors", async () => {
  await expectInvalid(
    "SZ#000002.txt",
    tdxBytes(70, {
      title: "000002 测试股票 日线 不复权",
      edit: (lines) => lines[2] = "2024/01/01\t-0.1\t0.1\t-0.2\t0.05\t10\t10",
    }),
    { row: 3, column: "开盘", value: "-0.1", message: /open price is not positive/ },
  );
});

Deno.test("tdx 30: rows after the footer, and a text cell, point at their lines", async () => {
  const report = await expectInvalid(
    "SH#600000.txt",
    tdxBytes(70, {
      edit: (lines) => {
        lines[10] = lines[10].replace(/\t[\d.]+\t(\d+)\t(\d+)$/, "\t--\t$1\t$2");
        lines.push("2024/05/01\t1\t1\t1\t1\t1\t1");
      },
    }),
    { row: 11, column: "收盘", value: "--", message: /close is a missing-value marker/ },
  );
  findError(report.errors, { row: 74, message: /rows follow the 数据来源:通达信 footer/ });
});

Deno.test("tdx: forward-adjusted prices ≤ 0 are kept with a warning, dropped only when asked", async () => {
  const folder = await tempFolder();
  try {
    const bytes = tdxBytes(80, {
      edit: (lines) => {
        for (let i = 2; i < 7; i++) {
          lines[i] = lines[i].replace(/\t[^\t]+\t[^\t]+\t[^\t]+\t[^\t]+\t/, "\t-0.3\t0.1\t-0.5\t-0.2\t");
        }
      },
    });
    const path = await writeIn(folder.path, "SH#600000.txt", bytes);
    const kept = await loadBars(path);
    assert.equal(kept.length, 80);
    assert.equal(kept.meta.adjustment, "forward");
    assert.equal(kept.meta.name, "测试股票");
    assert.equal(kept.meta.encoding, "gbk");
    assert.match(
      kept.meta.warnings.join(),
      /5 rows \(rows 3\.\.7, 2024-01-01\.\.2024-01-05\) have prices ≤ 0.*kept/,
    );
    const dropped = await loadBars(path, { dropNonPositivePrices: true });
    assert.equal(dropped.length, 75);
    assert.equal(dropped.first, "2024-01-06");
    assert.match(dropped.meta.warnings.join(), /dropped 5 rows .* as asked/);
  } finally {
    await folder.cleanup();
  }
});

// ---------------------------------------------------------------- xlsx

function equinetRows(count: number): (string | number | null)[][] {
  return [
    ["time", "start", "max", "min", "end", "volume", "marketvolume", "marketlimit", "marketrange"],
    ...barRows(count).map((
      row,
    ) => [` ${String(row[0]).replaceAll("-", "/")}`, ...row.slice(1, 6), 3e8, "-1%", 30.5]),
  ];
}

Deno.test("xlsx 31: an empty file, a PNG and a truncated workbook named .xlsx", async () => {
  await expectInvalid("processed_000001.xlsx", new Uint8Array(0), {
    message: /the file is empty \(0 bytes\)/,
  });
  await expectInvalid("processed_000002.xlsx", PNG, { message: /is a PNG image, not an xlsx workbook/ });
  const bytes = writeXlsx(equinetRows(70));
  await expectInvalid("processed_000003.xlsx", bytes.subarray(0, bytes.length - 100), {
    message: /truncated|damaged/,
  });
});

Deno.test("xlsx 32: a text cell in a price column names the cell", async () => {
  const rows = equinetRows(70);
  rows[6][3] = "n/a";
  await expectInvalid("processed_000004.xlsx", writeXlsx(rows), {
    row: 7,
    column: "min",
    value: "n/a",
    message: /low is not a number \(cell D7\)/,
  });
});

Deno.test("xlsx 33: EquiNet needs more than 60 rows", async () => {
  await expectInvalid("processed_000005.xlsx", writeXlsx(equinetRows(60)), {
    message: /only 60 data rows; at least 61/,
  });
});

Deno.test("xlsx 34: wrong headers in a workbook", async () => {
  await expectInvalid("prices.xlsx", writeXlsx([["when", "price"], ["2024-01-01", 1]]), {
    message: /missing required column "date"/,
  });
});

Deno.test("xlsx 35: a blank date and a duplicate date in a workbook", async () => {
  const rows = equinetRows(70);
  rows[3][0] = null;
  rows[9][0] = rows[8][0];
  const report = await expectInvalid("processed_000006.xlsx", writeXlsx(rows), {
    row: 4,
    column: "time",
    message: /date is blank \(cell A4\)/,
  });
  findError(report.errors, {
    row: 10,
    column: "time",
    value: "2024-01-08",
    message: /duplicate date \(also on row 9\)/,
  });
});

Deno.test("xlsx: percent strings in marketlimit are fractions; numeric strings are numbers", async () => {
  const rows = equinetRows(70);
  rows[1][1] = " 10.00 ";
  const folder = await tempFolder();
  try {
    const bars = await loadBars(await writeIn(folder.path, "processed_600000.xlsx", writeXlsx(rows)));
    assert.equal(bars.meta.format, "equinet-xlsx");
    assert.equal(bars.meta.code, "600000");
    assert.equal(bars.open[0], 10);
    assert.equal(bars.marketlimit![0], -0.01);
    assert.equal(bars.first, "2024-01-01");
  } finally {
    await folder.cleanup();
  }
});

// ---------------------------------------------------------------- folders

Deno.test("folder: stop mode throws at the first bad file; skip mode lists it; notes are ignored", async () => {
  const folder = await tempFolder();
  try {
    await writeIn(folder.path, "a_600000.csv", csvText(70));
    await writeIn(folder.path, "b_600001.csv", csvText(70, (lines) => lines[5] = "2024-01-05,1,1,1,x,1,1"));
    await writeIn(folder.path, "c_600002.csv", csvText(70));
    await writeIn(folder.path, "LICENSE", "MIT");
    await writeIn(folder.path, "README.md", "# notes");
    await Deno.mkdir(`${folder.path}/old`);
    await assert.rejects(() => loadFolder(folder.path), (error: unknown) => {
      assert.ok(error instanceof DataLoadError);
      assert.match(error.file, /b_600001\.csv$/);
      assert.match(error.message, /row 6, column "close": close is not a number \(value "x"\)/);
      return true;
    });
    const result = await loadFolder(folder.path, { onError: "skip" });
    assert.deepEqual([...result.tables.keys()].sort(), ["600000", "600002"]);
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0].file, /b_600001\.csv$/);
    assert.deepEqual(result.ignored.map((report) => report.file.replace(/^.*\//, "")), [
      "LICENSE",
      "README.md",
      "old",
    ]);
    assert.ok(
      result.ignored.every((report) =>
        report.ok && report.skipped && report.warnings[0].startsWith("ignored")
      ),
    );
    assert.equal(result.reports.length, 6);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("folder: workers give the same tables and reports as the main thread", async () => {
  const folder = await tempFolder();
  try {
    for (let k = 0; k < 4; k++) await writeIn(folder.path, `s_60000${k}.csv`, csvText(70 + k));
    await writeIn(folder.path, "s_600009.csv", csvText(70, (lines) => lines[2] = "2024-01-02,1,1,1,1,-1,1"));
    const inline = await loadFolder(folder.path, { onError: "skip", workers: 0 });
    const threaded = await loadFolder(folder.path, { onError: "skip", workers: 2 });
    assert.deepEqual(
      threaded.reports.map((report) => [report.ok, report.rows, report.errors.map((error) => error.message)]),
      inline.reports.map((report) => [report.ok, report.rows, report.errors.map((error) => error.message)]),
    );
    assert.deepEqual(threaded.tables.get("600003")!.close, inline.tables.get("600003")!.close);
  } finally {
    await folder.cleanup();
  }
});
