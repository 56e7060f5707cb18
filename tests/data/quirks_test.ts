// Vendor quirks (dropQuirkRows): Yahoo's all-null holiday rows, a blank volume among valid prices, a low a hair
// above the open. Rejected by default with the usual errors; dropped and listed one by one with the option.
import assert from "node:assert/strict";
import { checkFile, loadBars, loadFolder, QUIRK_PRICE_SHARE } from "../../lib/data/mod.ts";
import { csvText, days, findError, tempFolder, writeIn } from "./_helpers.ts";

/** 70 valid rows with three quirk rows: a null row (row 6), a blank volume (row 11), low 0.29% above open (row 21). */
function quirkyCsv(): string {
  return csvText(70, (lines) => {
    lines[5] = `${days(70)[4]},null,null,null,null,null,null`;
    const volume = lines[10].split(",");
    volume[5] = "";
    lines[10] = volume.join(",");
    const hair = lines[20].split(","); // data row 19: open 10.5, high 11, low 10, close 10.7
    hair[3] = "10.53";
    lines[20] = hair.join(",");
  });
}

Deno.test("quirk rows are errors by default, each naming row, column and value", async () => {
  const folder = await tempFolder();
  try {
    const path = await writeIn(folder.path, "yahoo_600000.csv", quirkyCsv());
    const report = await checkFile(path);
    assert.equal(report.ok, false);
    findError(report.errors, { row: 6, column: "open", value: "null", message: /missing-value marker/ });
    findError(report.errors, { row: 11, column: "volume", value: "", message: /volume is blank/ });
    findError(report.errors, {
      row: 21,
      column: "low",
      value: "10.53",
      message: /low 10.53 is above open 10.5/,
    });
    assert.deepEqual(report.quirkRows, []);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("dropQuirkRows drops exactly the quirk rows and lists each (file, row, date, quirk)", async () => {
  const folder = await tempFolder();
  try {
    const path = await writeIn(folder.path, "yahoo_600000.csv", quirkyCsv());
    const report = await checkFile(path, { dropQuirkRows: true });
    assert.equal(report.ok, true, report.errors.map((error) => error.message).join("\n"));
    assert.equal(report.rows, 67);
    const dates = days(70);
    assert.deepEqual(report.quirkRows.map(({ file, row, date, quirk }) => ({ file, row, date, quirk })), [
      { file: path, row: 6, date: dates[4], quirk: "blank-row" },
      { file: path, row: 11, date: dates[9], quirk: "blank-volume" },
      { file: path, row: 21, date: dates[19], quirk: "price-off-by-a-hair" },
    ]);
    assert.match(report.quirkRows[2].detail, /low 10.53 is above open 10.5 .* by 0.29% of the price/);
    assert.match(report.warnings.join("\n"), /dropped 3 rows of vendor quirks \(1 blank-row, 1 blank-volume/);
    const bars = await loadBars(path, { dropQuirkRows: true });
    assert.ok(
      !bars.dates.includes(dates[4]) && !bars.dates.includes(dates[9]) && !bars.dates.includes(dates[19]),
    );
    assert.equal(bars.dates.length, 67);
    assert.equal(bars.meta.quirkRows?.length, 3);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("dropQuirkRows keeps real errors: a low 1% above the open, a word as volume, high below low", async () => {
  const folder = await tempFolder();
  try {
    const path = await writeIn(
      folder.path,
      "bad_600000.csv",
      csvText(70, (lines) => {
        const far = lines[20].split(","); // open 10.5
        far[3] = String(+(10.5 * (1 + 2 * QUIRK_PRICE_SHARE)).toFixed(4));
        lines[20] = far.join(",");
        const word = lines[30].split(",");
        word[5] = "abc";
        lines[30] = word.join(",");
        const crossed = lines[40].split(",");
        crossed[2] = "9";
        crossed[3] = "9.5";
        lines[40] = crossed.join(",");
      }),
    );
    const report = await checkFile(path, { dropQuirkRows: true });
    assert.equal(report.ok, false);
    findError(report.errors, { row: 21, column: "low", message: /low 10.605 is above open 10.5/ });
    findError(report.errors, { row: 31, column: "volume", value: "abc", message: /not a number/ });
    findError(report.errors, { row: 41, column: "high", value: "9", message: /high 9 is below low 9.5/ });
    assert.deepEqual(report.quirkRows, []);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("loadFolder recursive reads subfolders depth first; hidden folders are ignored; without it they are listed", async () => {
  const folder = await tempFolder();
  try {
    await Deno.mkdir(`${folder.path}/sub/deeper`, { recursive: true });
    await Deno.mkdir(`${folder.path}/.git`);
    await writeIn(folder.path, "a_600001.csv", csvText(70));
    await writeIn(`${folder.path}/sub`, "b_600002.csv", csvText(70));
    await writeIn(`${folder.path}/sub/deeper`, "c_600003.csv", csvText(70));
    await writeIn(`${folder.path}/.git`, "d_600004.csv", csvText(70));
    const flat = await loadFolder(folder.path, { onError: "skip" });
    assert.deepEqual([...flat.tables.keys()], ["600001"]);
    assert.match(flat.ignored.find((report) => report.file.endsWith("/sub"))!.warnings[0], /pass recursive/);
    const deep = await loadFolder(folder.path, { onError: "skip", recursive: true });
    assert.deepEqual([...deep.tables.keys()], ["600001", "600002", "600003"]);
    assert.deepEqual(deep.reports.map((report) => report.file.slice(folder.path.length + 1)), [
      ".git",
      "a_600001.csv",
      "sub/b_600002.csv",
      "sub/deeper/c_600003.csv",
    ]);
    assert.match(deep.ignored[0].warnings[0], /a hidden folder/);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("loadFolder recursive: two subfolders with the same file name keep both tables, keyed by path", async () => {
  const folder = await tempFolder();
  try {
    await Deno.mkdir(`${folder.path}/x`);
    await Deno.mkdir(`${folder.path}/y`);
    await writeIn(`${folder.path}/x`, "prices.csv", csvText(70));
    await writeIn(`${folder.path}/y`, "prices.csv", csvText(80));
    const { tables } = await loadFolder(folder.path, { recursive: true });
    assert.deepEqual([...tables.keys()], ["x/prices", "y/prices"]);
    assert.equal(tables.get("y/prices")!.length, 80);
  } finally {
    await folder.cleanup();
  }
});
