/**
 * The hybrid design's data as features (lib/experiments/hybrid_data.ts cuts them into windows): an
 * aligned panel of the 100 BaoStock stocks, point-in-time fundamentals, lagged macro factors with
 * economic phases and the 15 technical features, each fitted on training days only, and the seed's
 * leaky stat-date join kept to show the leak.
 *
 * Splits: train 2013 .. 2018, validation 2019, test 2020-01-01 .. 2023-06-30. Every normaliser, the
 * clipping quantiles, the phase detector and the macro scaling are fitted on training days only.
 */
import {
  type BaostockColumn,
  type BaostockDaily,
  parseBaostockDaily,
  type PriceBreak,
  type ResolveArgs,
  resolveDataset,
} from "../data/mod.ts";
import { detectPhases, fitPhaseDetector, phaseWeightedFactors } from "./economic_phase.ts";
import { backwardFill, processFundamentals } from "./fundamental_processor.ts";
import { type MacroMonthly, type MacroName, macroToDaily, parseMacroCsv } from "./macro.ts";
import {
  asOfJoin,
  type FundamentalRecord,
  type FundamentalTable,
  parseFundamentalCsv,
  recordsByCode,
} from "./point_in_time.ts";
import { TECHNICAL_FEATURE_NAMES, technicalFeatures } from "./technical.ts";
import { type MembershipEvent, parseIndexMembership } from "./index_membership.ts";

/** Chronological split boundaries (inclusive last days). */
export const HYBRID_SPLITS = {
  /** Days before this are warm-up only (no training window ends before it). */
  trainStart: "2013-01-01",
  trainEnd: "2018-12-31",
  validationEnd: "2019-12-31",
  testEnd: "2023-06-30",
} as const;

/**
 * The 8 company features, in model order, with their source and input group. The first four are
 * the figures a quarterly report changes, which the earnings-season rule boosts.
 *
 * Porting note: the seed names PE, PB, ROE and debt-to-equity in its processor, 8 fundamental
 * inputs in its model and never lists them. Ours: ROE, net profit margin, EPS TTM, net-profit growth
 * (quarterly, point in time) and PE TTM, PB MRQ, PS TTM, price/cash-flow TTM (daily valuation ratios).
 * Debt ratios are only in an annual file without announcement dates, so we leave them out.
 */
export const COMPANY_FEATURES = [
  { name: "roeAvg", source: "profit", group: "profitability", label: "ROE" },
  { name: "npMargin", source: "profit", group: "profitability", label: "net profit margin" },
  { name: "epsTTM", source: "profit", group: "profitability", label: "EPS TTM" },
  { name: "YOYNI", source: "growth", group: "growth", label: "net-profit growth YoY" },
  { name: "peTTM", source: "daily", group: "valuation", label: "PE TTM" },
  { name: "pbMRQ", source: "daily", group: "valuation", label: "PB MRQ" },
  { name: "psTTM", source: "daily", group: "valuation", label: "PS TTM" },
  { name: "pcfNcfTTM", source: "daily", group: "valuation", label: "price / cash flow TTM" },
] as const;

/**
 * The 3 macro inputs appended to the fundamental stream: GDP and CPI min-max scaled on training
 * days and weighted by the day's economic phase (the seed's 宏观因子动态加权), and the 10-year bond
 * yield min-max scaled on training days.
 *
 * Porting note: the seed computes weighted macro factors but never feeds them to its model; we
 * append them to the fundamental stream (8 + 3 inputs). Surveyed unemployment starts in 2016, after
 * training starts, so it is not a model input (never back-filled); it is shown, not used.
 */
export const MACRO_FEATURES = ["gdpWeighted", "cpiWeighted", "bondYieldScaled"] as const;

/** Input groups for permutation importance: indices into the fundamental stream, or the technical stream. */
export const INPUT_GROUPS = {
  valuation: { stream: "fundamental", features: [4, 5, 6, 7] },
  profitability: { stream: "fundamental", features: [0, 1, 2] },
  growth: { stream: "fundamental", features: [3] },
  macro: { stream: "fundamental", features: [8, 9, 10] },
  technical: { stream: "technical", features: TECHNICAL_FEATURE_NAMES.map((_, index) => index) },
} as const;

