import assert from "node:assert/strict";
import {
  asOfJoin,
  availableFrom,
  type FundamentalRecord,
  parseFundamentalCsv,
  recordsByCode,
} from "../../lib/features/mod.ts";

const CSV = [
  "code,pubDate,statDate,roeAvg,gpMargin",
  "sh.600000,2013-04-27,2013-03-31,0.05,",
  "sh.600000,2013-08-14,2013-06-30,0.10,0.3",
  "sz.000001,2013-04-24,2013-03-31,0.04,0.2",
].join("\n");

function record(publishDate: string | null, periodEnd: string, value: number): FundamentalRecord {
  return { code: "sh.600000", publishDate, periodEnd, values: Float64Array.of(value) };
}

Deno.test("parseFundamentalCsv: empty cells are NaN (missing), not zero", () => {
  const table = parseFundamentalCsv(CSV, "profit_data.csv");
  assert.deepEqual(table.columns, ["roeAvg", "gpMargin"]);
  assert.equal(table.records.length, 3);
  assert.equal(table.records[0].values[0], 0.05);
  assert.ok(Number.isNaN(table.records[0].values[1]));
  assert.equal(table.records[0].publishDate, "2013-04-27");
  assert.deepEqual([...recordsByCode(table).keys()], ["sh.600000", "sz.000001"]);
});

Deno.test("parseFundamentalCsv: errors name file, row, column and value", () => {
  const bad = (row: string) => parseFundamentalCsv(`code,pubDate,statDate,roeAvg\n${row}`, "profit_data.csv");
  assert.throws(
    () => bad("sh.600000,2013-04-27,2013-03-31,abc"),
    /profit_data.csv, row 2, column roeAvg: "abc"/,
  );
  assert.throws(() => bad("sh.600000,2013-02-30,2013-03-31,1"), /row 2, column pubDate: "2013-02-30"/);
  assert.throws(() => bad("sh.600000,2013-04-27,,1"), /row 2, column statDate/);
  assert.throws(() => bad("sh.600000,2013-03-01,2013-03-31,1"), /before statDate/);
  assert.throws(() => bad("sh.600000,2013-04-27,2013-03-31"), /row 2: 3 cells, the header has 4/);
  assert.throws(
    () => parseFundamentalCsv("code,statDate\n", "x.csv"),
    /x.csv, row 1: column 2 should be "pubDate"/,
  );
});

Deno.test("asOfJoin: a quarterly figure appears exactly from its announcement date, nothing before", () => {
  const dates = ["2013-04-25", "2013-04-26", "2013-04-29", "2013-08-13", "2013-08-14", "2013-08-15"];
  const joined = asOfJoin(dates, [
    record("2013-08-14", "2013-06-30", 2),
    record("2013-04-26", "2013-03-31", 1),
  ]);
  assert.deepEqual(Array.from(joined.values[0]), [NaN, 1, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(joined.announcementDay), [0, 1, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(joined.recordIndex), [-1, 1, 1, 1, 0, 0]);
  // published on a non-trading day → usable from the next trading day
  const weekend = asOfJoin(dates, [record("2013-04-27", "2013-03-31", 1)]);
  assert.deepEqual(Array.from(weekend.values[0]).slice(0, 3), [NaN, NaN, 1]);
  // a lag of one trading day
  const lagged = asOfJoin(dates, [record("2013-04-26", "2013-03-31", 1)], { lagDays: 1 });
  assert.deepEqual(Array.from(lagged.values[0]).slice(0, 3), [NaN, NaN, 1]);
});

Deno.test("asOfJoin: an annual figure without a date waits for April 30; late older reports do not win", () => {
  assert.equal(availableFrom({ publishDate: null, periodEnd: "2019-12-31" }), "2020-04-30");
  assert.equal(availableFrom({ publishDate: null, periodEnd: "2020-06-30" }), "2020-08-31");
  const dates = ["2020-04-29", "2020-04-30", "2020-05-06"];
  const joined = asOfJoin(dates, [record(null, "2019-12-31", 7)]);
  assert.deepEqual(Array.from(joined.values[0]), [NaN, 7, 7]);
  // Q1 2020 published 04-29, annual 2019 (older period) usable only from 04-30: Q1 stays in force
  const both = asOfJoin(dates, [record("2020-04-29", "2020-03-31", 1), record(null, "2019-12-31", 7)]);
  assert.deepEqual(Array.from(both.values[0]), [1, 1, 1]);
});

const REAL = "../shared/data/fundamentals";
const hasReal = await Deno.stat(`${REAL}/profit_data.csv`).then(() => true, () => false);

Deno.test({
  name: "real data: profit_data.csv and growth_data.csv parse; every row has a pubDate on or after statDate",
  ignore: !hasReal,
  fn: async () => {
    for (const name of ["profit_data.csv", "growth_data.csv"]) {
      const table = parseFundamentalCsv(await Deno.readTextFile(`${REAL}/${name}`), name);
      assert.equal(table.records.length, 24_460);
      assert.ok(table.records.every((row) => row.publishDate !== null && row.publishDate >= row.periodEnd));
    }
  },
});
