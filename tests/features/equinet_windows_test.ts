import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  EQUINET_COLUMNS,
  type EquiNetStock,
  EquiNetWindows,
  randomWalkStocks,
  threeDayLabels,
  zScoreBugLabels,
} from "../../lib/features/mod.ts";
import { loadEquiNetUniverse } from "../../lib/features/mod.ts";
import { createRandom, PythonRandom } from "../../lib/random/mod.ts";
import { hasMirror, mirrorDir } from "../data/_mirror.ts";

/** Random-walk stocks, some starting later (as suspended stocks do), sharing a calendar. */
function staggeredStocks(): EquiNetStock[] {
  const stocks = randomWalkStocks(createRandom(11), { stocks: 6, days: 160 });
  return stocks.map((stock, index) => {
    const skip = index * 7;
    const cut = (values: Float64Array) => values.slice(skip);
    return {
      code: stock.code,
      dates: stock.dates.slice(skip),
      ...Object.fromEntries(EQUINET_COLUMNS.map((column) => [column, cut(stock[column])])),
    } as unknown as EquiNetStock;
  });
}

function withFuturePoisoned(stock: EquiNetStock, afterIndex: number): EquiNetStock {
  const copy = { ...stock } as EquiNetStock;
  for (const column of EQUINET_COLUMNS) {
    const values = stock[column].slice();
    for (let row = afterIndex + 1; row < values.length; row++) values[row] = 1e12 * (row + 1);
    copy[column] = values;
  }
  return copy;
}

Deno.test("corrected split: no window crosses a segment boundary (label day + horizon stays inside)", () => {
  const stocks = staggeredStocks();
  for (const validationDateShare of [0, 0.1]) {
    const windows = new EquiNetWindows(stocks, {
      mode: "corrected",
      context: "random",
      minContextDays: 5,
      maxContextDays: 30,
      validationDateShare,
    });
    const names = [...windows.segments.keys()];
    assert.deepEqual(names, validationDateShare ? ["train", "validation", "test"] : ["train", "test"]);
    for (let index = 1; index < names.length; index++) {
      assert.ok(windows.segment(names[index - 1]).toDate < windows.segment(names[index]).fromDate);
    }
    for (const name of names) {
      const segment = windows.segment(name);
      const refs = [
        ...windows.drawWindows(name, 400, createRandom(5)),
        ...windows.allWindows(name, 10),
      ];
      assert.ok(refs.length > 400);
      for (const ref of refs) {
        const dates = stocks[ref.stockIndex].dates;
        assert.ok(dates[ref.endIndex] >= segment.fromDate, `${name}: window ends before its segment`);
        assert.ok(dates[ref.endIndex + 3] <= segment.toDate, `${name}: label reads past its segment`);
        assert.ok(ref.endIndex - ref.contextDays + 1 >= 0);
      }
    }
    // The training labels' last close precedes the first test input day by at least the horizon.
    const train = windows.segment("train");
    const test = windows.segment("test");
    const calendar = [...new Set(stocks.flatMap((stock) => stock.dates))].sort();
    const lastTrainEnd = Math.max(
      ...windows.allWindows("train", 10).map((ref) =>
        calendar.indexOf(stocks[ref.stockIndex].dates[ref.endIndex])
      ),
    );
    assert.ok(calendar.indexOf(test.fromDate) - lastTrainEnd >= 3 + (validationDateShare ? 1 : 0));
    assert.equal(
      calendar.indexOf(train.toDate) + 1,
      calendar.indexOf(validationDateShare ? windows.segment("validation").fromDate : test.fromDate),
    );
  }
});

Deno.test("corrected windows never read past their last day (future values poisoned)", () => {
  const stocks = staggeredStocks();
  const windows = new EquiNetWindows(stocks, {
    mode: "corrected",
    context: "random",
    minContextDays: 5,
    maxContextDays: 40,
  });
  const refs = windows.drawWindows("train", 60, createRandom(2)).concat(
    windows.drawWindows("test", 60, createRandom(3)),
  );
  const batch = windows.batch(refs, { padToDays: 40 });
  for (let item = 0; item < refs.length; item++) {
    const ref = refs[item];
    const poisoned = stocks.map((stock, index) =>
      index === ref.stockIndex ? withFuturePoisoned(stock, ref.endIndex) : stock
    );
    const single = new EquiNetWindows(poisoned, windows.args).batch([ref], { padToDays: 40 });
    const width = 40 * 8;
    assert.deepEqual(single.inputs, batch.inputs.subarray(item * width, (item + 1) * width));
    assert.ok(single.inputs.every(Number.isFinite));
  }
});

