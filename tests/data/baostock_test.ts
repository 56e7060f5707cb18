import assert from "node:assert/strict";
import { parseBaostockDaily } from "../../lib/data/mod.ts";

const HEADER = "date,code,open,high,low,close,preclose,volume,amount,adjustflag,turn,tradestatus," +
  "pctChg,peTTM,pbMRQ,psTTM,pcfNcfTTM,isST";

Deno.test("parseBaostockDaily keeps every column and reads empty cells as NaN", () => {
  const text = `${HEADER}\n` +
    "2020-01-02,sh.600036,10,10.5,9.9,10.2,10,1000,10200,1,0.5,1,2.0,6.1,1.3,2.3,6.6,0\n" +
    "2020-01-03,sh.600036,10.2,10.2,10.2,10.2,10.2,0,0,1,,0,0,,1.3,2.3,6.6,0\n";
  const daily = parseBaostockDaily(text, "sh.600036.csv");
  assert.equal(daily.code, "sh.600036");
  assert.deepEqual(daily.dates, ["2020-01-02", "2020-01-03"]);
  assert.equal(daily.columns.peTTM[0], 6.1);
  assert.equal(daily.columns.tradestatus[1], 0);
  assert.ok(Number.isNaN(daily.columns.turn[1]));
  assert.ok(Number.isNaN(daily.columns.peTTM[1]));
  assert.equal(daily.columns.close[1], 10.2);
});

Deno.test("parseBaostockDaily names file, row, column and value on bad input", () => {
  const bad = `${HEADER}\n2020-01-02,sh.600036,10,10.5,9.9,abc,10,1000,10200,1,0.5,1,2.0,6.1,1.3,2.3,6.6,0\n`;
  assert.throws(() => parseBaostockDaily(bad, "x.csv"), /x\.csv, row 2, column close: "abc"/);
  const order =
    `${HEADER}\n2020-01-03,sh.1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0\n2020-01-02,sh.1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0\n`;
  assert.throws(
    () => parseBaostockDaily(order, "y.csv"),
    /y\.csv, row 3, column date: 2020-01-02 is not after/,
  );
  assert.throws(
    () => parseBaostockDaily("date,code,open\n", "z.csv"),
    /z\.csv, row 1: column 3 should be "open"|column 4/,
  );
  const codes =
    `${HEADER}\n2020-01-02,sh.1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0\n2020-01-03,sh.2,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0\n`;
  assert.throws(() => parseBaostockDaily(codes, "w.csv"), /w\.csv, row 3, column code: "sh\.2"/);
});
