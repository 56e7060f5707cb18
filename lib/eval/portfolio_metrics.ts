/**
 * Metrics of an equity curve (daily portfolio values) and of a list of trade profits.
 *
 * Porting note: the seed lists Sharpe 1.85, max drawdown −12.4%, win rate 68.2% and profit factor
 * 2.1 without defining them; the definitions below are ours and stated on each function.
 */

/** Trading days per year used to annualise. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Simple daily returns `values[t] / values[t − 1] − 1` (length `values.length − 1`).
 *
 * @example
 * ```ts
 * import { dailyReturns } from "./portfolio_metrics.ts";
 * dailyReturns([100, 110, 99]); // Float64Array [0.1, -0.1]
 * ```
 */
export function dailyReturns(values: ArrayLike<number>): Float64Array {
  const returns = new Float64Array(Math.max(0, values.length - 1));
  for (let day = 1; day < values.length; day++) {
    const previous = values[day - 1];
    if (!(previous > 0)) throw new RangeError(`dailyReturns: value at index ${day - 1} is ${previous}`);
    returns[day - 1] = values[day] / previous - 1;
  }
  return returns;
}

/**
 * Compound annual growth: `(last / first)^(periodsPerYear / periods) − 1`, where `periods` is
 * `values.length − 1`.
 *
 * @example
 * ```ts
 * import { annualisedReturn } from "./portfolio_metrics.ts";
 * annualisedReturn([100, 110, 121], 2); // 0.21: two periods make one "year"
 * ```
 */
export function annualisedReturn(values: ArrayLike<number>, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  const periods = values.length - 1;
  if (periods < 1) return NaN;
  const first = values[0], last = values[periods];
  if (!(first > 0) || !(last >= 0)) throw new RangeError(`annualisedReturn: values ${first} → ${last}`);
  return Math.pow(last / first, periodsPerYear / periods) - 1;
}

/**
 * Returns minus the risk-free return of each period: `riskFreeRate / periodsPerYear` for a constant annual
 * rate, or per period from one annual rate per return. A series of another length is an error.
 *
 * @example
 * ```ts
 * import { excessReturns } from "./portfolio_metrics.ts";
 * excessReturns([0.01, 0.02], [0.0252, 0.0504], 252); // Float64Array [0.0099, 0.0198]
 * ```
 */
export function excessReturns(
  returns: ArrayLike<number>,
  riskFreeRate: number | ArrayLike<number> | undefined,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): Float64Array {
  const out = Float64Array.from(returns);
  if (riskFreeRate === undefined) return out;
  if (typeof riskFreeRate === "number") {
    for (let index = 0; index < out.length; index++) out[index] -= riskFreeRate / periodsPerYear;
    return out;
  }
  if (riskFreeRate.length !== out.length) {
    throw new RangeError(`excessReturns: ${riskFreeRate.length} risk-free rates for ${out.length} returns`);
  }
  for (let index = 0; index < out.length; index++) {
    const rate = riskFreeRate[index];
    if (!Number.isFinite(rate)) {
      throw new RangeError(`excessReturns: risk-free rate ${rate} at period ${index}`);
    }
    out[index] -= rate / periodsPerYear;
  }
  return out;
}

/** Options of {@link sharpeRatio}. */
export interface SharpeArgs {
  /**
   * Annual risk-free rate as a fraction, subtracted per period as `rate / periodsPerYear`: one number for
   * a constant rate, or one rate per return (the rate in force over that period, e.g. the 10-year
   * government yield as known at its start). Default 0.
   */
  riskFreeRate?: number | ArrayLike<number>;
  /** Periods per year. Default 252. */
  periodsPerYear?: number;
}

/**
 * Annualised Sharpe ratio: mean excess return over its sample standard deviation (n − 1), times
 * √periodsPerYear. NaN for fewer than two returns or zero spread.
 *
 * @example
 * ```ts
 * import { sharpeRatio } from "./portfolio_metrics.ts";
 * sharpeRatio([0.01, -0.005, 0.002], { riskFreeRate: 0.02 });
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, args: SharpeArgs = {}): number {
  const periodsPerYear = args.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const excess = excessReturns(returns, args.riskFreeRate, periodsPerYear);
  const count = excess.length;
  if (count < 2) return NaN;
  let mean = 0;
  for (let index = 0; index < count; index++) mean += excess[index];
  mean /= count;
  let squares = 0;
  for (let index = 0; index < count; index++) squares += (excess[index] - mean) ** 2;
  const deviation = Math.sqrt(squares / (count - 1));
  if (deviation === 0) return NaN;
  return (mean / deviation) * Math.sqrt(periodsPerYear);
}

/**
 * Maximum drawdown: the most negative `values[t] / max(values[0..t]) − 1` (0 when the curve never
 * falls; reported as a negative fraction, e.g. −0.124 for −12.4%).
 *
 * @example
 * ```ts
 * import { maxDrawdown } from "./portfolio_metrics.ts";
 * maxDrawdown([100, 120, 90, 130]); // -0.25
 * ```
 */
