/**
 * Synthetic EquiNet-shaped stocks with no predictable signal, for leakage checks and tests.
 */
import type { Random } from "../random/mod.ts";
import type { EquiNetStock } from "./equinet_windows.ts";

/** Options of {@link randomWalkStocks}. */
export interface RandomWalkStockArgs {
  /** Number of stocks. Default 20. */
  stocks?: number;
  /** Trading days per stock. Default 200. */
  days?: number;
  /** Daily log-return standard deviation. Default 0.02. */
  dailyVolatility?: number;
  /** First date. Default "2023-01-02"; dates advance over weekdays. */
  firstDate?: string;
}

/**
 * Synthetic stocks whose closes are independent random walks (no predictable signal): for leakage
 * sanity checks and tests. Every stock shares the same dates and the same random "market" columns.
 *
 * @example
 * ```ts
 * import { randomWalkStocks } from "./equinet_windows.ts";
 * import { createRandom } from "../random/mod.ts";
 * const stocks = randomWalkStocks(createRandom(3), { stocks: 5, days: 120 });
 * ```
 */
export function randomWalkStocks(random: Random, args: RandomWalkStockArgs = {}): EquiNetStock[] {
  const count = args.stocks ?? 20;
  const days = args.days ?? 200;
  const volatility = args.dailyVolatility ?? 0.02;
  const dates: string[] = [];
  const date = new Date(`${args.firstDate ?? "2023-01-02"}T00:00:00Z`);
  while (dates.length < days) {
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(date.toISOString().slice(0, 10));
    date.setUTCDate(date.getUTCDate() + 1);
  }
  const marketVolume = new Float64Array(days);
  const marketLimit = new Float64Array(days);
  const marketRange = new Float64Array(days);
  for (let day = 0; day < days; day++) {
    marketVolume[day] = 3e8 * Math.exp(0.2 * random.normal());
    marketLimit[day] = 0.01 * random.normal();
    marketRange[day] = 40 * Math.exp(0.3 * random.normal());
  }
  const stocks: EquiNetStock[] = [];
  for (let index = 0; index < count; index++) {
    const start = new Float64Array(days);
    const max = new Float64Array(days);
    const min = new Float64Array(days);
    const end = new Float64Array(days);
    const volume = new Float64Array(days);
    let close = 3 + 2 * random.uniform();
    for (let day = 0; day < days; day++) {
      const open = close * Math.exp(0.3 * volatility * random.normal());
      close = close * Math.exp(volatility * random.normal());
      start[day] = open;
      end[day] = close;
      max[day] = Math.max(open, close) * (1 + 0.5 * volatility * random.uniform());
      min[day] = Math.min(open, close) * (1 - 0.5 * volatility * random.uniform());
      volume[day] = 1e6 * Math.exp(0.5 * random.normal());
    }
    stocks.push({
      code: `RW${String(index).padStart(4, "0")}`,
      dates,
      start,
      max,
      min,
      end,
      volume,
      marketvolume: marketVolume.slice(),
      marketlimit: marketLimit.slice(),
      marketrange: marketRange.slice(),
    });
  }
  return stocks;
}
