import assert from "node:assert/strict";
import { basename } from "node:path";
import { readXlsx } from "../../lib/data/xlsx/mod.ts";
import { barsToEquinetXlsx, equinetRows, generateMarket, writeMarket } from "../../lib/synthetic/mod.ts";

Deno.test("barsToEquinetXlsx: EquiNet's columns, ' YYYY/MM/DD' times, market columns of the same date", () => {
  const market = generateMarket({ seed: 4, stockCount: 2, days: 40, suspensionProbability: 0.05 });
  const stock = market.stocks.find((candidate) => candidate.dates.length < 40) ?? market.stocks[0];
  assert.ok(stock.dates.length < 40, "the test wants a stock with a suspension");
  const sheet = readXlsx(barsToEquinetXlsx(stock, market.index));
  assert.equal(sheet.name, "Sheet1");
  assert.deepEqual(sheet.rows[0], [
    "time",
    "start",
    "max",
    "min",
    "end",
    "volume",
    "marketvolume",
    "marketlimit",
    "marketrange",
  ]);
  assert.equal(sheet.rows.length, stock.dates.length + 1);
  for (let day = 0; day < stock.dates.length; day++) {
    const row = sheet.rows[day + 1];
    assert.equal(row[0], " " + stock.dates[day].replaceAll("-", "/"));
    assert.deepEqual(row.slice(1, 6), [
      stock.open[day],
      stock.high[day],
      stock.low[day],
      stock.close[day],
      stock.volume[day],
    ]);
    const marketRow = market.index.dates.indexOf(stock.dates[day]);
    assert.equal(row[6], market.index.volume[marketRow]);
    assert.equal(row[7], market.index.close[marketRow] / market.index.open[marketRow] - 1);
    assert.equal(row[8], market.index.high[marketRow] - market.index.low[marketRow]);
  }
  // The originals' quirk on request: the index's last rows by position, so dates drift apart.
  const quirky = equinetRows(stock, market.index, { marketAlignment: "position" });
  const lastIndexRow = market.index.dates.length - 1;
  assert.equal(quirky.at(-1)![6], market.index.volume[lastIndexRow]);
  assert.notDeepEqual(quirky.slice(1).map((row) => row[6]), sheet.rows.slice(1).map((row) => row[6]));
});

Deno.test("writeMarket: every format writes deterministic files, nothing temporary left behind", async () => {
  const folder = await Deno.makeTempDir({ prefix: "equilab_synthetic_" });
  try {
    const market = generateMarket({ seed: 9, stockCount: 3, days: 30 });
    const written: Record<string, string[]> = {};
    for (const format of ["csv", "tdx", "equinet-xlsx"] as const) {
      const first = await writeMarket(market, `${folder}/${format}-a`, {
        format,
        headers: "chinese",
        encoding: "gbk",
      });
      const again = await writeMarket(
        generateMarket({ seed: 9, stockCount: 3, days: 30 }),
        `${folder}/${format}-b`,
        {
          format,
          headers: "chinese",
          encoding: "gbk",
        },
      );
      written[format] = first.map((path) => basename(path));
      for (let file = 0; file < first.length; file++) {
        assert.deepEqual(await Deno.readFile(first[file]), await Deno.readFile(again[file]), first[file]);
      }
      const names: string[] = [];
      for await (const entry of Deno.readDir(`${folder}/${format}-a`)) names.push(entry.name);
      assert.deepEqual(names.sort(), [...written[format]].sort());
    }
    assert.deepEqual(written.csv, ["index_000001.csv", "600000.csv", "000100.csv", "600001.csv"]);
    assert.deepEqual(written.tdx, ["SH#000001.txt", "SH#600000.txt", "SZ#000100.txt", "SH#600001.txt"]);
    assert.deepEqual(written["equinet-xlsx"], [
      "processed_600000.xlsx",
      "processed_000100.xlsx",
      "processed_600001.xlsx",
    ]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