export function maxDrawdown(values: ArrayLike<number>): number {
  let peak = -Infinity, worst = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value > peak) peak = value;
    const drawdown = value / peak - 1;
    if (drawdown < worst) worst = drawdown;
  }
  return worst;
}

/**
 * Share of entries strictly above zero (a zero profit is not a win). NaN for an empty list.
 *
 * @example
 * ```ts
 * import { winRate } from "./portfolio_metrics.ts";
 * winRate([5, -2, 0, 1]); // 0.5
 * ```
 */
export function winRate(profits: ArrayLike<number>): number {
  if (profits.length === 0) return NaN;
  let wins = 0;
  for (let index = 0; index < profits.length; index++) if (profits[index] > 0) wins++;
  return wins / profits.length;
}

/**
 * Profit factor: gross profit over gross loss, `Σ max(p, 0) / |Σ min(p, 0)|`. Infinity when there
 * are gains and no losses; NaN when there are neither.
 *
 * @example
 * ```ts
 * import { profitFactor } from "./portfolio_metrics.ts";
 * profitFactor([5, -2, 1, -1]); // 2
 * ```
 */
export function profitFactor(profits: ArrayLike<number>): number {
  let gains = 0, losses = 0;
  for (let index = 0; index < profits.length; index++) {
    const profit = profits[index];
    if (profit > 0) gains += profit;
    else losses -= profit;
  }
  if (losses === 0) return gains > 0 ? Infinity : NaN;
  return gains / losses;
}

/**
 * Annualised one-way turnover: `(Σ traded value / 2) / mean(portfolio value) × periodsPerYear /
 * periods`, where traded value counts buys and sells (so a full switch of the book once a year is
 * 1.0). `tradedValue[t]` and `values[t]` are per day, same length.
 *
 * @example
 * ```ts
 * import { annualTurnover } from "./portfolio_metrics.ts";
 * annualTurnover([0, 200, 0], [100, 100, 100], 2); // (200 / 2) / 100 × 2 / 2 = 1
 * ```
 */
export function annualTurnover(
  tradedValue: ArrayLike<number>,
  values: ArrayLike<number>,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): number {
  if (tradedValue.length !== values.length) {
    throw new RangeError(`annualTurnover: ${tradedValue.length} traded values vs ${values.length} values`);
  }
  const periods = values.length - 1;
  if (periods < 1) return NaN;
  let traded = 0, meanValue = 0;
  for (let index = 0; index < values.length; index++) {
    traded += tradedValue[index];
    meanValue += values[index];
  }
  meanValue /= values.length;
  return (traded / 2 / meanValue) * (periodsPerYear / periods);
}

/** Options of {@link portfolioMetrics}. */
export interface PortfolioMetricsArgs extends SharpeArgs {
  /** Value traded (buys + sells) per day, aligned with `values`; turnover is NaN without it. */
  tradedValue?: ArrayLike<number>;
  /** Profit of each closed position (net of fees). Without it, win rate and profit factor use daily returns. */
  tradeProfits?: ArrayLike<number>;
}

/** The summary returned by {@link portfolioMetrics}. */
export interface PortfolioMetrics {
  /** Compound annual growth rate. */
  annualisedReturn: number;
  /** Annualised Sharpe ratio of daily returns. */
  sharpe: number;
  /** Maximum drawdown, a negative fraction. */
  maxDrawdown: number;
  /** Win rate over closed trades, or over days when no trade list was given (see `winBasis`). */
  winRate: number;
  /** Profit factor over the same basis as `winRate`. */
  profitFactor: number;
  /** What `winRate` and `profitFactor` count: closed trades or daily returns. */
  winBasis: "trades" | "days";
  /** Annualised one-way turnover (NaN without traded values). */
  turnover: number;
  /** Total return over the whole curve. */
  totalReturn: number;
  /** Number of daily returns. */
  days: number;
}

/**
 * All metrics of one equity curve.
 *
 * @example
 * ```ts
 * import { portfolioMetrics } from "./portfolio_metrics.ts";
 * const summary = portfolioMetrics([100, 101, 99, 103]);
 * console.log(summary.sharpe, summary.maxDrawdown);
 * ```
 */
export function portfolioMetrics(
  values: ArrayLike<number>,
  args: PortfolioMetricsArgs = {},
): PortfolioMetrics {
  const returns = dailyReturns(values);
  const periodsPerYear = args.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const basis = args.tradeProfits ?? returns;
  return {
    annualisedReturn: annualisedReturn(values, periodsPerYear),
    sharpe: sharpeRatio(returns, args),
    maxDrawdown: maxDrawdown(values),
    winRate: winRate(basis),
    profitFactor: profitFactor(basis),
    winBasis: args.tradeProfits === undefined ? "days" : "trades",
    turnover: args.tradedValue === undefined ? NaN : annualTurnover(args.tradedValue, values, periodsPerYear),
    totalReturn: values.length > 0 ? values[values.length - 1] / values[0] - 1 : NaN,
    days: returns.length,
  };
}
