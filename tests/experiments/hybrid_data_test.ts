import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { BAOSTOCK_NUMERIC_COLUMNS, type BaostockDaily, parseBaostockDaily } from "../../lib/data/mod.ts";
import {
  assembleUniverse,
  buildHybridFeatures,
  clipToTrainingRange,
  csi300Eligibility,
  csi300MembershipCounts,
  daysThrough,
  eligibleEqualWeight,
  HYBRID_SPLITS,
  hybridBaselineRows,
  hybridMarketPanel,
  hybridSplitWindows,
  leakyStatDateJoin,
  loadHybridUniverse,
  parseIndexCloses,
  parseShenwanLevel1,
  riskFreeFromBondYield,
  standardiseOnTraining,
  UNCLASSIFIED_SECTOR,
  type UniverseSources,
} from "../../lib/experiments/mod.ts";
import {
  asOfJoin,
  membershipOn,
  parseFundamentalCsv,
  parseIndexMembership,
  parseMacroCsv,
} from "../../lib/features/mod.ts";
import { hasMirror, mirrorDir } from "../data/_mirror.ts";

function daily(code: string, dates: string[], close: number): BaostockDaily {
  const columns = Object.fromEntries(
    BAOSTOCK_NUMERIC_COLUMNS.map((name) => [name, Float64Array.from(dates, (_, row) => close + row)]),
  ) as BaostockDaily["columns"];
  return { code, dates, columns, priceBreaks: [] };
}

const SOURCES: UniverseSources = {
  profit: parseFundamentalCsv("code,pubDate,statDate,roeAvg\n", "profit.csv"),
  growth: parseFundamentalCsv("code,pubDate,statDate,YOYNI\n", "growth.csv"),
  industries: new Map([["sh.600000", "银行"]]),
  macro: parseMacroCsv(
    "month,cpi_yoy_pct,urban_surveyed_unemployment_pct,pmi_manufacturing,m2_yoy_pct,cgb_10y_yield_pct_month_end," +
      "gdp_real_yoy_pct_quarter_wind\n2020-01,1,,50,8,3,\n",
    "macro.csv",
  ),
  csi300: { dates: [], close: new Float64Array() },
};

Deno.test("assembleUniverse aligns stocks by date: a missing day is NaN, never a neighbour", () => {
  const universe = assembleUniverse([
    daily("sz.300347", ["2020-01-02", "2020-01-06"], 20),
    daily("sh.600000", ["2020-01-02", "2020-01-03", "2020-01-06"], 10),
  ], SOURCES);
  assert.deepEqual(universe.codes, ["sh.600000", "sz.300347"]);
  assert.deepEqual(universe.dates, ["2020-01-02", "2020-01-03", "2020-01-06"]);
  assert.deepEqual(Array.from(universe.present[1]), [1, 0, 1]);
  assert.deepEqual(Array.from(universe.daily.close[1]).map((value) => Number.isNaN(value) ? "NaN" : value), [
    20,
    "NaN",
    21,
  ]);
  assert.deepEqual(universe.sectors, ["银行", UNCLASSIFIED_SECTOR]);
  assert.deepEqual(universe.rowsPerStock, [3, 2]);
});

Deno.test("parseShenwanLevel1 keeps level-1 codes, maps exchange suffixes; parseIndexCloses checks its rows", () => {
  const industries = parseShenwanLevel1(
    "sw_code,stock\n801780,600036.XSHG\n801192,600036.XSHG\n851911,600036.XSHG\n801180,000002.XSHE\n",
  );
  assert.equal(industries.get("sh.600036"), "银行 banks");
  assert.equal(industries.get("sz.000002"), "房地产 real estate");
  assert.equal(industries.size, 2);
  assert.throws(() => parseShenwanLevel1("code,name\n"), /the header should be "sw_code,stock"/);
  assert.throws(
    () => parseShenwanLevel1("sw_code,stock\n801780,600036.XSHG\n801180,600036.XSHG\n"),
    /row 3: sh\.600036 is in two level-1 industries/,
  );
  assert.throws(
    () => parseShenwanLevel1("sw_code,stock\n801780,600036.SH\n"),
    /row 2, column stock: "600036.SH"/,
  );
  assert.throws(
    () => parseIndexCloses("date,open,close\n2020-01-02,1,2\n2020-01-03,1,-3\n", "csi.csv"),
    /csi\.csv, row 3, column close: "-3"/,
  );
});

