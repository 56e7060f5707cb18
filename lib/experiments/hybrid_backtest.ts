/**
 * The hybrid design's backtest (notebook 09): predicted 5-day returns → a long-only top-k book
 * under A-share rules over the test period, beside naive strategies, a ridge regression on the same
 * inputs, and the A/B risk rules.
 *
 * @module
 */
import {
  type BacktestResult,
  backtestTopK,
  backtestTopKWithExposure,
  equalWeightBuyAndHold,
  indexBuyAndHold,
  type MarketPanel,
  momentumBacktest,
  type PortfolioMetrics,
  type ReturnFit,
  returnFit,
  scoreMatrix,
} from "../eval/mod.ts";
import { fitRidge } from "../models/mod.ts";
import { volatilityBreaker } from "../risk/mod.ts";
import { summarise } from "./_private.ts";
import type { HybridUniverse, SplitWindows } from "./hybrid_data.ts";
import { membershipOn } from "../features/mod.ts";

/** The seed's reported figures (its table 6.2), published without data or code. */
export const HYBRID_REPORTED = {
  mae: 0.023,
  rmse: 0.031,
  r2: 0.87,
  sharpe: 1.85,
  maxDrawdown: -0.124,
  winRate: 0.682,
  profitFactor: 2.1,
} as const;

/**
 * The test-period market of the chosen stocks: back-adjusted open/close, BaoStock's previous close,
 * trading status and ST flags.
 *
 * Porting note: prices are BaoStock's back-adjusted ones, so the ±10%/±20% limit test compares
 * adjusted prices; on ex-dividend days that can differ slightly from the exchange's own test.
 *
 * @example
 * ```ts
 * import { hybridMarketPanel } from "./hybrid_backtest.ts";
 * // const panel = hybridMarketPanel(universe, [0, 1, 2]);
 * ```
 */
export function hybridMarketPanel(universe: HybridUniverse, stocks: readonly number[]): MarketPanel {
  const pick = (name: "open" | "close" | "preclose" | "tradestatus" | "isST") =>
    stocks.map((stock) => universe.daily[name][stock]);
  return {
    dates: universe.dates,
    codes: stocks.map((stock) => universe.codes[stock]),
    close: pick("close"),
    open: pick("open"),
    previousClose: pick("preclose"),
    tradeStatus: pick("tradestatus").map((series) =>
      series.map((value) => (Number.isNaN(value) ? 0 : value))
    ),
    specialTreatment: pick("isST"),
  };
}

/**
 * Score matrix `[stock position][day]` from per-window predictions (stock index → its position in
 * `stocks`); days without a prediction are NaN (never held).
 *
 * @example
 * ```ts
 * import { predictionScores } from "./hybrid_backtest.ts";
 * // predictionScores(testWindows, predicted, stocks, dayCount)
 * ```
 */
export function predictionScores(
  windows: SplitWindows,
  predicted: ArrayLike<number>,
  stocks: readonly number[],
  dayCount: number,
): Float64Array[] {
  if (predicted.length !== windows.windows.shape.samples) {
    throw new RangeError(
      `predictionScores: ${predicted.length} predictions for ${windows.windows.shape.samples} windows`,
    );
  }
  const position = new Map(stocks.map((stock, index) => [stock, index]));
  return scoreMatrix(
    stocks.length,
    dayCount,
    Array.from(predicted, (value, sample) => ({
      stock: position.get(windows.stock[sample])!,
      day: windows.windows.endDay[sample],
      value,
    })),
  );
}

/**
 * Ridge regression on the same inputs, using each window's last day (8 company + 3 macro + 15
 * technical values): fitted on the training windows, predicting any split.
 *
 * @example
 * ```ts
 * import { ridgeOnLastDay } from "./hybrid_backtest.ts";
 * // const { predict } = ridgeOnLastDay(splits.train);  predict(splits.test)
 * ```
 */
export function ridgeOnLastDay(
  train: SplitWindows,
  l2 = 1,
): { predict: (split: SplitWindows) => Float64Array } {
  const model = fitRidge(lastDayInputs(train), train.windows.target, { l2 });
  return { predict: (split) => model.predict(lastDayInputs(split)) };
}

