import assert from "node:assert/strict";
import { paperDataFromBars } from "../../lib/experiments/mod.ts";

const column = (values: number[]) => Float64Array.from(values);
const bars = {
  dates: ["2017-01-03", "2017-01-04", "2017-01-05", "2017-01-06"],
  open: column([10, 11, 12, 13]),
  high: column([11, 12, 13, 14]),
  low: column([9, 10, 11, 12]),
  close: column([10.5, 11.5, 12.5, 13.5]),
  volume: column([1, 2, 3, 4]),
  amount: column([10, 20, 30, 40]),
};

Deno.test("paperDataFromBars: columns pass through; study period from dates", () => {
  const data = paperDataFromBars(bars, { studyFromDate: "2017-01-04", studyToDate: "2017-01-05" });
  assert.equal(data.columns.close, bars.close);
  assert.equal(data.columns.amount, bars.amount);
  assert.equal(data.studyFrom, 1);
  assert.equal(data.studyEnd, 3); // exclusive
  // A date between trading days picks the next trading day (from) and the previous one (to).
  const between = paperDataFromBars(bars, { studyFromDate: "2017-01-04T", studyToDate: "2017-01-05T" });
  assert.equal(between.studyFrom, 2);
  assert.equal(between.studyEnd, 3);
  const plain = paperDataFromBars(bars);
  assert.equal(plain.studyFrom, undefined);
  assert.equal(plain.studyEnd, undefined);
});

Deno.test("paperDataFromBars: refuses bars without amount and dates outside the data", () => {
  assert.throws(
    () => paperDataFromBars({ ...bars, amount: undefined }, { source: "x.csv" }),
    /x\.csv has no amount column/,
  );
  assert.throws(
    () => paperDataFromBars(bars, { studyFromDate: "2018-01-01" }),
    /ends 2017-01-06, before studyFromDate 2018-01-01/,
  );
  assert.throws(
    () => paperDataFromBars(bars, { studyToDate: "2016-01-01" }),
    /starts 2017-01-03, after studyToDate/,
  );
});