Deno.test("clipToTrainingRange: each feature to its pooled training range; NaN kept; later clips counted", () => {
  const stocks = [
    [Float64Array.of(1, 3, 10, -5, Number.NaN), Float64Array.of(0, 0, 0, 0, 0)],
    [Float64Array.of(2, 0.5, 2, 2, 2), Float64Array.of(0, 0, 1, 1, 1)],
  ];
  const { series, ranges, clipped } = clipToTrainingRange(stocks, 0, 2);
  assert.deepEqual(ranges, [[0.5, 3], [0, 0]]);
  assert.deepEqual(Array.from(series[0][0]), [1, 3, 3, 0.5, Number.NaN]);
  assert.deepEqual(Array.from(series[1][1]), [0, 0, 0, 0, 0]);
  assert.deepEqual(clipped, [2, 3]);
  // the inputs are not changed in place
  assert.equal(stocks[0][0][2], 10);
});

Deno.test("daysThrough counts the dates on or before a day; standardiseOnTraining fits on training days only", () => {
  assert.equal(daysThrough(["2018-12-28", "2018-12-31", "2019-01-02"], "2018-12-31"), 2);
  assert.equal(daysThrough(["2019-01-02"], "2018-12-31"), 0);
  const out = standardiseOnTraining([[Float64Array.of(1, 3, 100)], [Float64Array.of(1, 3, -50)]], 0, 2);
  assert.deepEqual(Array.from(out[0][0]), [-1, 1, 98]);
  assert.deepEqual(Array.from(out[1][0]), [-1, 1, -52]);
});

Deno.test("leakyStatDateJoin knows a figure from its period end and back-fills; asOfJoin waits for pubDate", () => {
  const records = parseFundamentalCsv(
    "code,pubDate,statDate,roeAvg\nsh.1,2013-04-27,2013-03-31,0.05\nsh.1,2013-08-14,2013-06-30,0.1\n",
    "p.csv",
  ).records;
  const dates = ["2013-03-29", "2013-04-01", "2013-04-26", "2013-04-29", "2013-07-01", "2013-08-14"];
  const honest = asOfJoin(dates, records).values[0];
  const leaky = leakyStatDateJoin(dates, records)[0];
  assert.deepEqual(Array.from(honest).map((value) => Number.isNaN(value) ? null : value), [
    null,
    null,
    null,
    0.05,
    0.05,
    0.1,
  ]);
  assert.deepEqual(Array.from(leaky), [0.05, 0.05, 0.05, 0.05, 0.1, 0.1]);
});

const resolve = { mirrorDir: mirrorDir() ?? null, download: false };