function lastDayInputs(split: SplitWindows): Float64Array {
  const { samples, windowDays, fundamentalFeatures, technicalFeatures } = split.windows.shape;
  const width = fundamentalFeatures + technicalFeatures;
  const out = new Float64Array(samples * width);
  for (let sample = 0; sample < samples; sample++) {
    const step = sample * windowDays + windowDays - 1;
    for (let feature = 0; feature < fundamentalFeatures; feature++) {
      out[sample * width + feature] = split.windows.fundamental[step * fundamentalFeatures + feature];
    }
    for (let feature = 0; feature < technicalFeatures; feature++) {
      out[sample * width + fundamentalFeatures + feature] =
        split.windows.technical[step * technicalFeatures + feature];
    }
  }
  return out;
}

/**
 * Equal-weight daily return of the universe (mean over stocks with a close on both days), the
 * market series the circuit breaker watches.
 *
 * Porting note: the seed never says which returns its breaker watches; we use the universe's own
 * equal-weight return (the market the book trades in).
 *
 * @example
 * ```ts
 * import { equalWeightMarketReturns } from "./hybrid_backtest.ts";
 * equalWeightMarketReturns([[10, 11], [20, 19]]); // Float64Array [NaN, 0.025]
 * ```
 */
export function equalWeightMarketReturns(close: readonly ArrayLike<number>[]): Float64Array {
  const days = close.length > 0 ? close[0].length : 0;
  const out = new Float64Array(days).fill(NaN);
  for (let day = 1; day < days; day++) {
    let sum = 0, count = 0;
    for (const series of close) {
      if (series[day] > 0 && series[day - 1] > 0) {
        sum += series[day] / series[day - 1] - 1;
        count++;
      }
    }
    if (count > 0) out[day] = sum / count;
  }
  // the first day has no return; treat it as flat so the rolling volatility can start
  if (days > 0) out[0] = 0;
  return out;
}

/** One row of the backtest table: a strategy's fit (where it predicts returns) and its book. */
export interface StrategyRow {
  /** Strategy name. */
  strategy: string;
  /** Where the number comes from. */
  kind: "model" | "baseline" | "A/B" | "published";
  /** Per-seed fits on test windows (empty where the strategy makes no return forecast). */
  fits: ReturnFit[];
  /** Per-seed portfolio metrics (one entry for deterministic strategies). */
  metrics: PortfolioMetrics[];
  /** First and last date of the curve. */
  period: string;
  /** An equity curve to draw (the first seed's), normalised to start at 1. */
  curve?: { dates: string[]; values: Float64Array };
}

/**
 * A strategy row from backtests (one per seed; none for a forecast without a book) and optional fits.
 *
 * @example
 * ```ts
 * import { strategyRow } from "./hybrid_backtest.ts";
 * // strategyRow("two-branch LSTM", "model", results, fits)
 * ```
 */
export function strategyRow(
  strategy: string,
  kind: StrategyRow["kind"],
  results: readonly BacktestResult[],
  fits: ReturnFit[] = [],
): StrategyRow {
  const first = results.at(0);
  return {
    strategy,
    kind,
    fits,
    metrics: results.map((result) => result.metrics),
    period: first === undefined ? "—" : `${first.dates[0]} .. ${first.dates.at(-1)}`,
    curve: first === undefined
      ? undefined
      : { dates: first.dates, values: first.values.map((value) => value / first.values[0]) },
  };
}

/** Options of {@link hybridBaselineRows}. */
export interface HybridBacktestArgs {
  /** Stocks held. */
  topK: number;
  /** First and last day of the test curve. */
  startDay: number;
  /** Last day. */
  endDay: number;
  /** Momentum look-back in days. Default 20. */
  momentumDays?: number;
  /**
   * Annual risk-free rate per universe day (a fraction; e.g. the 10-year government yield as known that
   * day, {@link riskFreeFromBondYield}), subtracted in every Sharpe ratio. Default: none (a zero rate).
   */
  riskFreeRate?: ArrayLike<number>;
}

/** How many of a universe's stocks were CSI 300 members on one day. */
export interface MembershipCount {
  /** The day. */
  date: string;
  /** Members that day. */
  members: number;
  /** Not members that day. */
  notMembers: number;
  /** Stocks whose membership the change list cannot tell (no change listed at all). */
  unknown: number;
}

/**
 * Survivorship, counted: on each of `days`, how many of the universe's stocks were CSI 300 members (from
 * the index's change list), not members, or of unknown membership. The universe holds only stocks that
 * trade to its end — no delisted stock — so its returns describe survivors; these counts show how far it
 * is from the index's membership at the time.
 *
 * @example
 * ```ts ignore
 * import { csi300MembershipCounts } from "./hybrid_backtest.ts";
 * csi300MembershipCounts(universe, [startDay, endDay]);
 * ```
 */
