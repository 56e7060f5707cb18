// Loaders on real files from the mirror folder (EQUILAB_DATA_MIRROR, else ../shared/data). Skipped with a
// message when neither exists; with CI=true a missing mirror fails (mirrorFolder throws).
import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { checkFile, loadBars, loadFolder } from "../../lib/data/mod.ts";
import { mirrorFolder, tempFolder, writeIn } from "./_helpers.ts";

const mirror = mirrorFolder();
if (mirror === undefined) {
  console.log("tests/data/load_test.ts: no real-data mirror found; real-file tests skipped");
}
const real = (name: string, fn: () => Promise<void>) => Deno.test({ name, ignore: mirror === undefined, fn });

real("399006_chinext.csv: 2787 days, exactly 2032 in the paper's window 2012-07-02..2020-11-06", async () => {
  const bars = await loadBars(`${mirror}/indices/399006_chinext.csv`);
  assert.equal(bars.length, 2787);
  assert.equal(bars.first, "2010-06-01");
  assert.equal(bars.last, "2021-11-18");
  const window = bars.dates.filter((date) => date >= "2012-07-02" && date <= "2020-11-06");
  assert.equal(window.length, 2032);
  assert.equal(bars.meta.code, "399006");
  assert.equal(bars.meta.instrument, "index");
  assert.deepEqual(bars.optionalColumns(), ["amount"]);
  assert.equal(bars.close[0], 973.23);
  const df = bars.toDataFrame();
  assert.deepEqual(df.columns, ["date", "open", "high", "low", "close", "volume", "amount"]);
  assert.equal(df.height, 2787);
  assert.match(String(df.getColumn("date").dtype), /Date/);
});

real("399006 163 (GBK, newest first, 'codes) agrees with the other ChiNext file", async () => {
  const netease = await loadBars(`${mirror}/indices/399006_chinext_163_gbk.csv`);
  assert.equal(netease.meta.encoding, "gbk");
  assert.equal(netease.meta.order, "newest-first");
  assert.equal(netease.meta.code, "399006");
  assert.equal(netease.meta.name, "创业板指");
  assert.equal(netease.first, "2010-06-01");
  assert.equal(netease.last, "2020-10-16");
  const other = await loadBars(`${mirror}/indices/399006_chinext.csv`);
  const closeByDate = new Map(other.dates.map((date, i) => [date, other.close[i]]));
  // Two independent sources: closes agree to rounding on every day but one (2013-08-06: 1211.69 vs 1211.782).
  let compared = 0;
  const apart: string[] = [];
  for (let i = 0; i < netease.length; i++) {
    const close = closeByDate.get(netease.dates[i]);
    if (close === undefined) continue;
    compared++;
    const relative = Math.abs(close - netease.close[i]) / close;
    if (relative > 1e-5) apart.push(netease.dates[i]);
    assert.ok(relative < 1e-3, `${netease.dates[i]}: ${close} vs ${netease.close[i]}`);
  }
  assert.deepEqual(apart, ["2013-08-06"]);
  assert.equal(compared, 2521);
});

real("399012 cnindex (unnamed index column, Chinese headers, newest first)", async () => {
  const bars = await loadBars(`${mirror}/indices/399012_chinext300_cnindex.csv`);
  assert.equal(bars.length, 1258);
  assert.equal(bars.first, "2017-01-03");
  assert.equal(bars.last, "2022-03-08");
  assert.equal(bars.meta.order, "newest-first");
  assert.deepEqual(bars.meta.ignoredColumns, ["(unnamed column 1)", "涨跌幅"]);
  assert.equal(bars.meta.columns.open, "开盘价");
  assert.equal(bars.close[bars.length - 1], 3566.18);
});

real("TDX SZ#399006.txt: GBK title, name, forward adjustment, index", async () => {
  const bars = await loadBars(`${mirror}/tdx/SZ#399006.txt`);
  assert.equal(bars.meta.format, "tdx");
  assert.equal(bars.meta.encoding, "gbk");
  assert.equal(bars.meta.name, "创业板指");
  assert.equal(bars.meta.adjustment, "forward");
  assert.equal(bars.meta.instrument, "index");
  assert.equal(bars.first, "2010-06-01");
  assert.equal(bars.last, "2017-09-21");
  assert.equal(bars.length, 1779);
  assert.equal(bars.meta.columns.close, "收盘");
});

real(
  "TDX SH#600016.txt: forward-adjusted prices ≤ 0 are kept and explained, dropped on request",
  async () => {
    const kept = await loadBars(`${mirror}/tdx/SH#600016.txt`);
    assert.equal(kept.length, 4000);
    assert.match(kept.meta.warnings.join(), /992 rows .* have prices ≤ 0 \(forward-adjusted history\); kept/);
    assert.equal(kept.meta.volumeUnit, "shares", "amount ≈ volume × close on recent days");
    const dropped = await loadBars(`${mirror}/tdx/SH#600016.txt`, { dropNonPositivePrices: true });
    assert.equal(dropped.length, 4000 - 992);
    assert.ok(dropped.low.every((low) => low > 0));
  },
);

