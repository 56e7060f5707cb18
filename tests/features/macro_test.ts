import assert from "node:assert/strict";
import {
  CONTRACTION,
  detectPhases,
  EXPANSION,
  fitPhaseDetector,
  macroToDaily,
  parseMacroCsv,
  phaseWeightedFactors,
  releaseDate,
  trainingPhaseLabels,
  UNKNOWN_PHASE,
} from "../../lib/features/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const HEADER = "month,cpi_yoy_pct,urban_surveyed_unemployment_pct,pmi_manufacturing,m2_yoy_pct," +
  "cgb_10y_yield_pct_month_end,gdp_real_yoy_pct_quarter_wind";
const CSV = [
  HEADER,
  "2020-01,5.4,,50.0,8.4,2.8,",
  "2020-02,5.2,6.2,35.7,8.8,2.7,",
  "2020-03,4.3,,52.0,10.1,2.6,-6.8",
  "2020-04,3.3,6.0,50.8,11.1,2.5,",
].join("\n");

Deno.test("releaseDate: month end plus the lag", () => {
  assert.equal(releaseDate("2020-01", 10), "2020-02-10");
  assert.equal(releaseDate("2020-02", 1), "2020-03-01"); // leap year: Feb 29 + 1
  assert.equal(releaseDate("2020-03", 20), "2020-04-20");
});

Deno.test("macroToDaily: each figure only from its release; gaps keep the last figure; nothing back-filled", () => {
  const monthly = parseMacroCsv(CSV, "macro.csv");
  const dates = [
    "2020-02-03",
    "2020-02-07",
    "2020-02-10",
    "2020-03-02",
    "2020-03-16",
    "2020-04-17",
    "2020-04-20",
    "2020-04-30",
    "2020-05-15",
  ];
  const daily = macroToDaily(monthly, dates);
  // CPI of January (5.4) from Feb 20 (20 days after the month: a late release like 2019-02-15 is
  // covered), not before
  assert.deepEqual(Array.from(daily.cpi).slice(0, 4), [NaN, NaN, NaN, 5.4]);
  // PMI of January from Feb 1; of February from Mar 1
  assert.deepEqual(Array.from(daily.pmi).slice(0, 4), [50, 50, 50, 35.7]);
  // GDP of Q1 from Apr 20
  assert.deepEqual(Array.from(daily.gdp).slice(4, 7), [NaN, NaN, -6.8]);
  // unemployment: missing until February's figure (Mar 20); March is empty, so February's stays until
  // April's (May 20)
  assert.deepEqual(Array.from(daily.unemployment), [NaN, NaN, NaN, NaN, NaN, 6.2, 6.2, 6.2, 6.2]);
  assert.throws(
    () => parseMacroCsv(CSV.replace("8.4", "x"), "macro.csv"),
    /macro.csv, row 2, column m2_yoy_pct: "x"/,
  );
});

const REAL = "../shared/data/macro/cn_macro_monthly_2010_2025.csv";
const hasReal = await Deno.stat(REAL).then(() => true, () => false);

Deno.test({
  name: "real data: the macro table parses; unemployment is missing before 2016 and stays missing",
  ignore: !hasReal,
  fn: async () => {
    const monthly = parseMacroCsv(await Deno.readTextFile(REAL), "cn_macro_monthly_2010_2025.csv");
    assert.equal(monthly.months.length, 192);
    const daily = macroToDaily(monthly, ["2015-12-31", "2016-02-22"]);
    assert.ok(Number.isNaN(daily.unemployment[0]));
    assert.equal(daily.unemployment[1], 4.99);
  },
});

/** 200 days in blocks of 25, alternating expansion / contraction, with noise. */
function constructed(seed: number) {
  const random = createRandom(seed);
  const days = 200;
  const truth = new Int8Array(days);
  const series = {
    gdp: new Float64Array(days),
    cpi: new Float64Array(days),
    pmi: new Float64Array(days),
    m2: new Float64Array(days),
    unemployment: new Float64Array(days),
  };
  for (let day = 0; day < days; day++) {
    const up = Math.floor(day / 25) % 2 === 0;
    truth[day] = up ? EXPANSION : CONTRACTION;
    series.gdp[day] = (up ? 8 : 6) + random.normal(0, 0.3);
    series.cpi[day] = (up ? 3 : 1.5) + random.normal(0, 0.4);
    series.pmi[day] = (up ? 51.5 : 48.5) + random.normal(0, 0.6);
    series.m2[day] = (up ? 13 : 10) + random.normal(0, 0.8);
    series.unemployment[day] = (up ? 5 : 5.5) + random.normal(0, 0.1);
  }
  return { series, truth };
}

Deno.test("phase detector recovers known phases on unseen days", () => {
  const { series, truth } = constructed(11);
  const detector = fitPhaseDetector(series, { trainDays: 100 });
  const { phase } = detectPhases(detector, series);
  let right = 0;
  for (let day = 100; day < 200; day++) if (phase[day] === truth[day]) right++;
  assert.ok(right >= 97, `${right} of 100 test days right`);
  // the training labels are the transparent rule
  const { labels, gdpMedian } = trainingPhaseLabels(series, 100);
  assert.equal(detector.gdpMedian, gdpMedian);
  for (let day = 0; day < 100; day++) {
    const expected = series.pmi[day] >= 50 && series.gdp[day] > gdpMedian
      ? EXPANSION
      : series.pmi[day] < 50 && series.gdp[day] <= gdpMedian
      ? CONTRACTION
      : UNKNOWN_PHASE;
    assert.equal(labels[day], expected);
  }
});

Deno.test("phase detector: fitted on training days only; missing inputs give no phase", () => {
  const { series } = constructed(12);
  const detector = fitPhaseDetector(series, { trainDays: 100 });
  const poisoned = { ...series, gdp: series.gdp.map((v, day) => (day < 100 ? v : 1e6)) };
  assert.deepEqual(fitPhaseDetector(poisoned, { trainDays: 100 }), detector);
  const gap = { ...series, cpi: series.cpi.map((v, day) => (day === 150 ? NaN : v)) };
  assert.equal(detectPhases(detector, gap).phase[150], UNKNOWN_PHASE);
  assert.throws(
    () => fitPhaseDetector({ ...series, pmi: series.pmi.map(() => 51) }, { trainDays: 100 }),
    /0 contraction/,
  );
});

Deno.test("phaseWeightedFactors: training min-max scaling times the seed's phase weights", () => {
  const daily = { gdp: [6, 8, 7, 10], cpi: [1, 3, 2, 2], unemployment: [NaN, 5, 5.5, 6] };
  const phase = Int8Array.of(EXPANSION, CONTRACTION, EXPANSION, UNKNOWN_PHASE);
  const factors = phaseWeightedFactors(daily, phase, 3);
  assert.deepEqual(factors.scaling.gdp, { minimum: 6, maximum: 8 });
  assert.deepEqual(Array.from(factors.gdp), [0, 0.2, 0.5 * 0.4, NaN]);
  assert.deepEqual(Array.from(factors.cpi), [0, 0.5, 0.5 * 0.3, NaN]);
  // unemployment before its start stays missing
  assert.ok(Number.isNaN(factors.unemployment[0]));
  assert.deepEqual(Array.from(factors.unemployment).slice(1, 3), [0, 0.3]);
});
