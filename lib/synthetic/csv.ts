/** Daily bars as CSV text, with English or Chinese headers, in UTF-8 or GBK. */
import { encodeGbk } from "./gbk.ts";
import type { SyntheticBars } from "./market.ts";

/** Column headers of {@link barsToCsv}, in file order. */
export const CSV_HEADERS = {
  english: ["date", "open", "high", "low", "close", "volume", "amount"],
  chinese: ["日期", "开盘", "最高", "最低", "收盘", "成交量", "成交额"],
} as const;

/** Options of {@link barsToCsv}. */
export interface BarsToCsvArgs {
  /** Header language: `english` (`date,open,…`) or `chinese` (`日期,开盘,…`). Default `english`. */
  headers?: "english" | "chinese";
  /** Byte encoding: `utf-8` or `gbk` (as Chinese desktop exports). Default `utf-8`. */
  encoding?: "utf-8" | "gbk";
}

/**
 * CSV bytes of one instrument's bars: header row, then one row per day, oldest first, dates
 * `YYYY-MM-DD`, prices with 2 decimals, volume as an integer, amount with 2 decimals, `\n` line
 * ends, final newline.
 *
 * @example
 * ```ts
 * import { barsToCsv, generateMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 1, days: 10 });
 * const bytes = barsToCsv(market.stocks[0], { headers: "chinese", encoding: "gbk" });
 * ```
 */
export function barsToCsv(bars: SyntheticBars, args: BarsToCsvArgs = {}): Uint8Array {
  const headers = args.headers ?? "english";
  const encoding = args.encoding ?? "utf-8";
  if (!(headers in CSV_HEADERS)) {
    throw new RangeError(`barsToCsv: unknown headers ${JSON.stringify(headers)}`);
  }
  const lines = [CSV_HEADERS[headers].join(",")];
  for (let day = 0; day < bars.dates.length; day++) {
    lines.push(
      [
        bars.dates[day],
        bars.open[day].toFixed(2),
        bars.high[day].toFixed(2),
        bars.low[day].toFixed(2),
        bars.close[day].toFixed(2),
        bars.volume[day].toFixed(0),
        bars.amount[day].toFixed(2),
      ].join(","),
    );
  }
  const text = lines.join("\n") + "\n";
  if (encoding === "gbk") return encodeGbk(text);
  if (encoding === "utf-8") return new TextEncoder().encode(text);
  throw new RangeError(`barsToCsv: unknown encoding ${JSON.stringify(encoding)}`);
}