Deno.test("published windows are leaky: z-scores read the future (documented, not hidden)", () => {
  const stocks = staggeredStocks();
  const windows = new EquiNetWindows(stocks, { mode: "published", testStockShare: 0.34 });
  const ref = windows.allWindows("train")[0];
  const poisoned = stocks.map((stock, index) =>
    index === ref.stockIndex ? withFuturePoisoned(stock, ref.endIndex) : stock
  );
  const clean = windows.batch([ref]).inputs;
  const leaked = new EquiNetWindows(poisoned, windows.args).batch([ref]).inputs;
  assert.notDeepEqual(clean, leaked);
});

Deno.test("published split: max(1, floor(10%)) test files as Python's random.sample after seed 42, z-score bug labels by default", () => {
  const stocks = randomWalkStocks(createRandom(4), { stocks: 25, days: 90 });
  const windows = new EquiNetWindows(stocks, { mode: "published" });
  const train = windows.segment("train").stockIndices;
  const test = windows.segment("test").stockIndices;
  assert.equal(test.length, 2);
  assert.equal(train.length + test.length, 25);
  assert.ok(test.every((index) => !train.includes(index)));
  assert.deepEqual(new EquiNetWindows(stocks, { mode: "published" }).segment("test").stockIndices, test);
  // Python's random.seed(42); random.sample(files sorted by name, 2), whatever order stocks come in.
  const byCode = stocks.map((_, index) => index).sort((a, b) => stocks[a].code < stocks[b].code ? -1 : 1);
  const python = new PythonRandom(42).sample(byCode, 2).map((index) => stocks[index].code).sort();
  assert.deepEqual(test.map((index) => stocks[index].code), python);
  const reversed = new EquiNetWindows([...stocks].reverse(), { mode: "published" });
  assert.deepEqual(
    reversed.segment("test").stockIndices.map((index) => reversed.stocks[index].code).sort(),
    python,
  );
  // As the original: max(1, int(n * 0.1)) test files.
  assert.equal(
    new EquiNetWindows(stocks.slice(0, 5), { mode: "published" }).segment("test").stockIndices.length,
    1,
  );
  assert.throws(() => new EquiNetWindows(stocks, { mode: "published", splitSeed: -1 }), /splitSeed/);
  assert.equal(windows.args.contextDays, 60);
  const refs = windows.allWindows("train");
  assert.equal(refs.length, train.length * (90 - 60 - 3 + 1));
  const bug = zScoreBugLabels(stocks[refs[0].stockIndex].end);
  assert.equal(windows.label(refs[0]), bug[refs[0].endIndex]);
  const real = new EquiNetWindows(stocks, { mode: "published", labels: "real" });
  assert.equal(real.label(refs[0]), threeDayLabels(stocks[refs[0].stockIndex].end)[refs[0].endIndex]);
});

Deno.test("corrected normalisation: prices relative to the last close, volumes to the window mean", () => {
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"];
  const column = (values: number[]) => Float64Array.from(values);
  const stock: EquiNetStock = {
    code: "T1",
    dates,
    start: column([9, 10, 11, 12, 12, 12]),
    max: column([11, 12, 12, 13, 13, 13]),
    min: column([9, 9, 10, 11, 11, 11]),
    end: column([10, 11, 10, 12.5, 12, 13]),
    volume: column([100, 300, 200, 1, 1, 1]),
    marketvolume: column([5, 5, 5, 5, 5, 5]),
    marketlimit: column([0.01, -0.02, 0.005, 0, 0, 0]),
    marketrange: column([10, 20, 30, 40, 40, 40]),
  };
  const windows = new EquiNetWindows([stock], {
    mode: "corrected",
    contextDays: 2,
    testStartDate: "2024-01-09",
  });
  const batch = windows.batch([{ stockIndex: 0, endIndex: 2, contextDays: 2 }, {
    stockIndex: 0,
    endIndex: 1,
    contextDays: 1,
  }]);
  assert.equal(batch.steps, 2);
  const expected = [
    // day 2024-01-03, last close 10: prices /10 − 1; volume mean 250; market range mean 25
    0,
    0.2,
    -0.1,
    0.1,
    300 / 250 - 1,
    0,
    -0.02,
    20 / 25 - 1,
    // day 2024-01-04
    0.1,
    0.2,
    0,
    0,
    200 / 250 - 1,
    0,
    0.005,
    30 / 25 - 1,
    // second window: one day, left-padded
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    10 / 11 - 1,
    12 / 11 - 1,
    9 / 11 - 1,
    0,
    0,
    0,
    -0.02,
    0,
  ];
  expected.forEach((value, index) =>
    assertClose(batch.inputs[index], value, { absolute: 1e-6, label: `input ${index}` })
  );
  assert.deepEqual(Array.from(batch.mask), [1, 1, 0, 1]);
  assert.deepEqual(Array.from(batch.lengths), [2, 1]);
  // 10 → 13 (+30%) up; 11 → 12 (+9%) up
  assert.deepEqual(Array.from(batch.labels), [0, 0]);
  assertClose(batch.futureReturns[0], 0.3, { absolute: 1e-6 });
  assert.throws(() => windows.batch(batch.refs, { padToDays: 1 }), /does not fit padToDays 1/);
});

