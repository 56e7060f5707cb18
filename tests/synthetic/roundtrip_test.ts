import assert from "node:assert/strict";
import { type DailyBars, loadFolder } from "../../lib/data/mod.ts";
import {
  generateMarket,
  type SyntheticBars,
  writeMarket,
  type WriteMarketArgs,
} from "../../lib/synthetic/mod.ts";

function assertSameBars(loaded: DailyBars, written: SyntheticBars, where: string): void {
  assert.deepEqual(loaded.dates, written.dates, `${where}: dates`);
  for (const column of ["open", "high", "low", "close", "volume"] as const) {
    assert.deepEqual(Array.from(loaded[column]), Array.from(written[column]), `${where}: ${column}`);
  }
}

const cases: [string, WriteMarketArgs][] = [
  ["csv, English headers, UTF-8", { format: "csv" }],
  ["csv, Chinese headers, GBK", { format: "csv", headers: "chinese", encoding: "gbk" }],
  ["csv, Chinese headers, UTF-8", { format: "csv", headers: "chinese" }],
  ["TDX .txt", { format: "tdx" }],
  ["EquiNet xlsx", { format: "equinet-xlsx" }],
];

for (const [label, args] of cases) {
  Deno.test(`round trip: synthetic ${label} files load back equal with lib/data's loaders`, async () => {
    const folder = await Deno.makeTempDir({ prefix: "equilab_roundtrip_" });
    try {
      const market = generateMarket({ seed: 31, stockCount: 4, days: 90, suspensionProbability: 0.005 });
      assert.ok(
        market.stocks.some((stock) => stock.dates.length < 90),
        "the test wants a stock with a suspension",
      );
      await writeMarket(market, folder, args);
      const { tables, failed } = await loadFolder(folder, { onError: "skip" });
      assert.deepEqual(failed.map((report) => report.errors.map(String)), []);
      for (const stock of market.stocks) {
        const loaded = tables.get(stock.code);
        assert.ok(loaded, `${stock.code} loaded`);
        assertSameBars(loaded, stock, `${label} ${stock.code}`);
        if (args.format === "equinet-xlsx") {
          // Market columns: the index row of each stock date (the writer aligns by date by default).
          const rows = stock.dates.map((date) => market.index.dates.indexOf(date));
          assert.deepEqual(Array.from(loaded.marketvolume!), rows.map((row) => market.index.volume[row]));
          assert.deepEqual(
            Array.from(loaded.marketlimit!),
            rows.map((row) => market.index.close[row] / market.index.open[row] - 1),
          );
          assert.deepEqual(
            Array.from(loaded.marketrange!),
            rows.map((row) => market.index.high[row] - market.index.low[row]),
          );
        } else {
          assert.deepEqual(
            Array.from(loaded.amount!),
            Array.from(stock.amount),
            `${label} ${stock.code}: amount`,
          );
        }
      }
      if (args.format === "tdx") {
        const index = tables.get("000001")!;
        assertSameBars(index, market.index, `${label} index`);
        assert.equal(index.meta.name, "模拟指数");
        assert.equal(tables.get(market.stocks[0].code)!.meta.adjustment, "none");
      }
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  });
}
