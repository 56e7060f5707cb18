// loadEquiNetUniverse on a folder tree of TDX and CSV files with a market index: invalid files and short
// stocks are listed with their reasons and left out; quirk rows are rejected by default and dropped, one by
// one, with dropQuirkRows; files without market columns and no index are a clear error.
import assert from "node:assert/strict";
import { loadEquiNetUniverse } from "../../lib/features/mod.ts";
import { assertClose } from "../_close.ts";
import { CORRECTED_WINDOWS, equiNetStudy, universeExclusionRows } from "../../lib/experiments/mod.ts";
import { csvText, days, tdxBytes, tempFolder, writeIn } from "../data/_helpers.ts";

async function universeTree(root: string): Promise<{ folder: string; index: string }> {
  const folder = `${root}/universe`;
  await Deno.mkdir(`${folder}/sub/deeper`, { recursive: true });
  // Quirks: Yahoo's null row (row 6) and a low 0.29% above the open (row 21).
  await writeIn(
    folder,
    "quirky_600001.csv",
    csvText(120, (lines) => {
      lines[5] = `${days(120)[4]},null,null,null,null,null,null`;
      const hair = lines[20].split(",");
      hair[3] = "10.53";
      lines[20] = hair.join(",");
    }),
  );
  await writeIn(`${folder}/sub`, "SH#600002.txt", tdxBytes(120, { title: "600002 测试股票 日线 前复权" }));
  await writeIn(`${folder}/sub/deeper`, "deep_600003.csv", csvText(120));
  await writeIn(
    folder,
    "broken_600004.csv",
    csvText(120, (lines) => lines[30] = lines[30].replace(/,10\.\d+,/, ",abc,")),
  );
  await writeIn(folder, "short_600005.csv", csvText(15));
  await writeIn(folder, "README.md", "notes");
  const index = await writeIn(root, "index_000001.csv", csvText(200));
  return { folder, index };
}

Deno.test("loadEquiNetUniverse: a folder tree with a market index; rejected, short and quirky files listed", async () => {
  const root = await tempFolder();
  try {
    const { folder, index } = await universeTree(root.path);
    const strict = await loadEquiNetUniverse({ folder, marketIndex: index, windows: CORRECTED_WINDOWS });
    assert.deepEqual(strict.stocks.map((stock) => stock.code), ["600002", "600003"]);
    assert.equal(strict.reference, false);
    const rejected = Object.fromEntries(
      strict.rejected.map((entry) => [entry.file.slice(folder.length + 1), entry]),
    );
    assert.deepEqual(Object.keys(rejected).sort(), ["broken_600004.csv", "quirky_600001.csv"]);
    assert.match(
      rejected["broken_600004.csv"].reason,
      /broken_600004\.csv, row 31, column "open": open is not a number \(value "abc"\)/,
    );
    assert.match(
      rejected["quirky_600001.csv"].reason,
      /row 6, column "open": open is a missing-value marker \(value "null"\)/,
    );
    // Five problems named (the null row's cells), then the rest counted (the last null cell and row 21's low).
    assert.match(rejected["quirky_600001.csv"].reason, /row 6, column "volume".*; and 2 more problems$/);
    assert.deepEqual(strict.leftOut.map((entry) => entry.file.slice(folder.length + 1)), [
      "short_600005.csv",
    ]);
    assert.match(
      strict.leftOut[0].reason,
      /15 rows with a market row; the shortest window needs 23 \(20 days of context \+ the 3-day horizon\)/,
    );
    assert.deepEqual(strict.ignored.map((entry) => entry.file.slice(folder.length + 1)), ["README.md"]);
    assert.deepEqual(strict.quirkRows, []);
    // The market columns come from the index by date (for the stocks kept): marketlimit = index close / open - 1 of the same day.
    const deep = strict.stocks[1];
    const indexRow = csvText(200).split("\n")[1 + days(200).indexOf(deep.dates[7])].split(",");
    assertClose(deep.marketlimit[7], Number(indexRow[4]) / Number(indexRow[1]) - 1, { absolute: 1e-12 });
    assert.equal(deep.marketvolume[7], Number(indexRow[5]));
    assert.equal(strict.realigned.length, 2);

    const lenient = await loadEquiNetUniverse({
      folder,
      marketIndex: index,
      windows: CORRECTED_WINDOWS,
      dropQuirkRows: true,
    });
    assert.deepEqual(lenient.stocks.map((stock) => stock.code), ["600001", "600002", "600003"]);
    assert.deepEqual(lenient.rejected.map((entry) => entry.file.slice(folder.length + 1)), [
      "broken_600004.csv",
    ]);
    assert.deepEqual(
      lenient.quirkRows.map((
        { file, row, date, quirk },
      ) => [file.slice(folder.length + 1), row, date, quirk]),
      [
        ["quirky_600001.csv", 6, days(120)[4], "blank-row"],
        ["quirky_600001.csv", 21, days(120)[19], "price-off-by-a-hair"],
      ],
    );
    assert.equal(lenient.stocks[0].dates.length, 118);
  } finally {
    await root.cleanup();
  }
});

Deno.test("loadEquiNetUniverse: files without market columns and no index are a clear error naming them", async () => {
  const root = await tempFolder();
  try {
    const { folder } = await universeTree(root.path);
    await assert.rejects(
      () => loadEquiNetUniverse({ folder }),
      /3 of 3 files in .* have no market columns \(marketvolume, marketlimit, marketrange\): .*SH#600002\.txt.*EQUILAB_MARKET_INDEX/s,
    );
  } finally {
    await root.cleanup();
  }
});

Deno.test("equiNetStudy refuses to read the results store for another universe", async () => {
  const root = await tempFolder();
  try {
    const { folder, index } = await universeTree(root.path);
    const universe = await loadEquiNetUniverse({ folder, marketIndex: index, windows: CORRECTED_WINDOWS });
    await assert.rejects(
      () => equiNetStudy({ quick: true, experiments: ["corrected"], fromStore: true, universe }),
      /units computed on equinet-319; they do not apply to the universe .*Unset EQUILAB_FROM_STORE/,
    );
    await assert.rejects(
      () => equiNetStudy({ quick: true, experiments: ["published"], universe }),
      /published sweep runs on equinet-319 only/,
    );
  } finally {
    await root.cleanup();
  }
});

Deno.test("universeExclusionRows: one row per file left out and per quirk row dropped, paths under the folder", async () => {
  const root = await tempFolder();
  try {
    const { folder, index } = await universeTree(root.path);
    const universe = await loadEquiNetUniverse({
      folder,
      marketIndex: index,
      windows: CORRECTED_WINDOWS,
      dropQuirkRows: true,
    });
    const { files, quirkRows } = universeExclusionRows(universe);
    assert.deepEqual(files.map((row) => [row.file, row["left out"]]), [
      ["broken_600004.csv", "invalid"],
      ["short_600005.csv", "too short"],
    ]);
    assert.deepEqual(quirkRows.map((row) => [row.file, row.row, row.quirk]), [
      ["quirky_600001.csv", 6, "blank-row"],
      ["quirky_600001.csv", 21, "price-off-by-a-hair"],
    ]);
  } finally {
    await root.cleanup();
  }
});