Deno.test("random context: lengths span min..max, draws are deterministic per seed", () => {
  const stocks = randomWalkStocks(createRandom(8), { stocks: 4, days: 300 });
  const windows = new EquiNetWindows(stocks, { context: "random" });
  const a = windows.drawWindows("train", 500, createRandom(9));
  assert.deepEqual(windows.drawWindows("train", 500, createRandom(9)), a);
  const lengths = a.map((ref) => ref.contextDays);
  assert.equal(Math.min(...lengths), 20);
  assert.equal(Math.max(...lengths), 100);
  const batch = windows.batch(a.slice(0, 20), { padToDays: 100 });
  for (let item = 0; item < 20; item++) {
    const row = batch.mask.subarray(item * 100, (item + 1) * 100);
    assert.equal(row.reduce((sum, value) => sum + value, 0), a[item].contextDays);
    assert.equal(row[99], 1);
  }
});

Deno.test("bad input names the stock, spreadsheet row and column", () => {
  const [stock] = randomWalkStocks(createRandom(1), { stocks: 1, days: 80 });
  const bad = { ...stock, volume: stock.volume.slice() };
  bad.volume[4] = Number.NaN;
  assert.throws(() => new EquiNetWindows([bad]), /stock RW0000: row 6, column volume: value NaN/);
  const unsorted = { ...stock, dates: [...stock.dates] };
  unsorted.dates[10] = unsorted.dates[9];
  assert.throws(() => new EquiNetWindows([unsorted]), /row 12, column time/);
  assert.throws(() => new EquiNetWindows([stock], { labels: "zscore-bug" }), /only mode "published"/);
});

Deno.test("corrected split: an explicit test start date outside the data is a clear error", () => {
  const stocks = randomWalkStocks(createRandom(2), { stocks: 2, days: 80 });
  assert.throws(() => new EquiNetWindows(stocks, { testStartDate: "2030-01-01" }), /after the last date/);
  assert.throws(
    () => new EquiNetWindows(stocks, { testStartDate: "2000-01-01" }),
    /leaves no training dates/,
  );
  const windows = new EquiNetWindows(stocks, { testStartDate: stocks[0].dates[50], contextDays: 10 });
  assert.equal(windows.segment("test").fromDate, stocks[0].dates[50]);
  assert.equal(windows.segment("train").toDate, stocks[0].dates[49]);
});

Deno.test({
  name:
    "published split on EquiNet's 319 files = the original's 31 test stocks (Python fixture; needs the data mirror)",
  ignore: !hasMirror,
  async fn() {
    const fixture = JSON.parse(
      await Deno.readTextFile(new URL("../fixtures/python_random/python_random.json", import.meta.url)),
    );
    // loadEquiNetUniverse resolves the files through $EQUILAB_DATA_MIRROR.
    if (!Deno.env.get("EQUILAB_DATA_MIRROR")) Deno.env.set("EQUILAB_DATA_MIRROR", mirrorDir()!);
    const { stocks } = await loadEquiNetUniverse();
    const codes = stocks.map((stock) => stock.code);
    assert.equal(codes.length, 319);
    assert.deepEqual(codes, [...codes].sort(), "loadEquiNetUniverse gives the stocks in file-name order");
    const windows = new EquiNetWindows(stocks, { mode: "published" });
    const test = windows.segment("test").stockIndices.map((index) => stocks[index].code);
    assert.deepEqual(test, fixture.equinet.testCodes);
    assert.equal(windows.segment("train").stockIndices.length, 288);
  },
});