/** Name of an input group. */
export type InputGroup = keyof typeof INPUT_GROUPS;

/** Options of {@link loadHybridUniverse}. */
export interface HybridUniverseArgs {
  /** Stocks to keep, the first n codes in sorted order. Default all (100). */
  stocks?: number;
  /** Where to find the data sets (mirror folder, downloads). Default: the registry's resolution order. */
  resolve?: ResolveArgs;
}

/** The raw data of the hybrid experiments, aligned by date. */
export interface HybridUniverse {
  /** Union of the stocks' trading days, ascending. */
  dates: string[];
  /** Stock codes, sorted (`sh.600036`). */
  codes: string[];
  /** Shenwan level-1 industry of each stock (June 2018 snapshot), {@link UNCLASSIFIED_SECTOR} where absent. */
  sectors: string[];
  /** Every BaoStock column `[stock][day]` on `dates`; NaN where the stock has no row that day. */
  daily: Record<BaostockColumn, Float64Array[]>;
  /** Whether the stock has a row on each day. */
  present: Uint8Array[];
  /** Quarterly profit and growth reports per stock. */
  profit: FundamentalRecord[][];
  /** Growth reports per stock. */
  growth: FundamentalRecord[][];
  /** Column names of the profit and growth tables. */
  profitColumns: string[];
  /** Column names of the growth table. */
  growthColumns: string[];
  /** The monthly macro table. */
  macro: MacroMonthly;
  /** CSI 300 closes (its file ends 2021-11-18). */
  csi300: { dates: string[]; close: Float64Array };
  /** CSI 300 membership changes by six-digit code (`HS300_history.csv`), for the survivorship count. */
  csi300Changes: Map<string, MembershipEvent[]>;
  /** Days each stock's file holds (rows), to show the alignment. */
  rowsPerStock: number[];
  /** Per stock: the days its close-to-close return disagrees with its `pctChg` (data layer), with their day index. */
  priceBreaks: (PriceBreak & { day: number })[][];
}

/**
 * Loads the 100-stock universe, its fundamentals, the macro table and the CSI 300 from the registry
 * (local folder, mirror, or verified download), aligned on the union of trading days.
 *
 * @example
 * ```ts
 * import { loadHybridUniverse } from "./hybrid_features.ts";
 * const universe = await loadHybridUniverse({ stocks: 5 });
 * console.log(universe.codes, universe.dates.length);
 * ```
 */
export async function loadHybridUniverse(args: HybridUniverseArgs = {}): Promise<HybridUniverse> {
  const fundamentals = await resolveDataset("fundamentals-100", args.resolve);
  const macroSet = await resolveDataset("macro-cn", args.resolve);
  // The CSI 300 from 2018 on: the benchmark must span the whole test period (the older file stops 2021-11-18).
  const csiSet = await resolveDataset("csi300-000300-2018-2026", args.resolve);
  const dailyFiles = fundamentals.files.filter((file) => /\/daily\/[^/]+\.csv$/.test(file.path))
    .sort((a, b) => a.path.localeCompare(b.path));
  const chosen = dailyFiles.slice(0, args.stocks ?? dailyFiles.length);
  const stocks: BaostockDaily[] = [];
  for (const file of chosen) {
    stocks.push(parseBaostockDaily(await Deno.readTextFile(file.localPath), file.localPath));
  }
  return assembleUniverse(stocks, {
    profit: parseFundamentalCsv(
      await Deno.readTextFile(fundamentals.pathOf("fundamentals/profit_data.csv")),
      "profit_data.csv",
    ),
    growth: parseFundamentalCsv(
      await Deno.readTextFile(fundamentals.pathOf("fundamentals/growth_data.csv")),
      "growth_data.csv",
    ),
    industries: parseShenwanLevel1(
      await Deno.readTextFile(fundamentals.pathOf("fundamentals/industry_sw_2018.csv")),
    ),
    macro: parseMacroCsv(
      await Deno.readTextFile(macroSet.pathOf("macro/cn_macro_monthly_2010_2025.csv")),
      "cn_macro_monthly_2010_2025.csv",
    ),
    csi300: parseIndexCloses(await Deno.readTextFile(csiSet.files[0].localPath), csiSet.files[0].localPath),
    csi300Changes: parseIndexMembership(
      await Deno.readTextFile(fundamentals.pathOf("fundamentals/HS300_history.csv")),
      "HS300_history.csv",
    ),
  });
}

