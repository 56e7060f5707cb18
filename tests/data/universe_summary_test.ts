import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { type DailyBars, loadFolder, resolveDataset, universeSummary } from "../../lib/data/mod.ts";
import {
  barsToEquinetXlsx,
  equinetRows,
  generateMarket,
  type SyntheticBars,
} from "../../lib/synthetic/mod.ts";
import { hasMirror, mirrorDir } from "./_mirror.ts";

/** Synthetic EquiNet files as plain bars (rows straight from the writer's row builder). */
function synthetic(alignment: "date" | "position") {
  // Codes come from the position here (no meta), checked below.
  const market = generateMarket({ seed: 12, stockCount: 8, days: 120, suspensionProbability: 0.01 });
  const bars = market.stocks.map((stock) =>
    barsOf(equinetRows(stock, market.index, { marketAlignment: alignment }))
  );
  return { market, bars };
}

function barsOf(table: (string | number)[][]) {
  const rows = table.slice(1);
  const column = (index: number) => Float64Array.from(rows, (row) => row[index] as number);
  return {
    dates: rows.map((row) => String(row[0]).trim().replaceAll("/", "-")),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
    marketvolume: column(6),
    marketlimit: column(7),
    marketrange: column(8),
  };
}

/** The stocks written as EquiNet files into one folder and loaded with `loadFolder` (which checks the market rows). */
async function loadedAsFolder(
  stocks: SyntheticBars[],
  index: SyntheticBars,
  alignment: "date" | "position",
): Promise<DailyBars[]> {
  const folder = await Deno.makeTempDir({ prefix: "summary-" });
  try {
    for (const [position, stock] of stocks.entries()) {
      const name = `processed_${String(position + 1).padStart(6, "0")}.xlsx`;
      await Deno.writeFile(
        join(folder, name),
        barsToEquinetXlsx(stock, index, { marketAlignment: alignment }),
      );
    }
    const loaded = await loadFolder(folder, { onError: "stop" });
    return [...loaded.tables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, bars]) => bars);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("universeSummary: rows, dates, ranges and suspensions per stock", async () => {
  const { market, bars } = synthetic("date");
  const summary = universeSummary(bars);
  assert.equal(summary.height, 8);
  assert.deepEqual(
    universeSummary(bars, { codes: market.stocks.map((stock) => stock.code) }).getColumn("code").toArray(),
    market.stocks.map((stock) => stock.code),
  );
  const first = summary.row(0);
  const columns = summary.columns;
  const value = (name: string, row = first) => row[columns.indexOf(name)];
  const stock = market.stocks[0];
  assert.equal(value("rows"), stock.dates.length);
  assert.equal(value("firstDate"), stock.dates[0]);
  assert.equal(value("lastDate"), stock.dates.at(-1));
  assert.equal(value("minClose"), Math.min(...stock.close));
  assert.equal(value("maxHigh"), Math.max(...stock.high));
  assert.equal(value("maxVolume"), Math.max(...stock.volume));
  const suspended = market.stocks.map((stock) => stock.dates.length < 120);
  assert.ok(suspended.some(Boolean) && !suspended.every(Boolean), "the test wants both kinds of stock");
  assert.deepEqual(summary.getColumn("suspended").toArray(), suspended);
  assert.deepEqual(
    summary.getColumn("missingDays").toArray(),
    market.stocks.map((stock) => {
      const first = market.calendar.indexOf(stock.dates[0]);
      const last = market.calendar.indexOf(stock.dates.at(-1)!);
      return last - first + 1 - stock.dates.length;
    }),
  );
  // The misalignment is the loader's finding: unchecked bars (no loader, no calendar) say null, not 0 …
  assert.deepEqual(summary.getColumn("marketMisalignedRows").toArray(), Array(8).fill(null));
  // … files loaded as a folder with market rows matched by date: nothing misaligned.
  const loaded = universeSummary(await loadedAsFolder(market.stocks, market.index, "date"));
  assert.deepEqual(loaded.getColumn("marketMisalignedRows").toArray(), Array(8).fill(0));
  assert.deepEqual(
    loaded.getColumn("marketRows").toArray(),
    market.stocks.map((stock) => stock.dates.length),
  );
  // Without market columns the misalignment is null too.
  const plain = universeSummary(
    bars.map(({ dates, open, high, low, close, volume }) => ({ dates, open, high, low, close, volume })),
  );
  assert.deepEqual(plain.getColumn("marketMisalignedRows").toArray(), Array(8).fill(null));
  assert.deepEqual(plain.getColumn("code").toArray(), ["0", "1", "2", "3", "4", "5", "6", "7"]);
});

Deno.test("universeSummary: market rows matched by position are flagged exactly for the suspended stocks", async () => {
  // Like EquiNet's files: most stocks trade every day, a few have suspensions. The same seed with
  // and without suspensions gives the same prices and index (suspensions draw from their own fork).
  const whole = generateMarket({ seed: 12, stockCount: 8, days: 120 });
  const gappy = generateMarket({ seed: 12, stockCount: 8, days: 120, suspensionProbability: 0.01 });
  assert.deepEqual(whole.index, gappy.index);
  const suspended = gappy.stocks.map((stock, index) => ({ stock, index })).filter(({ stock }) =>
    stock.dates.length < 120
  )
    .slice(0, 2);
  assert.equal(suspended.length, 2, "the test wants two stocks with suspensions");
  const stocks = whole.stocks.map((stock, index) =>
    suspended.find((entry) => entry.index === index)?.stock ?? stock
  );
  const bars = await loadedAsFolder(stocks, whole.index, "position");
  const misaligned = universeSummary(bars).getColumn("marketMisalignedRows").toArray() as number[];
  stocks.forEach((stock, index) => {
    if (stock.dates.length === 120) assert.equal(misaligned[index], 0, stock.code);
    else {
      // The writer puts the index's last n rows beside the stock's n rows: row i gets calendar day 120 − n + i.
      const offset = whole.calendar.length - stock.dates.length;
      const expected = stock.dates.filter((date, day) => date !== whole.calendar[offset + day]).length;
      assert.ok(expected > 0);
      assert.equal(misaligned[index], expected, stock.code);
    }
  });
});

Deno.test({
  name: "universeSummary: the real EquiNet set has 34 suspended stocks, all with misaligned market rows",
  ignore: !hasMirror,
  fn: async () => {
    // As notebook 01 loads them: the folder at once, so the loader checks the market rows.
    const resolved = await resolveDataset("equinet-319", { mirrorDir: mirrorDir()!, download: false });
    const folder = resolved.files[0].localPath.replace(/\/[^/]+$/, "");
    const stocks = [...(await loadFolder(folder, { onError: "stop" })).tables.values()];
    const summary = universeSummary(stocks);
    assert.equal(summary.height, 319);
    const suspended = summary.filter(pl.col("suspended"));
    assert.equal(suspended.height, 34);
    assert.equal(summary.filter(pl.col("marketMisalignedRows").gt(0)).height, 34);
    assert.deepEqual(
      suspended.getColumn("code").toArray(),
      summary.filter(pl.col("marketMisalignedRows").gt(0)).getColumn("code").toArray(),
    );
    assert.deepEqual([...new Set(summary.getColumn("lastDate").toArray())], ["2025-03-19"]);
    assert.deepEqual([...new Set(summary.getColumn("rows").toArray())], [420]);
    const firstDates = summary.getColumn("firstDate").toArray() as string[];
    assert.equal(firstDates.filter((date) => date === "2023-06-26").length, 285);
    assert.equal([...firstDates].sort()[0], "2023-06-08");
  },
});