Deno.test({
  name:
    "hybrid features on real data: 8 + 3 fundamental inputs, no target across a split, nothing fitted on the future",
  ignore: !hasMirror,
  fn: async () => {
    const universe = await loadHybridUniverse({ stocks: 2, resolve });
    const features = buildHybridFeatures(universe);
    assert.equal(features.fundamentalNames.length, 11);
    assert.ok(universe.sectors.every((sector) => sector.length > 0));
    assert.equal(features.technical[0].length, 15);
    assert.ok(features.dates[features.trainDays - 1] <= HYBRID_SPLITS.trainEnd);
    assert.ok(features.dates[features.trainDays] > HYBRID_SPLITS.trainEnd);
    // before the first report is public, the corrected ROE is unknown (NaN), not back-filled
    const firstReport = universe.profit[0].map((record) => record.publishDate!).sort()[0];
    assert.ok(Number.isNaN(features.fundamental[0][0][daysThrough(features.dates, firstReport) - 2]));
    const splits = hybridSplitWindows(features, { strideDays: 20, testStrideDays: 5 });
    assert.ok(Math.max(...splits.train.windows.endDay) + 5 < features.trainDays);
    assert.ok(Math.max(...splits.validation.windows.endDay) + 5 < features.validationDays);
    assert.ok(Math.min(...splits.test.windows.endDay) >= features.validationDays);
    splits.test.windows.endDay.forEach((end) => assert.equal((end - features.validationDays) % 5, 0));
    // every input stays inside the range it spans on training days (macro in 2020-21 far outside it)
    for (const stream of ["fundamental", "technical"] as const) {
      features[stream].forEach((stock) =>
        stock.forEach((series, feature) => {
          const [low, high] = features.trainingRange[stream][feature];
          for (let day = 0; day < series.length; day++) {
            const value = series[day];
            assert.ok(
              Number.isNaN(value) || (value >= low && value <= high),
              `${stream} ${feature} day ${day}: ${value}`,
            );
          }
        })
      );
    }
    assert.ok(features.clippedDays.gdpWeighted > 0, "GDP's test-period swings leave its training range");
    // changing the test years must not change any training-day input
    for (const series of universe.daily.peTTM) series.fill(1e4, features.validationDays);
    for (const series of universe.daily.close) {
      for (let day = features.validationDays; day < series.length; day++) series[day] *= 3;
    }
    const changed = buildHybridFeatures(universe);
    for (let stock = 0; stock < 2; stock++) {
      for (const stream of ["fundamental", "technical"] as const) {
        features[stream][stock].forEach((series, feature) => {
          for (let day = 0; day < features.trainDays; day++) {
            const before = series[day], after = changed[stream][stock][feature][day];
            assert.ok(Object.is(before, after), `${stream} ${feature} day ${day}: ${before} vs ${after}`);
          }
        });
      }
    }
  },
});

Deno.test({
  name:
    "the search's subsampler keeps every k-th training window: deterministic, over the whole training period, never a validation or test day",
  ignore: !hasMirror,
  fn: async () => {
    const universe = await loadHybridUniverse({ stocks: 2, resolve });
    const features = buildHybridFeatures(universe);
    const every = hybridSplitWindows(features, { strideDays: 1 });
    const sub = hybridSplitWindows(features, { strideDays: 1, trainStrideDays: 10 });
    assert.deepEqual(hybridSplitWindows(features, { strideDays: 1, trainStrideDays: 10 }).train, sub.train);
    // every 10th window end counted from the first training day, and nothing else
    const kept = new Set(sub.train.windows.endDay);
    sub.train.windows.endDay.forEach((end) => assert.equal((end - features.trainStartDay) % 10, 0));
    every.train.windows.endDay.forEach((end) => {
      if ((end - features.trainStartDay) % 10 === 0) assert.ok(kept.has(end), `window ending on day ${end}`);
      else assert.ok(!kept.has(end));
    });
    assert.ok(
      Math.abs(sub.train.windows.shape.samples * 10 - every.train.windows.shape.samples) < 10 * 2 * 2,
    );
    // it spans the training period: the first and last kept ends lie within a stride of every window's
    const [first, last] = [Math.min(...every.train.windows.endDay), Math.max(...every.train.windows.endDay)];
    assert.ok(Math.min(...sub.train.windows.endDay) - first < 10);
    assert.ok(last - Math.max(...sub.train.windows.endDay) < 10);
    // targets stay in training, and validation and test are untouched by it
    assert.ok(Math.max(...sub.train.windows.endDay) + 5 < features.trainDays);
    assert.deepEqual(sub.validation, every.validation);
    assert.deepEqual(sub.test.windows.endDay, every.test.windows.endDay);
    // changing every validation and test day changes no subsampled training window
    for (const stream of ["fundamental", "technical"] as const) {
      for (const stock of features[stream]) for (const series of stock) series.fill(7, features.trainDays);
    }
    for (const close of features.close) close.fill(123, features.trainDays);
    const changed = hybridSplitWindows(features, { strideDays: 1, trainStrideDays: 10 });
    assert.deepEqual(changed.train.windows, sub.train.windows);
    assert.throws(
      () => hybridSplitWindows(features, { trainStrideDays: 0 }),
      /trainStrideDays must be a positive integer/,
    );
    // the trials' objective: every 5th validation day from the first, training untouched
    const scored = hybridSplitWindows(features, {
      strideDays: 1,
      trainStrideDays: 10,
      validationStrideDays: 5,
    });
    assert.deepEqual(scored.train.windows, changed.train.windows);
    assert.ok(scored.validation.windows.shape.samples > 0);
    scored.validation.windows.endDay.forEach((end) => assert.equal((end - features.trainDays) % 5, 0));
  },
});