/** The non-daily inputs of {@link assembleUniverse}. */
export interface UniverseSources {
  /** Parsed `profit_data.csv`. */
  profit: FundamentalTable;
  /** Parsed `growth_data.csv`. */
  growth: FundamentalTable;
  /** Industry by BaoStock code (`sh.600036`): Shenwan level 1 ({@link parseShenwanLevel1}). */
  industries: Map<string, string>;
  /** Parsed macro table. */
  macro: MacroMonthly;
  /** CSI 300 closes. */
  csi300: { dates: string[]; close: Float64Array };
  /** CSI 300 membership changes (`parseIndexMembership`). Default: none known. */
  csi300Changes?: Map<string, MembershipEvent[]>;
}

/**
 * Aligns parsed daily files on the union of their dates (a stock without a row on a day gets NaN and
 * `present = 0`; `sz.300347`, for one, has 2,640 rows where most have 2,688).
 *
 * @example
 * ```ts
 * import { assembleUniverse } from "./hybrid_features.ts";
 * // assembleUniverse([parseBaostockDaily(text, file)], sources)
 * ```
 */
export function assembleUniverse(stocks: readonly BaostockDaily[], sources: UniverseSources): HybridUniverse {
  if (stocks.length === 0) throw new RangeError("assembleUniverse: no stocks");
  const ordered = [...stocks].sort((a, b) => a.code.localeCompare(b.code));
  const dates = [...new Set(ordered.flatMap((stock) => stock.dates))].sort();
  const position = new Map(dates.map((date, index) => [date, index]));
  const daily = {} as Record<BaostockColumn, Float64Array[]>;
  const present: Uint8Array[] = [];
  for (const stock of ordered) {
    const flags = new Uint8Array(dates.length);
    stock.dates.forEach((date) => (flags[position.get(date)!] = 1));
    present.push(flags);
    for (const [name, values] of Object.entries(stock.columns) as [BaostockColumn, Float64Array][]) {
      const aligned = new Float64Array(dates.length).fill(NaN);
      stock.dates.forEach((date, row) => (aligned[position.get(date)!] = values[row]));
      (daily[name] ??= []).push(aligned);
    }
  }
  const profitByCode = recordsByCode(sources.profit);
  const growthByCode = recordsByCode(sources.growth);
  return {
    dates,
    codes: ordered.map((stock) => stock.code),
    sectors: ordered.map((stock) => sources.industries.get(stock.code) ?? UNCLASSIFIED_SECTOR),
    daily,
    present,
    profit: ordered.map((stock) => profitByCode.get(stock.code) ?? []),
    growth: ordered.map((stock) => growthByCode.get(stock.code) ?? []),
    profitColumns: sources.profit.columns,
    growthColumns: sources.growth.columns,
    macro: sources.macro,
    csi300: sources.csi300,
    csi300Changes: sources.csi300Changes ?? new Map(),
    rowsPerStock: ordered.map((stock) => stock.dates.length),
    priceBreaks: ordered.map((stock) =>
      stock.priceBreaks.map((entry) => ({ ...entry, day: position.get(entry.date)! }))
    ),
  };
}