real("EquiNet processed_000008.xlsx: 420 rows with market columns", async () => {
  const bars = await loadBars(`${mirror}/equinet/processed_000008.xlsx`);
  assert.equal(bars.meta.format, "equinet-xlsx");
  assert.equal(bars.length, 420);
  assert.equal(bars.first, "2023-06-26");
  assert.equal(bars.last, "2025-03-19");
  assert.deepEqual([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]], [
    2.31,
    2.32,
    2.29,
    2.3,
    18515612,
  ]);
  assert.deepEqual(bars.optionalColumns(), ["marketvolume", "marketlimit", "marketrange"]);
  assert.equal(bars.marketlimit![0], -0.00837521992427365);
  assert.deepEqual(bars.toDataFrame().columns.slice(-3), ["marketvolume", "marketlimit", "marketrange"]);
});

real(
  "EquiNet folder: 319 tables, LICENSE ignored, the 34 suspended stocks flagged; date alignment on request",
  async () => {
    const folder = await loadFolder(`${mirror}/equinet`, { onError: "skip" });
    assert.equal(folder.tables.size, 319);
    assert.equal(folder.failed.length, 0);
    assert.deepEqual(folder.ignored.map((report) => report.file.replace(/^.*\//, "")), ["LICENSE"]);
    const flagged = folder.reports.filter((report) =>
      report.warnings.some((warning) => /by row position/.test(warning))
    );
    assert.equal(flagged.length, 34);
    assert.ok(folder.reports.filter((report) => !report.skipped).every((report) => report.rows === 420));
    assert.ok(flagged.every((report) => report.first! < "2023-06-26"));

    const aligned = await loadFolder(`${mirror}/equinet`, { onError: "skip", alignMarket: "date" });
    const reference = aligned.tables.get("000008")!;
    const stock = aligned.tables.get("000564")!;
    assert.equal(stock.first, "2023-06-26", "rows before the calendar are dropped");
    assert.match(stock.meta.warnings.join(), /realigned by date.*dropped \d+ rows before 2023-06-26/);
    const byDate = new Map(reference.dates.map((date, i) => [date, reference.marketlimit![i]]));
    for (let i = 0; i < stock.length; i++) assert.equal(stock.marketlimit![i], byDate.get(stock.dates[i]));
    // The re-pairing is reported as a record, not only in words: the 34 stocks, their dropped and moved rows.
    const paired = aligned.reports.filter((report) => report.marketPairing);
    assert.equal(paired.length, 34);
    const record = aligned.reports.find((report) => report.code === "000564")!.marketPairing!;
    assert.equal(record.by, "calendar");
    assert.equal(record.source, "2023-06-26..2025-03-19");
    assert.equal(record.droppedRows, 420 - stock.length);
    assert.equal(record.changedRows, 226);
    assert.ok(stock.meta.warnings.includes(record.message));
    assert.ok(
      aligned.reports.filter((report) => !report.marketPairing).every((report) =>
        !report.warnings.some((warning) => /realigned by date/.test(warning))
      ),
    );
  },
);

real("BaoStock daily (fundamentals/daily): back-adjusted, shares, suspended days explained", async () => {
  const bars = await loadBars(`${mirror}/fundamentals/daily/sh.600004.csv`);
  assert.equal(bars.length, 2688);
  assert.equal(bars.first, "2012-06-11");
  assert.equal(bars.last, "2023-06-30");
  assert.equal(bars.meta.code, "600004");
  assert.equal(bars.meta.exchange, "SH");
  assert.equal(bars.meta.adjustment, "back");
  assert.equal(bars.meta.volumeUnit, "shares");
  assert.ok(bars.meta.ignoredColumns.includes("peTTM"));
  const report = await checkFile(`${mirror}/fundamentals/daily/sh.600654.csv`);
  assert.equal(report.ok, true);
  assert.match(report.warnings.join(), /2 of them have blank volume\/amount, read as 0/);
});

real(".csv.gz gives the same table as the plain CSV", async () => {
  const folder = await tempFolder();
  try {
    const bytes = await Deno.readFile(`${mirror}/indices/000300_csi300.csv`);
    const path = await writeIn(folder.path, "000300_csi300.csv.gz", gzipSync(bytes));
    const zipped = await loadBars(path);
    const plain = await loadBars(`${mirror}/indices/000300_csi300.csv`);
    assert.equal(zipped.length, 4101);
    assert.deepEqual(zipped.dates, plain.dates);
    assert.deepEqual(zipped.close, plain.close);
  } finally {
    await folder.cleanup();
  }
});
