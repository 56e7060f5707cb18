import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { returnCorrelation } from "../../lib/experiments/mod.ts";

const dates = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"];

Deno.test("returnCorrelation: proportional series correlate 1, mirrored returns −1", () => {
  const a = { dates, close: [10, 11, 10.5, 12, 11] };
  const doubled = { dates, close: a.close.map((close) => close * 2) };
  const result = returnCorrelation(a, doubled);
  assertClose(result.correlation, 1, { absolute: 1e-12 });
  assert.equal(result.returns, 4);
  assert.equal(result.firstDate, "2020-01-02");
  assert.equal(result.lastDate, "2020-01-08");
  // b's returns are the negatives of a's.
  const returnsA = result.pairs.a;
  const mirrored = [100];
  for (const value of returnsA) mirrored.push(mirrored.at(-1)! * (1 - value));
  assertClose(returnCorrelation(a, { dates, close: mirrored }).correlation + 1, 0, { absolute: 1e-12 });
});

Deno.test("returnCorrelation: pairs returns over common dates only, within the date bounds", () => {
  const a = { dates, close: [10, 11, 12, 11, 13] };
  // b lacks 2020-01-06: its return to 2020-01-07 spans two of a's days, and so must a's.
  const b = { dates: [dates[0], dates[1], dates[3], dates[4]], close: [5, 6, 5, 7] };
  const result = returnCorrelation(a, b);
  assert.deepEqual(result.pairs.dates, ["2020-01-03", "2020-01-07", "2020-01-08"]);
  assert.deepEqual(Array.from(result.pairs.a), [11 / 10 - 1, 11 / 11 - 1, 13 / 11 - 1]);
  assert.deepEqual(Array.from(result.pairs.b), [6 / 5 - 1, 5 / 6 - 1, 7 / 5 - 1]);
  // Hand-computed Pearson correlation of those pairs.
  const x = Array.from(result.pairs.a), y = Array.from(result.pairs.b);
  const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
  const mx = mean(x), my = mean(y);
  const cov = x.reduce((s, e, i) => s + (e - mx) * (y[i] - my), 0);
  const vx = x.reduce((s, e) => s + (e - mx) ** 2, 0), vy = y.reduce((s, e) => s + (e - my) ** 2, 0);
  assertClose(result.correlation, cov / Math.sqrt(vx * vy), { absolute: 1e-12 });
  const bounded = returnCorrelation(a, a, { fromDate: "2020-01-03", toDate: "2020-01-07" });
  assert.equal(bounded.returns, 2);
  assert.equal(bounded.firstDate, "2020-01-03");
});

Deno.test("returnCorrelation: refuses bad input, naming the series and the place", () => {
  const a = { dates, close: [10, 11, 12, 11, 13] };
  assert.throws(
    () => returnCorrelation(a, { dates, close: [1, 2, 0, 3, 4] }, { names: ["x", "y"] }),
    /y close on 2020-01-06 \(index 2\) is 0/,
  );
  assert.throws(
    () => returnCorrelation(a, { dates: [dates[1], dates[0]], close: [1, 2] }),
    /b dates not strictly ascending at index 1/,
  );
  assert.throws(
    () => returnCorrelation(a, { dates: ["2021-01-04", "2021-01-05", "2021-01-06"], close: [1, 2, 3] }),
    /share 0 dates/,
  );
  assert.throws(() => returnCorrelation(a, { dates, close: [1, 2] }), /b has 5 dates but 2 closes/);
});
