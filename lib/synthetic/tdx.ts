/** Daily bars as a native TDX (通达信) day-line export. */
import { encodeGbk } from "./gbk.ts";
import type { SyntheticBars } from "./market.ts";

/** The padded column header line of TDX exports, byte for byte as in genuine files. */
export const TDX_HEADER = "      日期\t    开盘\t    最高\t    最低\t    收盘\t    成交量\t    成交额";
/** The last line of TDX exports. */
export const TDX_FOOTER = "数据来源:通达信";

/** Options of {@link barsToTdx}. */
export interface BarsToTdxArgs {
  /** Price adjustment named in line 1: `前复权` (forward-adjusted) or `不复权` (raw). Default `不复权`. */
  adjustment?: "前复权" | "不复权";
}

/**
 * GBK bytes of a TDX export: line 1 `<code> <name> 日线 <adjustment>`, the padded header line, rows
 * `YYYY/MM/DD<TAB>open<TAB>high<TAB>low<TAB>close<TAB>volume<TAB>amount` (prices and amount with 2
 * decimals, volume an integer), then `数据来源:通达信`; `\n` line ends, as in the genuine files of the
 * mirror's `tdx/` folder. File name convention: `SH#600000.txt` / `SZ#000100.txt`.
 *
 * @example
 * ```ts
 * import { barsToTdx, generateMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 1, days: 10 });
 * const bytes = barsToTdx(market.stocks[0]);
 * ```
 */
export function barsToTdx(bars: SyntheticBars, args: BarsToTdxArgs = {}): Uint8Array {
  const adjustment = args.adjustment ?? "不复权";
  if (adjustment !== "前复权" && adjustment !== "不复权") {
    throw new RangeError(`barsToTdx: adjustment must be 前复权 or 不复权, got ${JSON.stringify(adjustment)}`);
  }
  const lines = [`${bars.code} ${bars.name} 日线 ${adjustment}`, TDX_HEADER];
  for (let day = 0; day < bars.dates.length; day++) {
    lines.push(
      [
        bars.dates[day].replaceAll("-", "/"),
        bars.open[day].toFixed(2),
        bars.high[day].toFixed(2),
        bars.low[day].toFixed(2),
        bars.close[day].toFixed(2),
        bars.volume[day].toFixed(0),
        bars.amount[day].toFixed(2),
      ].join("\t"),
    );
  }
  lines.push(TDX_FOOTER);
  return encodeGbk(lines.join("\n") + "\n");
}

/**
 * TDX file name of an instrument: exchange prefix from the code (`6…` Shanghai, else Shenzhen;
 * the index `000001` is Shanghai's), `#`, code, `.txt`.
 *
 * @example
 * ```ts
 * import { tdxFileName } from "./tdx.ts";
 * tdxFileName("600000"); // "SH#600000.txt"
 * ```
 */
export function tdxFileName(code: string, isIndex = false): string {
  const exchange = code.startsWith("6") || (isIndex && code.startsWith("000")) ? "SH" : "SZ";
  return `${exchange}#${code}.txt`;
}
