/**
 * A seeded synthetic A-share market: daily bars for N stocks plus an index, with a market factor,
 * stock betas, GARCH(1,1) volatility clustering, Student-t shocks, volume tied to |return|, the
 * ±10% daily price limit, optional suspensions and consistent OHLC on a weekday calendar.
 */
import { createRandom, type Random } from "../random/mod.ts";
import type { OhlcvColumns } from "../data/mod.ts";
import { weekdayCalendar } from "./calendar.ts";

/** Daily bars of one instrument (a stock or the index), one entry per traded day. */
export interface SyntheticBars extends OhlcvColumns {
  /** Six-digit code, e.g. `600000`. */
  code: string;
  /** Short name (Chinese, GBK-encodable). */
  name: string;
  /** Traded days as ISO dates `YYYY-MM-DD`, increasing (suspended days are absent). Prices in CNY (index
   * points for an index) rounded to 0.01, high ≥ max(open, close), low ≤ min(open, close) and > 0; volume
   * in shares for a stock (a multiple of 100), in lots for the index. */
  dates: string[];
  /** Turnover in CNY, rounded to 0.01. */
  amount: Float64Array;
}

/** A generated market. */
export interface SyntheticMarket {
  /** The seed it was generated from. */
  seed: number;
  /** The trading calendar (every weekday), ISO dates. */
  calendar: string[];
  /** The index (the market factor's price path), traded every calendar day. */
  index: SyntheticBars;
  /** The stocks. */
  stocks: SyntheticBars[];
  /** Each stock's beta to the market factor (all 0 for a random-walk universe). */
  betas: Float64Array;
  /** Which generator made it. */
  kind: "garch" | "randomWalk";
}

/** Options of {@link generateMarket}. */
export interface SyntheticMarketArgs {
  /** Seed of every draw (through `lib/random`). Default 0. */
  seed?: number;
  /** Number of stocks. Default 20. */
  stockCount?: number;
  /** Trading days (weekdays) in the calendar. Default 500. */
  days?: number;
  /** First calendar day (or the weekday after it), `YYYY-MM-DD`. Default `2020-01-02`. */
  startDate?: string;
  /** Long-run daily volatility of the market factor (log return). Default 0.013. */
  marketVolatility?: number;
  /** Range of the stocks' long-run idiosyncratic daily volatility, drawn uniformly. Default [0.012, 0.025]. */
  idiosyncraticVolatility?: [number, number];
  /** Range of stock betas, drawn uniformly. Default [0.6, 1.4]. */
  betaRange?: [number, number];
  /** GARCH(1,1) weight of yesterday's squared shock (alpha). Default 0.08. */
  garchAlpha?: number;
  /** GARCH(1,1) weight of yesterday's variance (beta). Default 0.9; alpha + beta < 1. */
  garchBeta?: number;
  /** Student-t degrees of freedom of the shocks (fat tails; scaled to unit variance). Default 5. */
  degreesOfFreedom?: number;
  /** Daily drift of the market factor (log return). Default 0.0002. */
  dailyDrift?: number;
  /** Daily price limit as a fraction of the previous close (A-share main boards: 0.1). Default 0.1. */
  limitFraction?: number;
  /** Chance per stock and trading day that a suspension starts. Default 0 (no suspensions). */
  suspensionProbability?: number;
  /** Longest suspension in trading days (lengths uniform in 1..this). Default 10. */
  maxSuspensionDays?: number;
  /** Index level on the day before the first. Default 3000. */
  indexStart?: number;
}

/** Options of {@link randomWalkMarket}. */
export interface RandomWalkArgs {
  /** Seed. Default 0. */
  seed?: number;
  /** Number of stocks. Default 20. */
  stockCount?: number;
  /** Trading days. Default 500. */
  days?: number;
  /** First calendar day, `YYYY-MM-DD`. Default `2020-01-02`. */
  startDate?: string;
  /** Constant daily volatility of every log return (normal). Default 0.02. */
  dailyVolatility?: number;
}

/** Stock codes: Shanghai `6000xx` and Shenzhen `0001xx`, alternating. */
function stockCode(index: number): string {
  const half = Math.floor(index / 2);
  return index % 2 === 0 ? String(600000 + half) : String(100 + half).padStart(6, "0");
}