/** The 28 Shenwan (申万, 2014 edition) level-1 industries by code. */
export const SHENWAN_LEVEL1: Readonly<Record<string, string>> = {
  "801010": "农林牧渔 agriculture",
  "801020": "采掘 mining",
  "801030": "化工 chemicals",
  "801040": "钢铁 steel",
  "801050": "有色金属 non-ferrous metals",
  "801080": "电子 electronics",
  "801110": "家用电器 household appliances",
  "801120": "食品饮料 food & beverage",
  "801130": "纺织服装 textiles & apparel",
  "801140": "轻工制造 light manufacturing",
  "801150": "医药生物 pharma & biotech",
  "801160": "公用事业 utilities",
  "801170": "交通运输 transportation",
  "801180": "房地产 real estate",
  "801200": "商业贸易 commerce",
  "801210": "休闲服务 leisure",
  "801230": "综合 conglomerates",
  "801710": "建筑材料 building materials",
  "801720": "建筑装饰 construction",
  "801730": "电气设备 electrical equipment",
  "801740": "国防军工 defence",
  "801750": "计算机 computers",
  "801760": "传媒 media",
  "801770": "通信 telecoms",
  "801780": "银行 banks",
  "801790": "非银金融 non-bank finance",
  "801880": "汽车 autos",
  "801890": "机械设备 machinery",
};

/** The sector of a stock the June 2018 Shenwan snapshot does not list (e.g. listed after it). */
export const UNCLASSIFIED_SECTOR = "unclassified (not in the June 2018 Shenwan snapshot)";

/**
 * Shenwan level-1 industry per BaoStock code from `industry_sw_2018.csv` (`sw_code,stock`, each stock
 * listed at levels 1, 2 and 3; `600435.XSHG` → `sh.600435`). A stock under two level-1 codes is an error.
 *
 * Porting note: the seed scales fundamentals per sector without saying which classification; Tushare's
 * `stock_basic` industries (one current snapshot) left 33 of the universe's 56 sectors with a single
 * stock, so "per sector" meant "per stock". Shenwan level 1 gives 26 sectors for the 100 stocks.
 *
 * @example
 * ```ts
 * import { parseShenwanLevel1 } from "./hybrid_features.ts";
 * parseShenwanLevel1("sw_code,stock\n801780,600036.XSHG\n801192,600036.XSHG\n").get("sh.600036"); // "银行 banks"
 * ```
 */
export function parseShenwanLevel1(text: string, fileName = "industry_sw_2018.csv"): Map<string, string> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "");
  if (lines[0]?.trim() !== "sw_code,stock") {
    throw new Error(`${fileName}, row 1: the header should be "sw_code,stock", got "${lines[0] ?? ""}"`);
  }
  const out = new Map<string, string>();
  for (let line = 1; line < lines.length; line++) {
    const [swCode, stock] = lines[line].split(",").map((cell) => cell.trim());
    const sector = SHENWAN_LEVEL1[swCode];
    if (sector === undefined) continue; // a level-2 or level-3 code
    const match = /^(\d{6})\.(XSHG|XSHE)$/.exec(stock ?? "");
    if (match === null) {
      throw new Error(`${fileName}, row ${line + 1}, column stock: "${stock}" is not 000000.XSHG/XSHE`);
    }
    const code = `${match[2] === "XSHG" ? "sh" : "sz"}.${match[1]}`;
    const before = out.get(code);
    if (before !== undefined && before !== sector) {
      throw new Error(
        `${fileName}, row ${line + 1}: ${code} is in two level-1 industries (${before}, ${sector})`,
      );
    }
    out.set(code, sector);
  }
  return out;
}

/**
 * Dates and closes of an index CSV with `date` and `close` columns (e.g. `000300_csi300.csv`).
 *
 * @example
 * ```ts
 * import { parseIndexCloses } from "./hybrid_features.ts";
 * parseIndexCloses("date,open,close\n2020-01-02,4100,4152.2\n", "csi300.csv").close[0]; // 4152.2
 * ```
 */
export function parseIndexCloses(text: string, fileName: string): { dates: string[]; close: Float64Array } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "");
  const header = lines[0].split(",");
  const dateColumn = header.indexOf("date"), closeColumn = header.indexOf("close");
  if (dateColumn < 0 || closeColumn < 0) throw new Error(`${fileName}, row 1: needs columns date and close`);
  const dates: string[] = [], close: number[] = [];
  for (let line = 1; line < lines.length; line++) {
    const cells = lines[line].split(",");
    const value = Number(cells[closeColumn]);
    if (!(value > 0)) {
      throw new Error(
        `${fileName}, row ${line + 1}, column close: "${cells[closeColumn]}" is not a positive number`,
      );
    }
    if (dates.length > 0 && !(cells[dateColumn] > dates[dates.length - 1])) {
      throw new Error(`${fileName}, row ${line + 1}, column date: "${cells[dateColumn]}" is not ascending`);
    }
    dates.push(cells[dateColumn]);
    close.push(value);
  }
  return { dates, close: Float64Array.from(close) };
}