export function csi300MembershipCounts(universe: HybridUniverse, days: readonly number[]): MembershipCount[] {
  return days.map((day) => {
    const date = universe.dates[day];
    const count = { date, members: 0, notMembers: 0, unknown: 0 };
    for (const code of universe.codes) {
      const state = membershipOn(universe.csi300Changes.get(code.slice(-6)), date);
      if (state === "member") count.members++;
      else if (state === "not a member") count.notMembers++;
      else count.unknown++;
    }
    return count;
  });
}

/**
 * A point-in-time universe: 1 on the days a stock was a CSI 300 member by the index's change list, else 0
 * (`[stock position][day]`). A stock the list never names counts as not a member — the universe's stocks were
 * CSI 300 or CSI 500 members, so "never named" may mean either — and {@link csi300MembershipCounts} shows how
 * many those are.
 *
 * @example
 * ```ts ignore
 * import { csi300Eligibility } from "./hybrid_backtest.ts";
 * const eligible = csi300Eligibility(universe, stocks); // eligible[0][day] === 1 when stock 0 was a member
 * ```
 */
export function csi300Eligibility(universe: HybridUniverse, stocks: readonly number[]): Uint8Array[] {
  return stocks.map((stock) => {
    const events = universe.csi300Changes.get(universe.codes[stock].slice(-6));
    return Uint8Array.from(universe.dates, (date) => (membershipOn(events, date) === "member" ? 1 : 0));
  });
}

/**
 * Scores with every day a stock may not be held set to NaN (never bought), e.g. to trade only the stocks
 * that were index members at the time.
 *
 * @example
 * ```ts
 * import { restrictScores } from "./hybrid_backtest.ts";
 * restrictScores([Float64Array.of(0.1, 0.2)], [Uint8Array.of(1, 0)])[0]; // Float64Array [0.1, NaN]
 * ```
 */
export function restrictScores(
  scores: readonly Float64Array[],
  eligible: readonly ArrayLike<number>[],
): Float64Array[] {
  if (eligible.length !== scores.length) {
    throw new RangeError(
      `restrictScores: ${scores.length} stocks of scores but ${eligible.length} of eligibility`,
    );
  }
  return scores.map((series, stock) =>
    Float64Array.from(series, (value, day) => (eligible[stock][day] ? value : NaN))
  );
}

/**
 * Equal weight over the eligible stocks, rebalanced with the books' rules (every 5 days, costs, T+1, limits):
 * the buy-and-hold baseline of a point-in-time universe.
 *
 * @example
 * ```ts ignore
 * import { eligibleEqualWeight } from "./hybrid_backtest.ts";
 * eligibleEqualWeight(panel, csi300Eligibility(universe, stocks), { startDay, endDay, riskFreeRate });
 * ```
 */
export function eligibleEqualWeight(
  panel: MarketPanel,
  eligible: readonly ArrayLike<number>[],
  args: Omit<HybridBacktestArgs, "topK">,
): BacktestResult {
  const scores = restrictScores(eligible.map((series) => Float64Array.from(series, () => 1)), eligible);
  return backtestTopK(panel, scores, {
    startDay: args.startDay,
    endDay: args.endDay,
    topK: eligible.length,
    riskFreeRate: args.riskFreeRate,
  });
}

/**
 * The risk-free rate each day as the hybrid study uses it: the 10-year Chinese government bond yield as
 * known that day (the macro table's month-end close, published the next day), as an annual fraction.
 * Days before its first value take none: an error, not a silent zero.
 *
 * @example
 * ```ts
 * import { riskFreeFromBondYield } from "./hybrid_backtest.ts";
 * riskFreeFromBondYield(Float64Array.of(2.8, 2.7))[1]; // 0.027
 * ```
 */
export function riskFreeFromBondYield(bondYieldPercent: ArrayLike<number>, fromDay = 0): Float64Array {
  const rates = Float64Array.from(bondYieldPercent, (value) => value / 100);
  for (let day = fromDay; day < rates.length; day++) {
    if (!Number.isFinite(rates[day])) {
      throw new RangeError(`riskFreeFromBondYield: no 10-year yield known on day ${day}`);
    }
  }
  return rates;
}