/** A short Chinese name, GBK-encodable. */
function stockName(index: number): string {
  return `模拟${String(index + 1).padStart(3, "0")}`;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Generates a market whose stocks follow r = beta × market + idiosyncratic, each term a GARCH(1,1)
 * process with Student-t shocks. Prices are A-share-like: rounded to 0.01, each close within ±10%
 * (`limitFraction`) of the previous close — a move beyond the limit closes at the limit and the rest
 * carries into the next days (streaks of limit days, as after news or a suspension). Open, high
 * and low are drawn around the close path and clipped to the same limits. Volume grows with
 * |return| / volatility. Suspended days are absent from a stock's bars; its latent price keeps
 * moving, so it reopens with a gap (limited again to ±10% a day).
 *
 * @example
 * ```ts
 * import { generateMarket } from "./market.ts";
 * const market = generateMarket({ seed: 1, stockCount: 3, days: 60 });
 * console.log(market.stocks[0].close.length); // 60
 * ```
 */
export function generateMarket(args: SyntheticMarketArgs = {}): SyntheticMarket {
  const seed = args.seed ?? 0;
  const stockCount = args.stockCount ?? 20;
  const days = args.days ?? 500;
  const marketVolatility = args.marketVolatility ?? 0.013;
  const [idioLow, idioHigh] = args.idiosyncraticVolatility ?? [0.012, 0.025];
  const [betaLow, betaHigh] = args.betaRange ?? [0.6, 1.4];
  const alpha = args.garchAlpha ?? 0.08;
  const beta = args.garchBeta ?? 0.9;
  const degreesOfFreedom = args.degreesOfFreedom ?? 5;
  const drift = args.dailyDrift ?? 0.0002;
  const limitFraction = args.limitFraction ?? 0.1;
  const suspensionProbability = args.suspensionProbability ?? 0;
  const maxSuspensionDays = args.maxSuspensionDays ?? 10;
  const indexStart = args.indexStart ?? 3000;
  checkCounts(stockCount, days);
  if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1)) {
    throw new RangeError(`GARCH needs alpha, beta >= 0 and alpha + beta < 1, got ${alpha}, ${beta}`);
  }
  if (!(degreesOfFreedom > 2)) throw new RangeError(`degreesOfFreedom must be > 2, got ${degreesOfFreedom}`);
  if (!(limitFraction > 0 && limitFraction < 1)) {
    throw new RangeError(`limitFraction must be in (0, 1), got ${limitFraction}`);
  }
  if (!(suspensionProbability >= 0 && suspensionProbability < 1)) {
    throw new RangeError(`suspensionProbability must be in [0, 1), got ${suspensionProbability}`);
  }
  if (!Number.isInteger(maxSuspensionDays) || maxSuspensionDays < 1) {
    throw new RangeError(`maxSuspensionDays must be an integer >= 1, got ${maxSuspensionDays}`);
  }
  const calendar = weekdayCalendar(args.startDate ?? "2020-01-02", days);
  const root = createRandom(seed);

  // Market factor: GARCH(1,1) with standardised Student-t shocks.
  const marketRandom = root.fork("market");
  const marketReturns = garchPath(marketRandom, days, marketVolatility, alpha, beta, degreesOfFreedom);
  const marketSigma = marketReturns.sigma;
  for (let day = 0; day < days; day++) marketReturns.returns[day] += drift;
  const index = barsFromReturns(marketRandom.fork("bars"), {
    code: "000001",
    name: "模拟指数",
    calendar,
    returns: marketReturns.returns,
    sigma: marketSigma,
    start: indexStart,
    limitFraction: Infinity,
    baseVolume: 2e8,
    volumeStep: 1,
    longRunVolatility: marketVolatility,
    traded: undefined,
    amountPerVolume: 1000, // a lot is 100 shares of ~10 CNY on average
  });

  const betas = new Float64Array(stockCount);
  const stocks: SyntheticBars[] = [];
  for (let stock = 0; stock < stockCount; stock++) {
    const random = root.fork(`stock:${stock}`);
    const stockBeta = random.between(betaLow, betaHigh);
    betas[stock] = stockBeta;
    const idioVolatility = random.between(idioLow, idioHigh);
    const start = round2(Math.exp(random.between(Math.log(2), Math.log(60))));
    const baseVolume = Math.exp(random.between(Math.log(2e6), Math.log(8e7)));
    const idio = garchPath(random.fork("idiosyncratic"), days, idioVolatility, alpha, beta, degreesOfFreedom);
    const returns = new Float64Array(days);
    const sigma = new Float64Array(days);
    for (let day = 0; day < days; day++) {
      returns[day] = stockBeta * marketReturns.returns[day] + idio.returns[day];
      sigma[day] = Math.sqrt((stockBeta * marketSigma[day]) ** 2 + idio.sigma[day] ** 2);
    }
    const traded = suspensionProbability > 0
      ? suspensionMask(random.fork("suspensions"), days, suspensionProbability, maxSuspensionDays)
      : undefined;
    stocks.push(barsFromReturns(random.fork("bars"), {
      code: stockCode(stock),
      name: stockName(stock),
      calendar,
      returns,
      sigma,
      start,
      limitFraction,
      baseVolume,
      volumeStep: 100,
      longRunVolatility: Math.sqrt((stockBeta * marketVolatility) ** 2 + idioVolatility ** 2),
      traded,
    }));
  }
  return { seed, calendar, index, stocks, betas, kind: "garch" };
}

