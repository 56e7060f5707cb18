/**
 * China A-share trading rules used by the backtest: price limits, stamp duty, commission.
 *
 * Porting note: the seed's backtest is not shown at all (it only reports a Sharpe ratio and a
 * drawdown); these rules are ours, taken from the exchanges' published rules.
 */

/** Stamp duty on sells until 2023-08-27 inclusive (0.1%). */
export const STAMP_DUTY_RATE_BEFORE_2023_08_28 = 0.001;
/** Stamp duty on sells from 2023-08-28 on (halved to 0.05%). */
export const STAMP_DUTY_RATE_FROM_2023_08_28 = 0.0005;
/** The first day of the halved stamp duty. */
export const STAMP_DUTY_CUT_DATE = "2023-08-28";
/** The first trading day of ChiNext's ±20% limit (registration reform). */
export const CHINEXT_WIDE_LIMIT_DATE = "2020-08-24";

/**
 * Stamp duty rate on the value sold on `isoDate` (YYYY-MM-DD): 0.1% before 2023-08-28, 0.05% from
 * then on. Buys pay no stamp duty (since 2008-09-19; earlier dates are not modelled).
 *
 * @example
 * ```ts
 * import { stampDutyRate } from "./a_share_rules.ts";
 * stampDutyRate("2023-08-25"); // 0.001
 * stampDutyRate("2023-08-28"); // 0.0005
 * ```
 */
export function stampDutyRate(isoDate: string): number {
  checkIsoDate(isoDate);
  return isoDate >= STAMP_DUTY_CUT_DATE ? STAMP_DUTY_RATE_FROM_2023_08_28 : STAMP_DUTY_RATE_BEFORE_2023_08_28;
}

/**
 * The six-digit security number inside a code such as `sz.300750`, `300750.XSHE` or `300750`.
 *
 * @example
 * ```ts
 * import { securityNumber } from "./a_share_rules.ts";
 * securityNumber("sh.688981"); // "688981"
 * ```
 */
export function securityNumber(code: string): string {
  const match = /(\d{6})/.exec(code);
  if (match === null) throw new RangeError(`securityNumber: no six-digit number in code "${code}"`);
  return match[1];
}

/**
 * Daily price-limit rate of a stock on a date: ±20% for STAR Market (688xxx/689xxx) always and for
 * ChiNext (300xxx/301xxx) from 2020-08-24; ±5% for special-treatment (ST) main-board stocks when
 * `isSpecialTreatment` is true; ±10% otherwise.
 *
 * Porting note: not modelled — the first five days after a listing (no limit), Beijing Stock
 * Exchange codes (±30%), and ST stocks on ChiNext/STAR (they keep ±20%, which we do follow).
 *
 * @example
 * ```ts
 * import { priceLimitRate } from "./a_share_rules.ts";
 * priceLimitRate("sz.300750", "2020-08-21"); // 0.1
 * priceLimitRate("sz.300750", "2020-08-24"); // 0.2
 * ```
 */
export function priceLimitRate(code: string, isoDate: string, isSpecialTreatment = false): number {
  checkIsoDate(isoDate);
  const number = securityNumber(code);
  const prefix = number.slice(0, 3);
  if (prefix === "688" || prefix === "689") return 0.2;
  if (prefix === "300" || prefix === "301") return isoDate >= CHINEXT_WIDE_LIMIT_DATE ? 0.2 : 0.1;
  return isSpecialTreatment ? 0.05 : 0.1;
}

/**
 * Commission on one trade of `tradeValue` CNY: `feeRate × value`, at least `minimumFee` CNY
 * (0 disables the minimum). Zero value pays nothing.
 *
 * @example
 * ```ts
 * import { commission } from "./a_share_rules.ts";
 * commission(10_000, 0.0003, 5); // 5 — the minimum, since 0.03% of 10,000 is 3
 * ```
 */
export function commission(tradeValue: number, feeRate: number, minimumFee = 0): number {
  if (!(tradeValue >= 0)) throw new RangeError(`commission: trade value must be ≥ 0, got ${tradeValue}`);
  if (tradeValue === 0) return 0;
  return Math.max(tradeValue * feeRate, minimumFee);
}

/**
 * Whether a move `price / previousClose − 1` sits at the up limit (`direction` +1) or down limit
 * (−1), within `tolerance` (default 0.001, i.e. 0.1 percentage point, which absorbs the exchange's
 * rounding of limit prices to the cent).
 *
 * @example
 * ```ts
 * import { isAtPriceLimit } from "./a_share_rules.ts";
 * isAtPriceLimit(11.0, 10.0, 0.1, 1); // true: +10%
 * isAtPriceLimit(9.01, 10.0, 0.1, -1); // true: −9.9% is within 0.1 point of −10%
 * ```
 */
export function isAtPriceLimit(
  price: number,
  previousClose: number,
  limitRate: number,
  direction: 1 | -1,
  tolerance = 0.001,
): boolean {
  if (!(price > 0) || !(previousClose > 0)) return false;
  const move = price / previousClose - 1;
  // 1e-9 absorbs binary rounding, so 10.99 / 10 − 1 counts as 0.099
  const edge = limitRate - tolerance - 1e-9;
  return direction === 1 ? move >= edge : move <= -edge;
}

function checkIsoDate(isoDate: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) {
    throw new RangeError(`expected an ISO date YYYY-MM-DD, got "${isoDate}"`);
  }
}