/**
 * The naive strategies over the test period: equal-weight buy-and-hold of the universe, CSI 300
 * buy-and-hold over the same days (a price index: no dividends; an index that stops early is labelled),
 * and 20-day momentum top-k.
 *
 * @example
 * ```ts
 * import { hybridBaselineRows } from "./hybrid_backtest.ts";
 * // hybridBaselineRows(panel, universe, { topK: 10, startDay, endDay })
 * ```
 */
export function hybridBaselineRows(
  panel: MarketPanel,
  universe: HybridUniverse,
  args: HybridBacktestArgs,
): StrategyRow[] {
  const trading = { startDay: args.startDay, endDay: args.endDay, riskFreeRate: args.riskFreeRate };
  const rows = [
    strategyRow("equal-weight buy-and-hold (universe)", "baseline", [equalWeightBuyAndHold(panel, trading)]),
    strategyRow(`momentum ${args.momentumDays ?? 20}-day top-${args.topK}`, "baseline", [
      momentumBacktest(panel, args.momentumDays ?? 20, { ...trading, topK: args.topK }),
    ]),
  ];
  const first = universe.dates[args.startDay], last = universe.dates[args.endDay];
  const inTest = universe.csi300.dates.flatMap((
    date,
    index,
  ) => (date >= first && date <= last ? [index] : []));
  if (inTest.length > 1) {
    const dates = inTest.map((index) => universe.csi300.dates[index]);
    // The rate over each index return: the universe day of its first date.
    const universeDay = new Map(universe.dates.map((date, day) => [date, day]));
    const rates = args.riskFreeRate === undefined ? undefined : dates.slice(0, -1).map((date) => {
      const day = universeDay.get(date);
      if (day === undefined) {
        throw new Error(`hybridBaselineRows: CSI 300 date ${date} is not a universe day`);
      }
      return args.riskFreeRate![day];
    });
    const index = indexBuyAndHold(inTest.map((day) => universe.csi300.close[day]), { riskFreeRate: rates });
    // Compared over the same days only: a benchmark that stops early says so in its name.
    const covers = dates[0] === first && dates.at(-1) === last;
    rows.push({
      strategy: `CSI 300 buy-and-hold (price index: no dividends, no costs)${
        covers ? "" : ` — covers only ${dates[0]} .. ${dates.at(-1)}, not the whole period`
      }`,
      kind: "baseline",
      fits: [],
      metrics: [index.metrics],
      period: `${dates[0]} .. ${dates.at(-1)}`,
      curve: { dates, values: index.values.map((value) => value / index.values[0]) },
    });
  }
  return rows;
}

/**
 * Backtests of a model's predictions, one per seed: top-k on the predicted returns, or — with
 * `exposure` — the same with the 熔断 circuit breaker acting on how much is invested (the B row).
 *
 * @example
 * ```ts
 * import { modelBacktests } from "./hybrid_backtest.ts";
 * // modelBacktests(panel, testWindows, predictionsPerSeed, stocks, { topK: 10, startDay, endDay })
 * ```
 */
export function modelBacktests(
  panel: MarketPanel,
  test: SplitWindows,
  predictions: readonly Float32Array[],
  stocks: readonly number[],
  args: HybridBacktestArgs & { exposure?: ArrayLike<number>; eligible?: readonly ArrayLike<number>[] },
): BacktestResult[] {
  return predictions.map((predicted) => {
    const all = predictionScores(test, predicted, stocks, panel.dates.length);
    const scores = args.eligible ? restrictScores(all, args.eligible) : all;
    const trading = {
      startDay: args.startDay,
      endDay: args.endDay,
      topK: args.topK,
      riskFreeRate: args.riskFreeRate,
    };
    return args.exposure === undefined
      ? backtestTopK(panel, scores, trading)
      : backtestTopKWithExposure(panel, scores, args.exposure, trading);
  });
}

/**
 * The circuit breaker's exposure per day: 0.5 where the universe's 20-day annualised volatility is
 * above 20% and rising, else 1 (the seed's rule, acting on how much of the book is invested).
 *
 * @example
 * ```ts
 * import { breakerExposure } from "./hybrid_backtest.ts";
 * // const { exposure, tripped, volatility } = breakerExposure(panel.close)
 * ```
 */
export function breakerExposure(
  close: readonly ArrayLike<number>[],
): { exposure: Float64Array; tripped: Uint8Array; volatility: Float64Array } {
  const breaker = volatilityBreaker(equalWeightMarketReturns(close));
  return { exposure: breaker.multiplier, tripped: breaker.tripped, volatility: breaker.volatility };
}