/**
 * A pure random-walk universe — the leakage canary. Every stock's and the index's daily log
 * returns are i.i.d. normal (constant volatility, no market factor, volume independent of
 * returns; the ±10% limit clips a day's draw without carrying it over, and binds only on 5σ days), so nothing about tomorrow is predictable from the
 * past: an honest model cannot beat its naive baseline here beyond noise, and one that does is
 * leaking the future.
 *
 * @example
 * ```ts
 * import { randomWalkMarket } from "./market.ts";
 * const canary = randomWalkMarket({ seed: 3, stockCount: 5, days: 250 });
 * ```
 */
export function randomWalkMarket(args: RandomWalkArgs = {}): SyntheticMarket {
  const seed = args.seed ?? 0;
  const stockCount = args.stockCount ?? 20;
  const days = args.days ?? 500;
  const volatility = args.dailyVolatility ?? 0.02;
  checkCounts(stockCount, days);
  if (!(volatility > 0 && volatility < 0.03)) {
    // Above 3% a ±10% limit would bind now and then, and a clipped walk is no longer i.i.d.
    throw new RangeError(`dailyVolatility must be in (0, 0.03), got ${volatility}`);
  }
  const calendar = weekdayCalendar(args.startDate ?? "2020-01-02", days);
  const root = createRandom(seed);
  const walk = (
    random: Random,
    code: string,
    name: string,
    start: number,
    baseVolume: number,
    step: number,
  ) => {
    const returns = new Float64Array(days);
    for (let day = 0; day < days; day++) returns[day] = random.normal(0, volatility);
    return barsFromReturns(random.fork("bars"), {
      code,
      name,
      calendar,
      returns,
      sigma: new Float64Array(days).fill(volatility),
      start,
      limitFraction: step === 1 ? Infinity : 0.1,
      baseVolume,
      volumeStep: step,
      longRunVolatility: volatility,
      traded: undefined,
      volumeIndependent: true,
      carry: false,
      amountPerVolume: step === 1 ? 1000 : undefined,
    });
  };
  const index = walk(root.fork("market"), "000001", "模拟指数", 3000, 2e8, 1);
  const stocks: SyntheticBars[] = [];
  for (let stock = 0; stock < stockCount; stock++) {
    const random = root.fork(`stock:${stock}`);
    // Prices start at 20..80 so that 0.01 ticks are negligible against daily moves.
    const start = round2(random.between(20, 80));
    const baseVolume = Math.exp(random.between(Math.log(2e6), Math.log(8e7)));
    stocks.push(walk(random, stockCode(stock), stockName(stock), start, baseVolume, 100));
  }
  return { seed, calendar, index, stocks, betas: new Float64Array(stockCount), kind: "randomWalk" };
}

function checkCounts(stockCount: number, days: number): void {
  if (!Number.isInteger(stockCount) || stockCount < 0) {
    throw new RangeError(`stockCount must be an integer >= 0, got ${stockCount}`);
  }
  if (!Number.isInteger(days) || days < 2) throw new RangeError(`days must be an integer >= 2, got ${days}`);
}

/** GARCH(1,1) returns r_t = σ_t z_t with σ²_t = ω + α r²_{t−1} + β σ²_{t−1}, z standardised Student-t. */
function garchPath(
  random: Random,
  days: number,
  longRunVolatility: number,
  alpha: number,
  beta: number,
  degreesOfFreedom: number,
): { returns: Float64Array; sigma: Float64Array } {
  const longRunVariance = longRunVolatility ** 2;
  const omega = longRunVariance * (1 - alpha - beta);
  const returns = new Float64Array(days);
  const sigma = new Float64Array(days);
  let variance = longRunVariance;
  let previous = 0;
  for (let day = 0; day < days; day++) {
    if (day > 0) variance = omega + alpha * previous * previous + beta * variance;
    const deviation = Math.sqrt(variance);
    previous = deviation * random.studentT(degreesOfFreedom);
    returns[day] = previous;
    sigma[day] = deviation;
  }
  return { returns, sigma };
}

