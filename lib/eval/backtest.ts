/**
 * Long-only top-k backtest under China A-share rules.
 *
 * Timing (no lookahead): a score on day t may use data up to day t's close; the book is rebalanced
 * on the next trading day t + 1, filled at that day's open (default) or close (`fillAt`). The
 * limit-up / limit-down test uses the fill price: with `fillAt: "open"` a stock that opens at its
 * limit cannot be bought (up) or sold (down); with `"close"` one that closes at its limit.
 *
 * Porting note: the seed trades on its predictions without describing any rule; we add commission,
 * stamp duty, T+1, price limits and suspensions. Shares are fractional (no 100-share lots), so the
 * minimum commission is the only size effect. T+1 is enforced on every sell by {@link Portfolio}; with
 * one rebalance a day, as here, it cannot bind (a stock bought on day d is next traded on d + 1 at
 * the earliest) — it matters for strategies that call the Portfolio twice a day.
 *
 * @module
 */
import { commission, isAtPriceLimit, priceLimitRate, stampDutyRate } from "./a_share_rules.ts";
import { type PortfolioMetrics, portfolioMetrics } from "./portfolio_metrics.ts";

/** Daily bars of a universe, stored per stock: `close[stock][day]`. Missing prices are NaN. */
export interface MarketPanel {
  /** Trading days, ISO `YYYY-MM-DD`, ascending. */
  dates: readonly string[];
  /** Stock codes (`sz.300750`, `300750.XSHE`, …); the code decides the price-limit rate. */
  codes: readonly string[];
  /** Closing prices `[stock][day]`. */
  close: readonly ArrayLike<number>[];
  /** Opening prices `[stock][day]`; needed for `fillAt: "open"`. */
  open?: readonly ArrayLike<number>[];
  /** Previous close for the limit test; default the stock's close on the day before. */
  previousClose?: readonly ArrayLike<number>[];
  /** BaoStock `tradestatus`: 0 = suspended (no trade). Default: all trading. */
  tradeStatus?: readonly ArrayLike<number>[];
  /** BaoStock `isST`: 1 = special treatment (±5% limit on the main board). Default: none. */
  specialTreatment?: readonly ArrayLike<number>[];
}

/** Trading costs and fills, shared by {@link Portfolio} and {@link backtestTopK}. */
export interface TradingArgs {
  /** Starting cash in CNY. Default 1,000,000. */
  capitalCny?: number;
  /** Commission per side as a fraction of the traded value. Default 0.0003 (0.03%). */
  feeRate?: number;
  /** Minimum commission per trade in CNY; 0 disables it. Default 0 (set 5 for a retail account). */
  minimumFeeCny?: number;
  /** Stamp duty on sells by date; default {@link stampDutyRate} (0.1%, 0.05% from 2023-08-28). */
  stampDuty?: (isoDate: string) => number;
  /** Fill at the execution day's `"open"` or `"close"`. Default `"open"`. */
  fillAt?: "open" | "close";
  /** Tolerance of the limit test, in return units. Default 0.001. */
  limitTolerance?: number;
}

/** One executed trade. */
export interface TradeRecord {
  /** Day index of the fill. */
  day: number;
  /** Stock index into `panel.codes`. */
  stock: number;
  /** Buy or sell. */
  side: "buy" | "sell";
  /** Shares traded (fractional). */
  shares: number;
  /** Fill price. */
  price: number;
  /** `shares × price`, before costs. */
  value: number;
  /** Commission paid. */
  commission: number;
  /** Stamp duty paid (sells only). */
  stampDuty: number;
  /** For sells that close a position: proceeds net of costs minus everything paid to open it. */
  profit?: number;
}

/** Why an order was not filled. */
export type RefusalReason = "suspended" | "no price" | "limit up" | "limit down" | "T+1";

/** An order the rules refused. */
export interface Refusal {
  /** Day index. */
  day: number;
  /** Stock index. */
  stock: number;
  /** Buy or sell. */
  side: "buy" | "sell";
  /** The rule that refused it. */
  reason: RefusalReason;
}