Deno.test({
  name: "the CSI 300 benchmark spans the same test days as the strategies (the 2018-2026 index file)",
  ignore: !hasMirror,
  fn: async () => {
    const universe = await loadHybridUniverse({ stocks: 3, resolve });
    const features = buildHybridFeatures(universe);
    const panel = hybridMarketPanel(universe, [0, 1, 2]);
    const endDay = universe.dates.length - 1;
    const rows = hybridBaselineRows(panel, universe, { topK: 2, startDay: features.validationDays, endDay });
    const equal = rows.find((row) => row.strategy.startsWith("equal-weight"))!;
    const csi = rows.find((row) => row.strategy.startsWith("CSI 300"))!;
    assert.equal(csi.period, equal.period);
    assert.equal(csi.period, `${universe.dates[features.validationDays]} .. ${universe.dates[endDay]}`);
    assert.doesNotMatch(csi.strategy, /covers only/);
    assert.match(csi.strategy, /price index: no dividends/);
    // Sharpe over the 10-year yield as known each day: lower than over a zero rate (yields were ~2.5-3.3%)
    const riskFreeRate = riskFreeFromBondYield(features.macroDaily.bondYield, features.validationDays);
    const withRate = hybridBaselineRows(panel, universe, {
      topK: 2,
      startDay: features.validationDays,
      endDay,
      riskFreeRate,
    });
    withRate.forEach((row, index) => {
      assert.ok(
        row.metrics[0].sharpe < rows[index].metrics[0].sharpe,
        `${row.strategy}: ${row.metrics[0].sharpe}`,
      );
      assert.equal(row.metrics[0].annualisedReturn, rows[index].metrics[0].annualisedReturn);
    });
    assert.throws(
      () => riskFreeFromBondYield(Float64Array.of(Number.NaN, 2.5)),
      /no 10-year yield known on day 0/,
    );
    // an index that stops early says so in the row's name
    // (the older file stopped on 2021-11-18)
    const stop = universe.csi300.dates.filter((date) => date <= "2021-11-18").length;
    const short = {
      ...universe,
      csi300: { dates: universe.csi300.dates.slice(0, stop), close: universe.csi300.close.slice(0, stop) },
    };
    const cut = hybridBaselineRows(panel, short, { topK: 2, startDay: features.validationDays, endDay })
      .find((row) => row.strategy.startsWith("CSI 300"))!;
    assert.match(cut.strategy, /covers only .* not the whole period/);
  },
});