/** Per-day traded flags with suspensions of 1..maxDays days; the first day always trades. */
function suspensionMask(random: Random, days: number, probability: number, maxDays: number): Uint8Array {
  const traded = new Uint8Array(days).fill(1);
  for (let day = 1; day < days; day++) {
    if (!random.bernoulli(probability)) continue;
    const length = 1 + random.int(maxDays);
    for (let offset = 0; offset < length && day + offset < days; offset++) traded[day + offset] = 0;
    day += length;
  }
  return traded;
}

interface PathSpec {
  code: string;
  name: string;
  calendar: string[];
  /** Latent daily log returns (before limits). */
  returns: Float64Array;
  /** That day's conditional volatility (sizes the intraday range and the volume response). */
  sigma: Float64Array;
  start: number;
  limitFraction: number;
  baseVolume: number;
  /** Volume is a multiple of this (100 shares = one lot for stocks). */
  volumeStep: number;
  longRunVolatility: number;
  /** 1 = traded, 0 = suspended; undefined = always traded. */
  traded: Uint8Array | undefined;
  /** Volume drawn independently of returns (random walk). */
  volumeIndependent?: boolean;
  /**
   * Whether a move beyond the limit carries into later days (latent price path). Without carry
   * each day's return is drawn afresh from the last close, so returns stay i.i.d. Default true.
   */
  carry?: boolean;
  /** Turnover per unit of volume; default: that day's average price (stocks, volume in shares). */
  amountPerVolume?: number;
}

/** Turns a latent return path into rounded, limit-respecting OHLCV bars (the kernel loop). */
function barsFromReturns(random: Random, spec: PathSpec): SyntheticBars {
  const days = spec.returns.length;
  const open = new Float64Array(days);
  const high = new Float64Array(days);
  const low = new Float64Array(days);
  const close = new Float64Array(days);
  const volume = new Float64Array(days);
  const amount = new Float64Array(days);
  const dates: string[] = [];
  let latentLog = Math.log(spec.start);
  let previousClose = spec.start;
  let rows = 0;
  const limited = Number.isFinite(spec.limitFraction);
  const carry = spec.carry ?? true;
  for (let day = 0; day < days; day++) {
    latentLog = (carry ? latentLog : Math.log(previousClose)) + spec.returns[day];
    // Draws happen every day (traded or not) so a suspension never shifts later draws.
    const gap = random.normal(0, 0.3 * spec.sigma[day]);
    const upWick = Math.abs(random.normal(0, 0.5 * spec.sigma[day]));
    const downWick = Math.abs(random.normal(0, 0.5 * spec.sigma[day]));
    const volumeNoise = random.normal(0, 0.35);
    if (spec.traded !== undefined && spec.traded[day] === 0) continue;
    let upLimit = Infinity, downLimit = 0.01;
    if (limited) {
      upLimit = round2(previousClose * (1 + spec.limitFraction));
      downLimit = Math.max(0.01, round2(previousClose * (1 - spec.limitFraction)));
    }
    const clip = (price: number) => Math.min(upLimit, Math.max(downLimit, round2(price)));
    const target = Math.exp(latentLog);
    const closeToday = clip(target);
    // The open gaps from the previous close part of the way towards today's close.
    const openToday = clip(previousClose * Math.exp(gap + 0.3 * Math.log(target / previousClose)));
    const highToday = clip(Math.max(openToday, closeToday) * Math.exp(upWick));
    const lowToday = clip(Math.min(openToday, closeToday) * Math.exp(-downWick));
    const realised = Math.abs(Math.log(closeToday / previousClose));
    const activity = spec.volumeIndependent ? 1 : 0.5 + realised / spec.longRunVolatility;
    const shares = Math.max(
      spec.volumeStep,
      Math.round((spec.baseVolume * activity * Math.exp(volumeNoise)) / spec.volumeStep) * spec.volumeStep,
    );
    open[rows] = openToday;
    high[rows] = Math.max(highToday, openToday, closeToday);
    low[rows] = Math.min(lowToday, openToday, closeToday);
    close[rows] = closeToday;
    volume[rows] = shares;
    const averagePrice = (openToday + highToday + lowToday + closeToday) / 4;
    amount[rows] = round2(shares * (spec.amountPerVolume ?? averagePrice));
    dates.push(spec.calendar[day]);
    previousClose = closeToday;
    rows++;
  }
  return {
    code: spec.code,
    name: spec.name,
    dates,
    open: open.slice(0, rows),
    high: high.slice(0, rows),
    low: low.slice(0, rows),
    close: close.slice(0, rows),
    volume: volume.slice(0, rows),
    amount: amount.slice(0, rows),
  };
}