/** A display row: numbers as "mean ± std" over seeds where there are several. */
export type DisplayRow = Record<string, string | number>;

/**
 * Formats strategy rows (and the seed's published figures) into one table.
 *
 * @example
 * ```ts
 * import { backtestTable } from "./hybrid_backtest.ts";
 * // table(backtestTable(rows))
 * ```
 */
export function backtestTable(rows: readonly StrategyRow[], withPublished = true): DisplayRow[] {
  const show = (values: number[], digits: number, percent = false) => {
    const finite = values.filter((value) => Number.isFinite(value));
    if (finite.length === 0) return "—";
    const scale = percent ? 100 : 1, suffix = percent ? "%" : "";
    const summary = summarise(finite);
    const mean = (summary.mean * scale).toFixed(digits) + suffix;
    return finite.length > 1 ? `${mean} ± ${(summary.std * scale).toFixed(digits)}${suffix}` : mean;
  };
  // Win rate and profit factor count closed trades for strategies that trade and days for buy-and-hold:
  // one column per definition, never both in one.
  const onBasis = (row: StrategyRow, basis: "trades" | "days") =>
    row.metrics.filter((metric) => metric.winBasis === basis);
  const out: DisplayRow[] = rows.map((row) => ({
    strategy: row.strategy,
    source: row.kind,
    seeds: row.metrics.length,
    MAE: show(row.fits.map((fit) => fit.mae), 4),
    RMSE: show(row.fits.map((fit) => fit.rmse), 4),
    "R²": show(row.fits.map((fit) => fit.r2), 3),
    "annualised return": show(row.metrics.map((metric) => metric.annualisedReturn), 1, true),
    Sharpe: show(row.metrics.map((metric) => metric.sharpe), 2),
    "max drawdown": show(row.metrics.map((metric) => metric.maxDrawdown), 1, true),
    "win rate (closed trades)": show(onBasis(row, "trades").map((metric) => metric.winRate), 1, true),
    "profit factor (closed trades)": show(onBasis(row, "trades").map((metric) => metric.profitFactor), 2),
    "win rate (days)": show(onBasis(row, "days").map((metric) => metric.winRate), 1, true),
    "profit factor (days)": show(onBasis(row, "days").map((metric) => metric.profitFactor), 2),
    "turnover (×/year)": show(row.metrics.map((metric) => metric.turnover), 1),
    period: row.period,
  }));
  if (withPublished) {
    const published = HYBRID_REPORTED;
    out.push({
      strategy: "seed's claim — published without data or code",
      source: "published",
      seeds: "—",
      MAE: published.mae.toFixed(3),
      RMSE: published.rmse.toFixed(3),
      "R²": published.r2.toFixed(2) + " (on prices)",
      "annualised return": "—",
      Sharpe: published.sharpe.toFixed(2),
      "max drawdown": (published.maxDrawdown * 100).toFixed(1) + "%",
      // The seed does not say what it counts; a strategy's win rate usually counts trades.
      "win rate (closed trades)": (published.winRate * 100).toFixed(1) + "% (basis not stated)",
      "profit factor (closed trades)": published.profitFactor.toFixed(1),
      "win rate (days)": "—",
      "profit factor (days)": "—",
      "turnover (×/year)": "—",
      period: "unknown",
    });
  }
  return out;
}

/**
 * Fit of the naive "predict zero return" forecast on the test windows, as a row of fits.
 *
 * @example
 * ```ts
 * import { zeroForecastFit } from "./hybrid_backtest.ts";
 * // zeroForecastFit(splits.test)
 * ```
 */
export function zeroForecastFit(test: SplitWindows): ReturnFit {
  return returnFit(new Float64Array(test.windows.shape.samples), test.windows.target);
}

/**
 * Drawdown of an equity curve on each day: value / running maximum − 1 (0 at a new high).
 *
 * @example
 * ```ts
 * import { drawdownCurve } from "./hybrid_backtest.ts";
 * drawdownCurve([1, 1.2, 0.9, 1.3]); // Float64Array [0, 0, -0.25, 0]
 * ```
 */
export function drawdownCurve(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let peak = -Infinity;
  for (let day = 0; day < values.length; day++) {
    if (values[day] > peak) peak = values[day];
    out[day] = values[day] / peak - 1;
  }
  return out;
}