/**
 * A cash-and-shares account that enforces A-share rules on every order. Use it directly for custom
 * strategies; {@link backtestTopK} drives one.
 *
 * @example
 * ```ts
 * import { Portfolio } from "./backtest.ts";
 * const panel = { dates: ["2023-01-03", "2023-01-04"], codes: ["sh.600000"], close: [[10, 10.5]] };
 * const book = new Portfolio(panel, { fillAt: "close" });
 * book.buy(0, 0, 10_000);
 * console.log(book.valueAt(1)); // ≈ 10,497: 10,000 less 0.03% commission, marked up 5%
 * ```
 */
export class Portfolio {
  /** Cash in CNY. */
  cash: number;
  /** Shares held per stock. */
  readonly shares: Float64Array;
  /** Cash paid to open each current position (value + commission), for trade profits. */
  readonly costPaid: Float64Array;
  /** Day index of each stock's latest buy (−1 never), for T+1. */
  readonly lastBuyDay: Int32Array;
  /** Every fill, in order. */
  readonly trades: TradeRecord[] = [];
  /** Every refused order, in order. */
  readonly refusals: Refusal[] = [];
  readonly #panel: MarketPanel;
  readonly #feeRate: number;
  readonly #minimumFee: number;
  readonly #stampDuty: (isoDate: string) => number;
  readonly #fillAt: "open" | "close";
  readonly #tolerance: number;
  readonly #lastPrice: Float64Array;

  /** @param panel the market; @param args costs and fills (see {@link TradingArgs}). */
  constructor(panel: MarketPanel, args: TradingArgs = {}) {
    checkPanel(panel);
    this.#panel = panel;
    this.cash = args.capitalCny ?? 1_000_000;
    this.#feeRate = args.feeRate ?? 0.0003;
    this.#minimumFee = args.minimumFeeCny ?? 0;
    this.#stampDuty = args.stampDuty ?? stampDutyRate;
    this.#fillAt = args.fillAt ?? "open";
    this.#tolerance = args.limitTolerance ?? 0.001;
    if (this.#fillAt === "open" && panel.open === undefined) {
      throw new RangeError('Portfolio: fillAt "open" needs panel.open');
    }
    const stocks = panel.codes.length;
    this.shares = new Float64Array(stocks);
    this.costPaid = new Float64Array(stocks);
    this.lastBuyDay = new Int32Array(stocks).fill(-1);
    this.#lastPrice = new Float64Array(stocks).fill(NaN);
  }

  /** The fill price of `stock` on `day` (open or close), NaN when missing. */
  fillPrice(stock: number, day: number): number {
    const series = this.#fillAt === "open" ? this.#panel.open![stock] : this.#panel.close[stock];
    const price = series[day];
    return price > 0 ? price : NaN;
  }

