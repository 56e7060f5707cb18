import assert from "node:assert/strict";
import {
  alignMarketByDate,
  checkMarketAlignment,
  commonCalendar,
  type DailyBarsData,
  forwardPairingLeak,
  loadBars,
  marketFromIndex,
  misalignedMarketRows,
  writeXlsx,
} from "../../lib/data/mod.ts";
import { days, tempFolder, writeIn } from "./_helpers.ts";
import { realEquinetBars } from "./_equinet_real.ts";

function bars(dates: string[], marketlimit: number[]): DailyBarsData {
  const column = (offset: number) => Float64Array.from(dates, (_, i) => offset + i);
  return {
    dates,
    open: column(10),
    high: column(11),
    low: column(9),
    close: column(10),
    volume: column(100),
    optional: {
      marketvolume: Float64Array.from(marketlimit, (x) => x * 1000),
      marketlimit: Float64Array.from(marketlimit),
      marketrange: Float64Array.from(marketlimit, (x) => x * 10),
    },
  };
}

const calendar = ["2023-06-26", "2023-06-27", "2023-06-28", "2023-06-29"];

Deno.test("checkMarketAlignment: a stock with a suspension runs off the calendar", () => {
  assert.deepEqual(checkMarketAlignment(calendar, calendar), {
    aligned: true,
    misalignedRows: 0,
    firstMisaligned: -1,
  });
  const suspended = ["2023-06-21", "2023-06-26", "2023-06-28", "2023-06-29"];
  assert.deepEqual(checkMarketAlignment(suspended, calendar), {
    aligned: false,
    misalignedRows: 2,
    firstMisaligned: 0,
  });
});

Deno.test("alignMarketByDate: each stock day takes its own market row; days before the calendar are dropped", () => {
  // Market rows by position belong to the calendar days: 0.1 → 06-26, 0.2 → 06-27, 0.3 → 06-28, 0.4 → 06-29.
  const stock = bars(["2023-06-21", "2023-06-26", "2023-06-28", "2023-06-29"], [0.1, 0.2, 0.3, 0.4]);
  const { data, dropped } = alignMarketByDate(stock, calendar);
  assert.equal(dropped, 1);
  assert.deepEqual(data.dates, ["2023-06-26", "2023-06-28", "2023-06-29"]);
  assert.deepEqual(Array.from(data.optional.marketlimit!), [0.1, 0.3, 0.4]);
  assert.deepEqual(Array.from(data.optional.marketvolume!), [100, 300, 400]);
  assert.deepEqual(Array.from(data.close), [11, 12, 13], "stock columns keep their own rows");
});

Deno.test("commonCalendar: the most frequent date sequence, undefined without a majority of two", () => {
  const other = ["2023-06-21", ...calendar.slice(1)];
  assert.deepEqual(commonCalendar([calendar, other, [...calendar], [...calendar]]), calendar);
  assert.equal(commonCalendar([calendar, other]), undefined);
});

Deno.test("marketFromIndex: market columns rebuilt from index bars by date; days the index lacks are dropped", () => {
  const index: DailyBarsData = {
    dates: ["2023-06-26", "2023-06-27", "2023-06-28"],
    open: Float64Array.from([100, 200, 400]),
    high: Float64Array.from([110, 210, 420]),
    low: Float64Array.from([90, 195, 380]),
    close: Float64Array.from([101, 190, 404]),
    volume: Float64Array.from([7, 8, 9]),
    optional: {},
  };
  const stock = bars(["2023-06-21", "2023-06-26", "2023-06-28"], [0.5, 0.5, 0.5]);
  const { data, dropped } = marketFromIndex(stock, index);
  assert.equal(dropped, 1);
  assert.deepEqual(data.dates, ["2023-06-26", "2023-06-28"]);
  assert.deepEqual(Array.from(data.optional.marketvolume!), [7, 9]);
  assert.deepEqual(Array.from(data.optional.marketlimit!), [101 / 100 - 1, 404 / 400 - 1]);
  assert.deepEqual(Array.from(data.optional.marketrange!), [20, 40]);
  assert.deepEqual(Array.from(data.close), [11, 12]);
});

Deno.test("loadBars with marketIndex: an EquiNet file's market columns come from the index file", async () => {
  const folder = await tempFolder();
  try {
    const dates = days(70);
    const index = [
      "date,open,high,low,close,volume",
      ...dates.map((d, i) => `${d},${3000 + i},${3010 + i},${2990 + i},${3003 + i},${1e8 + i}`),
    ];
    const indexPath = await writeIn(folder.path, "000001_sse.csv", index.join("\n"));
    // The stock starts two days before the index file and holds wrong market values on purpose.
    const stockDates = [...days(2, Date.UTC(2023, 11, 30)), ...dates];
    const rows = [
      ["time", "start", "max", "min", "end", "volume", "marketvolume", "marketlimit", "marketrange"],
      ...stockDates.map((d) => [` ${d.replaceAll("-", "/")}`, 10, 11, 9, 10.5, 1000, 1, 0.5, 1]),
    ];
    const stockPath = await writeIn(folder.path, "processed_600000.xlsx", writeXlsx(rows));
    const marketIndex = await loadBars(indexPath);
    const bars = await loadBars(stockPath, { marketIndex });
    assert.equal(bars.length, 70);
    assert.equal(bars.first, dates[0]);
    assert.equal(bars.marketvolume![3], 1e8 + 3);
    assert.equal(bars.marketlimit![3], 3006 / 3003 - 1);
    assert.equal(bars.marketrange![3], 20);
    assert.match(
      bars.meta.warnings.join(),
      /rebuilt by date from the index 000001; dropped 2 rows.*differed on 70 of 70 days/,
    );
  } finally {
    await folder.cleanup();
  }
});