/** Index of the first date > `isoDate` (i.e. the count of dates ≤ it). */
export function daysThrough(dates: readonly string[], isoDate: string): number {
  let low = 0, high = dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dates[middle] <= isoDate) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Options of {@link buildHybridFeatures}. */
export interface HybridFeatureArgs {
  /** Fundamentals processing: `"corrected"` (default) or the seed's `"asWrittenLeaky"`. */
  variant?: "corrected" | "asWrittenLeaky";
}

/** Model inputs for every stock and day. */
export interface HybridFeatures {
  /** Trading days. */
  dates: string[];
  /** Stock codes. */
  codes: string[];
  /** Days in the training period (`dates[0..trainDays)` end on or before 2018-12-31). */
  trainDays: number;
  /** Days through the validation period (2019). */
  validationDays: number;
  /** Day index of the first training window end (first day ≥ 2013-01-01). */
  trainStartDay: number;
  /** Names of the fundamental stream's inputs (8 company + 3 macro). */
  fundamentalNames: string[];
  /** Fundamental stream `[stock][feature][day]`, processed (NaN where unknown). */
  fundamental: Float64Array[][];
  /** Technical stream `[stock][feature][day]`, standardised with training-day statistics. */
  technical: Float64Array[][];
  /** 1 on the first trading day a new quarterly report is usable, per stock. */
  announcementDay: Uint8Array[];
  /** Back-adjusted closes `[stock][day]` (NaN where no row). */
  close: Float64Array[];
  /** Lagged daily macro series. */
  macroDaily: Record<MacroName, Float64Array>;
  /** Economic phase per day: 1 expansion, 0 contraction, −1 unknown. */
  phase: Int8Array;
  /** Raw (unprocessed) company features `[stock][feature][day]`, for display. */
  rawCompany: Float64Array[][];
  /** Each input's range over the training days (pooled over stocks), which every day is clipped to. */
  trainingRange: { fundamental: [number, number][]; technical: [number, number][] };
  /** Per input name: stock-days after training whose value was clipped to the training range. */
  clippedDays: Record<string, number>;
  /** Per stock: the day indices of its price breaks (see `HybridUniverse.priceBreaks`). */
  priceBreakDays: number[][];
}

/**
 * Builds both input streams on the aligned calendar (see the module note for what is fitted where).
 *
 * @example
 * ```ts
 * import { buildHybridFeatures, loadHybridUniverse } from "./hybrid_features.ts";
 * const features = buildHybridFeatures(await loadHybridUniverse({ stocks: 3 }));
 * console.log(features.fundamentalNames.length); // 11
 * ```
 */