Deno.test({
  name:
    "price breaks: close-to-close returns that contradict pctChg are listed; windows spanning one are left out and counted",
  ignore: !hasMirror,
  fn: async () => {
    const daily = resolve.mirrorDir + "/fundamentals/daily";
    const stock = parseBaostockDaily(await Deno.readTextFile(`${daily}/sh.600654.csv`), "sh.600654.csv");
    assert.deepEqual(stock.priceBreaks.map((entry) => entry.date), ["2013-06-26", "2020-11-25"]);
    const known = stock.priceBreaks[1];
    assertClose(known.closeReturn, -0.14315, { absolute: 1e-4 });
    assertClose(known.pctChg, -0.00552, { absolute: 1e-5 });
    // across the 100 stocks: those two and three on 2023-06-30
    let total = 0;
    for await (const entry of Deno.readDir(daily)) {
      if (!entry.name.endsWith(".csv")) continue;
      total +=
        parseBaostockDaily(await Deno.readTextFile(`${daily}/${entry.name}`), entry.name).priceBreaks.length;
    }
    assert.equal(total, 5);
    // windows: a break day inside a window's inputs or target leaves it out
    const universe = await loadHybridUniverse({ stocks: 2, resolve });
    const features = buildHybridFeatures(universe);
    const plain = hybridSplitWindows(features, { strideDays: 1 });
    const breakDay = features.trainDays - 100;
    const broken = hybridSplitWindows({ ...features, priceBreakDays: [[breakDay], []] }, { strideDays: 1 });
    const spanning = Array.from(plain.train.windows.endDay).filter((end, sample) =>
      plain.train.stock[sample] === 0 && breakDay > end - 60 && breakDay <= end + 5
    ).length;
    assert.equal(spanning, 65);
    assert.equal(broken.train.leftOutForBreaks, spanning);
    assert.equal(broken.train.windows.shape.samples, plain.train.windows.shape.samples - spanning);
    assert.ok(
      Array.from(broken.train.windows.endDay).every((end, sample) =>
        broken.train.stock[sample] !== 0 || !(breakDay > end - 60 && breakDay <= end + 5)
      ),
    );
  },
});

Deno.test("index membership from a change list: the last change decides, the first one tells what came before", () => {
  const changes = parseIndexMembership(
    "chang_date,code,in_out\n2015/6/15,600000,takein\n2013/9/18,527,dropout\n2018/12/17,600000,dropout\n",
    "HS300_history.csv",
  );
  const joined = changes.get("600000")!;
  assert.deepEqual(joined.map((event) => event.date), ["2015-06-15", "2018-12-17"]);
  assert.equal(membershipOn(joined, "2014-01-02"), "not a member"); // it joined later
  assert.equal(membershipOn(joined, "2015-06-15"), "member");
  assert.equal(membershipOn(joined, "2019-01-02"), "not a member");
  assert.equal(membershipOn(changes.get("000527"), "2013-01-04"), "member"); // it left later
  assert.equal(membershipOn(changes.get("000001"), "2013-01-04"), "unknown");
  assert.throws(
    () => parseIndexMembership("chang_date,code,in_out\n2013/9/18,527,out\n", "h.csv"),
    /h\.csv, row 2, column in_out: "out"/,
  );
  assert.throws(() => parseIndexMembership("date,code\n", "h.csv"), /the header should be/);
});

Deno.test({
  name: "csi300MembershipCounts: every stock counted once on each day, from the real change list",
  ignore: !hasMirror,
  fn: async () => {
    const universe = await loadHybridUniverse({ stocks: 6, resolve });
    const days = [0, Math.floor(universe.dates.length / 2), universe.dates.length - 1];
    const counts = csi300MembershipCounts(universe, days);
    assert.deepEqual(counts.map((count) => count.date), days.map((day) => universe.dates[day]));
    for (const count of counts) assert.equal(count.members + count.notMembers + count.unknown, 6);
    assert.ok(universe.csi300Changes.size > 100);
    assert.ok(counts.some((count) => count.members > 0), "some of the 6 stocks were members");
    // The point-in-time universe holds exactly the members of each day: what the counts call members.
    const stocks = [0, 1, 2, 3, 4, 5];
    const eligible = csi300Eligibility(universe, stocks);
    days.forEach((day, index) => {
      assert.equal(
        eligible.reduce((sum, series) => sum + series[day], 0),
        counts[index].members,
        universe.dates[day],
      );
    });
    // An equal-weight book of the members holds only members, on every signal day.
    const panel = hybridMarketPanel(universe, stocks);
    const startDay = universe.dates.length - 120, endDay = universe.dates.length - 1;
    const book = eligibleEqualWeight(panel, eligible, { startDay, endDay });
    assert.ok(book.selections.length > 0);
    for (const { signalDay, targets } of book.selections) {
      for (const target of targets) {
        assert.equal(eligible[target][signalDay], 1, `stock ${target} on day ${signalDay}`);
      }
      assert.equal(targets.length, eligible.reduce((sum, series) => sum + (series[signalDay] ? 1 : 0), 0));
    }
  },
});