  /** The reason `stock` cannot be traded on `day` in direction `side`, or null when it can. */
  refusalReason(stock: number, day: number, side: "buy" | "sell"): RefusalReason | null {
    const panel = this.#panel;
    if (panel.tradeStatus !== undefined && panel.tradeStatus[stock][day] === 0) return "suspended";
    const price = this.fillPrice(stock, day);
    if (Number.isNaN(price)) return "no price";
    if (side === "sell" && this.lastBuyDay[stock] === day) return "T+1";
    const previousClose = panel.previousClose !== undefined
      ? panel.previousClose[stock][day]
      : day > 0
      ? panel.close[stock][day - 1]
      : NaN;
    const special = panel.specialTreatment !== undefined && panel.specialTreatment[stock][day] === 1;
    const limit = priceLimitRate(panel.codes[stock], panel.dates[day], special);
    if (side === "buy" && isAtPriceLimit(price, previousClose, limit, 1, this.#tolerance)) return "limit up";
    if (side === "sell" && isAtPriceLimit(price, previousClose, limit, -1, this.#tolerance)) {
      return "limit down";
    }
    return null;
  }

  /**
   * Spends up to `cashCny` (commission included) on `stock` at `day`'s fill price. Returns false
   * (and records a refusal) when a rule forbids it, or false without a record when the cash cannot
   * cover the minimum commission.
   */
  buy(stock: number, day: number, cashCny: number): boolean {
    const reason = this.refusalReason(stock, day, "buy");
    if (reason !== null) {
      this.refusals.push({ day, stock, side: "buy", reason });
      return false;
    }
    const budget = Math.min(cashCny, this.cash);
    // value + max(value × rate, minimum) = budget
    let value = budget / (1 + this.#feeRate);
    if (value * this.#feeRate < this.#minimumFee) value = budget - this.#minimumFee;
    if (!(value > 0)) return false;
    const fee = commission(value, this.#feeRate, this.#minimumFee);
    const price = this.fillPrice(stock, day);
    const shares = value / price;
    this.cash -= value + fee;
    if (this.cash < 0 && this.cash > -1e-6) this.cash = 0;
    this.shares[stock] += shares;
    this.costPaid[stock] += value + fee;
    this.lastBuyDay[stock] = day;
    this.#lastPrice[stock] = price;
    this.trades.push({ day, stock, side: "buy", shares, price, value, commission: fee, stampDuty: 0 });
    return true;
  }

  /** Sells the whole position in `stock` at `day`'s fill price; false (with a refusal) when refused. */
  sellAll(stock: number, day: number): boolean {
    const shares = this.shares[stock];
    if (!(shares > 0)) return false;
    const reason = this.refusalReason(stock, day, "sell");
    if (reason !== null) {
      this.refusals.push({ day, stock, side: "sell", reason });
      return false;
    }
    const price = this.fillPrice(stock, day);
    const value = shares * price;
    const fee = commission(value, this.#feeRate, this.#minimumFee);
    const duty = value * this.#stampDuty(this.#panel.dates[day]);
    const proceeds = value - fee - duty;
    this.cash += proceeds;
    const profit = proceeds - this.costPaid[stock];
    this.shares[stock] = 0;
    this.costPaid[stock] = 0;
    this.#lastPrice[stock] = price;
    this.trades.push({
      day,
      stock,
      side: "sell",
      shares,
      price,
      value,
      commission: fee,
      stampDuty: duty,
      profit,
    });
    return true;
  }

  /**
   * Moves the book towards holding exactly `targets` (stock indices), equal weight: sells every held
   * stock not in `targets`, then splits the cash equally over the targets not yet held, each capped
   * at `total value / targets.length`. Held targets are kept as they are (not re-weighted), which
   * saves turnover. Refused sells stay in the book and are tried again at the next rebalance; a
   * refused buy leaves its share in cash until then.
   */
  rebalance(day: number, targets: readonly number[]): void {
    const wanted = new Set(targets);
    for (let stock = 0; stock < this.shares.length; stock++) {
      if (this.shares[stock] > 0 && !wanted.has(stock)) this.sellAll(stock, day);
    }
    if (targets.length === 0) return;
    const slotValue = this.valueAt(day, true) / targets.length;
    const newcomers = targets.filter((stock) => !(this.shares[stock] > 0));
    let remaining = newcomers.length;
    for (const stock of newcomers) {
      const budget = Math.min(slotValue, this.cash / remaining);
      this.buy(stock, day, budget);
      remaining--;
    }
  }

  /**
   * Cash plus shares marked at `day`'s close (or fill price with `atFill`); a stock without a
   * price that day (suspended, missing) is marked at its last known price.
   */
  valueAt(day: number, atFill = false): number {
    let value = this.cash;
    for (let stock = 0; stock < this.shares.length; stock++) {
      const shares = this.shares[stock];
      if (shares === 0) continue;
      const price = atFill ? this.fillPrice(stock, day) : this.#panel.close[stock][day];
      if (price > 0) this.#lastPrice[stock] = price;
      value += shares * this.#lastPrice[stock];
    }
    return value;
  }
}

/** Options of {@link backtestTopK}. */
export interface BacktestArgs extends TradingArgs {
  /** Stocks held: the k highest scores. Default 10. */
  topK?: number;
  /** Trading days between rebalances (signal days are `startDay, startDay + n, …`). Default 5. */
  rebalanceEveryDays?: number;
  /** First signal day (index); the curve starts here with all cash. Default 0. */
  startDay?: number;
  /** Last day of the curve (index, inclusive). Default the panel's last day. */
  endDay?: number;
  /**
   * Annual risk-free rate for the Sharpe ratio: a number, or one per day of the panel (the rate in force
   * from that day to the next; the backtest takes the days of its curve). Default 0.
   */
  riskFreeRate?: number | ArrayLike<number>;
}

/** Result of {@link backtestTopK}. */
export interface BacktestResult {
  /** Dates of the curve (`startDay..endDay`). */
  dates: string[];
  /** Portfolio value at each day's close. */
  values: Float64Array;
  /** Value traded (buys + sells, before costs) per day of the curve. */
  tradedValue: Float64Array;
  /** Holdings chosen on each signal day: `{ signalDay, targets }` (stock indices). */
  selections: { signalDay: number; targets: number[] }[];
  /** Every fill. */
  trades: TradeRecord[];
  /** Every refused order. */
  refusals: Refusal[];
  /** Summary metrics; win rate and profit factor over closed positions (over days when none closed). */
  metrics: PortfolioMetrics;
  /** Total commission and stamp duty paid, CNY. */
  costs: { commission: number; stampDuty: number };
}

/**
 * Indices of the `topK` finite scores of `day`, best first (ties: lower stock index first).
 *
 * @example
 * ```ts
 * import { topKStocks } from "./backtest.ts";
 * topKStocks([[0.1, 0.2], [NaN, 0.3], [0.5, -1]], 0, 2); // [2, 0]
 * ```
 */
export function topKStocks(scores: readonly ArrayLike<number>[], day: number, topK: number): number[] {
  const candidates: number[] = [];
  for (let stock = 0; stock < scores.length; stock++) {
    if (Number.isFinite(scores[stock][day])) candidates.push(stock);
  }
  candidates.sort((a, b) => scores[b][day] - scores[a][day] || a - b);
  return candidates.slice(0, topK);
}

/**
 * Scatters per-sample predictions (e.g. one per model window) into a score matrix
 * `[stock][day]` for {@link backtestTopK}; cells without a prediction are NaN (never held). Two
 * predictions for the same cell are an error.
 *
 * @example
 * ```ts
 * import { scoreMatrix } from "./backtest.ts";
 * scoreMatrix(2, 3, [{ stock: 1, day: 2, value: 0.03 }])[1]; // Float64Array [NaN, NaN, 0.03]
 * ```
 */
export function scoreMatrix(
  stockCount: number,
  dayCount: number,
  predictions: Iterable<{ stock: number; day: number; value: number }>,
): Float64Array[] {
  const scores = Array.from({ length: stockCount }, () => new Float64Array(dayCount).fill(NaN));
  for (const { stock, day, value } of predictions) {
    if (!(stock >= 0 && stock < stockCount && day >= 0 && day < dayCount)) {
      throw new RangeError(`scoreMatrix: stock ${stock}, day ${day} outside ${stockCount} × ${dayCount}`);
    }
    if (!Number.isNaN(scores[stock][day])) {
      throw new RangeError(`scoreMatrix: two predictions for stock ${stock}, day ${day}`);
    }
    scores[stock][day] = value;
  }
  return scores;
}

/**
 * Backtests "hold the top-k stocks by score, equal weight, long only": on each signal day pick the
 * k best finite scores (e.g. predicted 5-day returns), rebalance on the next day under A-share
 * rules (see {@link Portfolio}), and mark the book at every close.
 *
 * @example
 * ```ts
 * import { backtestTopK } from "./backtest.ts";
 * const panel = {
 *   dates: ["2023-01-03", "2023-01-04", "2023-01-05"],
 *   codes: ["sh.600000", "sz.000001"],
 *   close: [[10, 10.2, 10.4], [20, 19.8, 19.6]],
 * };
 * const scores = [[0.02, 0.02, 0.02], [-0.01, -0.01, -0.01]];
 * const result = backtestTopK(panel, scores, { topK: 1, fillAt: "close" });
 * console.log(result.metrics.totalReturn);
 * ```
 */
export function backtestTopK(
  panel: MarketPanel,
  scores: readonly ArrayLike<number>[],
  args: BacktestArgs = {},
): BacktestResult {
  return runTopKBacktest("backtestTopK", panel, scores, args, {
    targetsOn: (day, topK) => topKStocks(scores, day, topK),
    rebalance: (book, day, targets) => book.rebalance(day, targets),
  });
}

/** How a top-k backtest picks and buys its stocks (see {@link runTopKBacktest}). */
export interface TopKPlan {
  /** Stocks to hold after the signal on `day` (indices into the panel). */
  targetsOn(day: number, topK: number): number[];
  /** Moves the book to `targets` on the trading `day` after a signal. */
  rebalance(book: Portfolio, day: number, targets: number[], topK: number): void;
}

/**
 * The loop every top-k backtest shares: validates the arguments, asks `plan` for targets on each
 * signal day, rebalances on the next day, marks the book at every close, and sums up trades, costs
 * and metrics. {@link backtestTopK} and `backtestTopKWithExposure` differ only in their plan.
 */
export function runTopKBacktest(
  name: string,
  panel: MarketPanel,
  scores: readonly ArrayLike<number>[],
  args: BacktestArgs,
  plan: TopKPlan,
): BacktestResult {
  checkPanel(panel);
  if (scores.length !== panel.codes.length) {
    throw new RangeError(`${name}: ${scores.length} score series for ${panel.codes.length} stocks`);
  }
  const days = panel.dates.length;
  const topK = args.topK ?? 10;
  const every = args.rebalanceEveryDays ?? 5;
  const startDay = args.startDay ?? 0;
  const endDay = args.endDay ?? days - 1;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new RangeError(`topK must be a positive integer, got ${topK}`);
  }
  if (!(every >= 1)) throw new RangeError(`rebalanceEveryDays must be ≥ 1, got ${every}`);
  if (!(startDay >= 0 && startDay <= endDay && endDay < days)) {
    throw new RangeError(`${name}: need 0 ≤ startDay ≤ endDay < ${days}, got ${startDay}, ${endDay}`);
  }
  const book = new Portfolio(panel, args);
  const length = endDay - startDay + 1;
  const values = new Float64Array(length);
  const tradedValue = new Float64Array(length);
  const selections: { signalDay: number; targets: number[] }[] = [];
  let pending: number[] | null = null;
  for (let day = startDay; day <= endDay; day++) {
    if (pending !== null) {
      const before = book.trades.length;
      plan.rebalance(book, day, pending, topK);
      for (let index = before; index < book.trades.length; index++) {
        tradedValue[day - startDay] += book.trades[index].value;
      }
      pending = null;
    }
    values[day - startDay] = book.valueAt(day);
    if ((day - startDay) % every === 0 && day < endDay) {
      pending = plan.targetsOn(day, topK);
      selections.push({ signalDay: day, targets: pending });
    }
  }
  const profits: number[] = [];
  let commissionPaid = 0, dutyPaid = 0;
  for (const trade of book.trades) {
    if (trade.profit !== undefined) profits.push(trade.profit);
    commissionPaid += trade.commission;
    dutyPaid += trade.stampDuty;
  }
  return {
    dates: panel.dates.slice(startDay, endDay + 1),
    values,
    tradedValue,
    selections,
    trades: book.trades,
    refusals: book.refusals,
    // with no closed position (e.g. buy-and-hold) win rate and profit factor fall back to days; winBasis says which
    metrics: portfolioMetrics(values, {
      tradedValue,
      tradeProfits: profits.length > 0 ? profits : undefined,
      riskFreeRate: typeof args.riskFreeRate === "object"
        ? Array.from(args.riskFreeRate).slice(startDay, endDay)
        : args.riskFreeRate,
    }),
    costs: { commission: commissionPaid, stampDuty: dutyPaid },
  };
}

function checkPanel(panel: MarketPanel): void {
  const days = panel.dates.length;
  const stocks = panel.codes.length;
  const series: [string, readonly ArrayLike<number>[] | undefined][] = [
    ["close", panel.close],
    ["open", panel.open],
    ["previousClose", panel.previousClose],
    ["tradeStatus", panel.tradeStatus],
    ["specialTreatment", panel.specialTreatment],
  ];
  for (const [name, table] of series) {
    if (table === undefined) continue;
    if (table.length !== stocks) {
      throw new RangeError(`MarketPanel.${name}: ${table.length} series for ${stocks} codes`);
    }
    for (let stock = 0; stock < stocks; stock++) {
      if (table[stock].length !== days) {
        throw new RangeError(
          `MarketPanel.${name}[${stock}] (${panel.codes[stock]}): ${
            table[stock].length
          } values for ${days} dates`,
        );
      }
    }
  }
  for (let day = 1; day < days; day++) {
    if (!(panel.dates[day] > panel.dates[day - 1])) {
      throw new RangeError(`MarketPanel.dates not ascending at index ${day}: ${panel.dates[day]}`);
    }
  }
}
