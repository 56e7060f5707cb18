/**
 * Days on which an unadjusted price series jumps beyond what the exchange allows in one day: on
 * A-shares such a move can only be a corporate action (ex-rights, ex-dividend, split, a new
 * listing) — EquiNet's files are not adjusted, so these days make false 跌 labels and jumps inside
 * windows.
 */

/** Extra move beyond the limit still taken as a limit move (prices are rounded to the fen). */
export const PRICE_LIMIT_MARGIN = 0.01;

/**
 * The daily price limit of an A-share by its code and the date: ±20% for the STAR market (688…) and,
 * from 2020-08-24 (the ChiNext registration reform), for ChiNext (300…, 301…); ±30% for the Beijing
 * exchange (4…, 8…, 92…); ±10% otherwise.
 *
 * Porting note: ST stocks (±5%) cannot be told from a code alone; they get the ±10% of their board,
 * so a corporate action of an ST stock is found only when it moves more than 10%.
 *
 * @example
 * ```ts
 * import { priceLimit } from "./corporate_actions.ts";
 * priceLimit("300750", "2021-03-01"); // 0.2
 * priceLimit("300750", "2019-03-01"); // 0.1
 * priceLimit("600519", "2024-01-02"); // 0.1
 * ```
 */
export function priceLimit(code: string, date: string): number {
  const digits = code.replace(/\D/g, "").slice(-6);
  if (digits.startsWith("688") || digits.startsWith("689")) return 0.2;
  if (digits.startsWith("300") || digits.startsWith("301")) return date >= "2020-08-24" ? 0.2 : 0.1;
  if (digits.startsWith("4") || digits.startsWith("8") || digits.startsWith("92")) return 0.3;
  return 0.1;
}

/** One day whose close moved beyond the price limit from the day before. */
export interface CorporateActionDay {
  /** Row of the day (its close is compared with row − 1's). */
  row: number;
  /** Its date. */
  date: string;
  /** close[row] / close[row − 1] − 1. */
  change: number;
  /** The limit that applied. */
  limit: number;
}

/**
 * The rows whose close moved beyond the day's price limit (plus {@link PRICE_LIMIT_MARGIN}) from the
 * previous row's close.
 *
 * @example
 * ```ts
 * import { corporateActionDays } from "./corporate_actions.ts";
 * const stock = { code: "000926", dates: ["2024-07-05", "2024-07-08"], end: Float64Array.of(5.0, 3.51) };
 * corporateActionDays(stock)[0].date; // "2024-07-08" (−29.8%)
 * ```
 */
export function corporateActionDays(
  stock: { code: string; dates: readonly string[]; end: ArrayLike<number> },
): CorporateActionDay[] {
  const days: CorporateActionDay[] = [];
  for (let row = 1; row < stock.dates.length; row++) {
    const change = stock.end[row] / stock.end[row - 1] - 1;
    const limit = priceLimit(stock.code, stock.dates[row]);
    if (Math.abs(change) > limit + PRICE_LIMIT_MARGIN) {
      days.push({ row, date: stock.dates[row], change, limit });
    }
  }
  return days;
}