export function buildHybridFeatures(universe: HybridUniverse, args: HybridFeatureArgs = {}): HybridFeatures {
  const { dates, codes } = universe;
  const trainDays = daysThrough(dates, HYBRID_SPLITS.trainEnd);
  const validationDays = daysThrough(dates, HYBRID_SPLITS.validationEnd);
  const trainStartDay = dates.findIndex((date) => date >= HYBRID_SPLITS.trainStart);
  if (trainStartDay < 0 || trainDays <= trainStartDay || validationDays <= trainDays) {
    throw new RangeError(`buildHybridFeatures: dates ${dates[0]} .. ${dates.at(-1)} do not cover the splits`);
  }
  // company features, point in time
  const rawCompany: Float64Array[][] = [];
  const announcementDay: Uint8Array[] = [];
  codes.forEach((_, stock) => {
    const profit = asOfJoin(dates, universe.profit[stock]);
    const growth = asOfJoin(dates, universe.growth[stock]);
    const series = COMPANY_FEATURES.map((feature) => {
      if (feature.source === "daily") return Float64Array.from(universe.daily[feature.name][stock]);
      const table = feature.source === "profit" ? profit : growth;
      const columns = feature.source === "profit" ? universe.profitColumns : universe.growthColumns;
      const column = columns.indexOf(feature.name);
      if (column < 0) throw new Error(`${feature.source}_data.csv: column ${feature.name} is missing`);
      return Float64Array.from(table.values[column]);
    });
    rawCompany.push(series);
    announcementDay.push(
      Uint8Array.from(profit.announcementDay, (flag, day) => flag | growth.announcementDay[day]),
    );
  });
  const processed = processFundamentals({ sectors: universe.sectors, features: rawCompany }, {
    trainDays,
    variant: args.variant ?? "corrected",
  });
  // macro: lagged, phases fitted on training days
  const macroDaily = macroToDaily(universe.macro, dates);
  const detector = fitPhaseDetector(macroDaily, { trainDays });
  const phase = detectPhases(detector, macroDaily).phase;
  const weighted = phaseWeightedFactors(macroDaily, phase, trainDays);
  const bondYieldScaled = minMaxOnTraining(macroDaily.bondYield, trainDays);
  const macroInputs = [weighted.gdp, weighted.cpi, bondYieldScaled];
  const unclippedFundamental = processed.features.map((series) => [...series, ...macroInputs]);
  // technical: per stock on its own rows, then standardised with pooled training-day statistics
  const rawTechnical = codes.map((_, stock) => technicalOnOwnRows(universe, stock));
  const unclippedTechnical = standardiseOnTraining(rawTechnical, trainStartDay, trainDays);
  // Every input clipped to the range it spans on training days (pooled over stocks): the model never sees a
  // value it could not have seen in training (GDP's 2020-21 swings were far outside it).
  const fundamentalNames = [...COMPANY_FEATURES.map((feature) => feature.name), ...MACRO_FEATURES];
  const fundamentalClip = clipToTrainingRange(unclippedFundamental, trainStartDay, trainDays);
  const technicalClip = clipToTrainingRange(unclippedTechnical, trainStartDay, trainDays);
  const fundamental = fundamentalClip.series;
  const technical = technicalClip.series;
  const clippedDays: Record<string, number> = {};
  fundamentalNames.forEach((name, feature) => clippedDays[name] = fundamentalClip.clipped[feature]);
  TECHNICAL_FEATURE_NAMES.forEach((name, feature) => clippedDays[name] = technicalClip.clipped[feature]);
  return {
    dates,
    codes,
    trainDays,
    validationDays,
    trainStartDay,
    fundamentalNames,
    fundamental,
    technical,
    trainingRange: {
      fundamental: fundamentalClip.ranges,
      technical: technicalClip.ranges,
    },
    clippedDays,
    priceBreakDays: universe.priceBreaks.map((breaks) => breaks.map((entry) => entry.day)),
    announcementDay,
    close: universe.daily.close,
    macroDaily,
    phase,
    rawCompany,
  };
}

function technicalOnOwnRows(universe: HybridUniverse, stock: number): Float64Array[] {
  const rows: number[] = [];
  universe.present[stock].forEach((flag, day) => flag === 1 && rows.push(day));
  const pick = (name: BaostockColumn) => rows.map((day) => universe.daily[name][stock][day]);
  const { values } = technicalFeatures({
    high: pick("high"),
    low: pick("low"),
    close: pick("close"),
    volume: pick("volume"),
    turnoverPercent: pick("turn"),
  });
  return values.map((series) => {
    const aligned = new Float64Array(universe.dates.length).fill(NaN);
    rows.forEach((day, row) => (aligned[day] = series[row]));
    return aligned;
  });
}

/**
 * Clips every feature to the range it spans on training days `[fromDay, trainDays)` pooled over stocks
 * (NaN stays NaN), and counts the later stock-days it moved. Shared macro series are clipped per stock
 * like any input (the same array object may appear for every stock; it is clipped once per stock copy).
 *
 * @example
 * ```ts
 * import { clipToTrainingRange } from "./hybrid_features.ts";
 * const { series, clipped } = clipToTrainingRange([[Float64Array.of(0, 1, 5)]], 0, 2);
 * series[0][0]; // Float64Array [0, 1, 1]; clipped[0] = 1
 * ```
 */