Deno.test("loadBars: a single EquiNet file with a calendar is checked; alignMarket without one says so", async () => {
  const folder = await tempFolder();
  try {
    const stockDates = days(70, Date.UTC(2024, 0, 1));
    const rows = [
      ["time", "start", "max", "min", "end", "volume", "marketvolume", "marketlimit", "marketrange"],
      ...stockDates.map((d, i) => [` ${d.replaceAll("-", "/")}`, 10, 11, 9, 10.5, 1000, 1, i / 1000, 1]),
    ];
    const path = await writeIn(folder.path, "processed_600000.xlsx", writeXlsx(rows));
    const calendar = days(70, Date.UTC(2024, 0, 3)); // the market rows belong to days starting two days later
    const flagged = await loadBars(path, { marketCalendar: calendar });
    assert.match(flagged.meta.warnings.join(), /by row position, not this stock's dates.*70 of 70 rows/);
    const aligned = await loadBars(path, { marketCalendar: calendar, alignMarket: "date" });
    assert.equal(aligned.length, 68);
    assert.equal(aligned.first, "2024-01-03");
    assert.equal(aligned.marketlimit![0], 0, "2024-01-03 takes market row 0");
    const alone = await loadBars(path, { alignMarket: "date" });
    assert.equal(alone.length, 70);
    assert.match(alone.meta.warnings.join(), /needs marketCalendar or marketIndex/);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("forwardPairingLeak: a suspended stock's rows reach further back, so position pairing feeds it later market rows", () => {
  const calendar = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"];
  // Suspended 01-03 .. 01-08 (3 days): its six rows start three trading days before the calendar.
  const suspended = ["2023-12-27", "2023-12-28", "2023-12-29", "2024-01-02", "2024-01-09", "2024-01-10"];
  const leak = forwardPairingLeak([calendar, [...calendar], suspended], 2);
  assert.equal(leak.stocks, 1);
  // Rows 0..3 sit beside 01-02 .. 01-05: three trading days later each (12-27 → 01-02 is 3 days).
  assert.equal(leak.laterDays, 4);
  assert.equal(leak.beyondHorizonDays, 4);
  assert.equal(leak.maxLeadDays, 3);
  // Row 4 (01-09) beside 01-08 and row 5 (01-10) beside 01-09: earlier market rows.
  assert.equal(leak.earlierDays, 2);
  assert.equal(forwardPairingLeak([calendar, calendar]).stocks, 0);
});

Deno.test("forwardPairingLeak on EquiNet's 319 files: 34 suspended stocks see market rows up to 10 trading days later", async () => {
  const stocks = await realEquinetBars();
  if (!stocks) return;
  const leak = forwardPairingLeak(stocks.map((bars) => bars.dates));
  assert.equal(leak.stocks, 34);
  assert.equal(leak.laterDays, 7792);
  assert.equal(leak.beyondHorizonDays, 2762);
  assert.equal(leak.maxLeadDays, 10);
  assert.equal(leak.earlierDays, 0);
});

Deno.test("misalignedMarketRows: by content — date-paired 0, position-paired counted, foreign rows null", () => {
  const market = (values: number[]) => ({
    marketvolume: Float64Array.from(values, (v) => v * 100),
    marketlimit: Float64Array.from(values, (v) => v / 1000),
    marketrange: Float64Array.from(values, (v) => v + 0.5),
  });
  const bars = (dates: string[], values: number[]) => ({
    dates,
    open: new Float64Array(dates.length).fill(1),
    high: new Float64Array(dates.length).fill(1),
    low: new Float64Array(dates.length).fill(1),
    close: new Float64Array(dates.length).fill(1),
    volume: new Float64Array(dates.length).fill(1),
    optional: market(values),
  });
  const calendar = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"];
  const reference = bars(calendar, [1, 2, 3, 4]);
  // A stock suspended on 01-03: by date it takes days 1, 3, 4; by position (the last 3 rows) days 2, 3, 4.
  const dates = ["2024-01-02", "2024-01-04", "2024-01-05"];
  assert.equal(misalignedMarketRows(bars(dates, [1, 3, 4]), reference), 0);
  assert.equal(misalignedMarketRows(bars(dates, [2, 3, 4]), reference), 1);
  assert.equal(misalignedMarketRows(bars(dates, [2, 3, 9]), reference), null);
  assert.equal(misalignedMarketRows(reference, reference), 0);
});