export function clipToTrainingRange(
  series: readonly (readonly Float64Array[])[],
  fromDay: number,
  trainDays: number,
): { series: Float64Array[][]; ranges: [number, number][]; clipped: number[] } {
  const features = series[0]?.length ?? 0;
  const ranges: [number, number][] = [];
  for (let feature = 0; feature < features; feature++) {
    let low = Infinity, high = -Infinity;
    for (const stock of series) {
      const values = stock[feature];
      for (let day = fromDay; day < trainDays; day++) {
        const value = values[day];
        if (value < low) low = value;
        if (value > high) high = value;
      }
    }
    ranges.push([low, high]);
  }
  const clipped = new Array<number>(features).fill(0);
  const out = series.map((stock) =>
    stock.map((values, feature) => {
      const [low, high] = ranges[feature];
      if (!(low <= high)) return Float64Array.from(values); // no training value: nothing to clip to
      return values.map((value, day) => {
        if (Number.isNaN(value) || (value >= low && value <= high)) return value;
        if (day >= trainDays) clipped[feature]++;
        return value < low ? low : high;
      });
    })
  );
  return { series: out, ranges, clipped };
}

function minMaxOnTraining(values: Float64Array, trainDays: number): Float64Array {
  let minimum = Infinity, maximum = -Infinity;
  for (let day = 0; day < trainDays; day++) {
    if (values[day] < minimum) minimum = values[day];
    if (values[day] > maximum) maximum = values[day];
  }
  const range = maximum - minimum;
  return values.map((value) => (range > 0 ? (value - minimum) / range : NaN));
}

/**
 * Standardises each feature with the mean and population deviation pooled over all stocks' finite
 * values on days `[firstDay, trainDays)`; later days use the same statistics.
 *
 * @example
 * ```ts
 * import { standardiseOnTraining } from "./hybrid_features.ts";
 * standardiseOnTraining([[Float64Array.of(1, 3, 100)]], 0, 2)[0][0]; // Float64Array [-1, 1, 98]
 * ```
 */
export function standardiseOnTraining(
  series: readonly (readonly Float64Array[])[],
  firstDay: number,
  trainDays: number,
): Float64Array[][] {
  if (series.length === 0) return [];
  const featureCount = series[0].length;
  const means = new Float64Array(featureCount), scales = new Float64Array(featureCount);
  for (let feature = 0; feature < featureCount; feature++) {
    let count = 0, sum = 0, squares = 0;
    for (const stock of series) {
      for (let day = firstDay; day < trainDays; day++) {
        const value = stock[feature][day];
        if (Number.isFinite(value)) {
          count++;
          sum += value;
          squares += value * value;
        }
      }
    }
    means[feature] = count > 0 ? sum / count : NaN;
    const variance = count > 0 ? squares / count - means[feature] ** 2 : NaN;
    scales[feature] = variance > 0 ? Math.sqrt(variance) : 1;
  }
  return series.map((stock) =>
    stock.map((values, feature) => values.map((value) => (value - means[feature]) / scales[feature]))
  );
}

/**
 * The leaky way to put quarterly figures on a daily calendar, for comparison: each figure is used
 * from its period end (`statDate`) — weeks before it was announced — and the days before the first
 * period end are back-filled with the first figure (the seed's `fillna(method='bfill')`).
 *
 * @example
 * ```ts
 * import { leakyStatDateJoin } from "./hybrid_features.ts";
 * const records = [{ code: "sh.600000", publishDate: "2013-04-27", periodEnd: "2013-03-31", values: Float64Array.of(0.05) }];
 * leakyStatDateJoin(["2013-03-29", "2013-04-01"], records)[0]; // Float64Array [0.05, 0.05]
 * ```
 */
export function leakyStatDateJoin(
  dates: readonly string[],
  records: readonly FundamentalRecord[],
): Float64Array[] {
  const joined = asOfJoin(dates, records.map((record) => ({ ...record, publishDate: record.periodEnd })));
  return joined.values.map((series) => backwardFill(series));
}
