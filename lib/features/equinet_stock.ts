/** Turns loaded daily bars (lib/data) into the column set the EquiNet window sampler reads. */
import type { DailyBarsData } from "../data/types.ts";
import type { EquiNetStock } from "./equinet_windows.ts";

/**
 * One stock for {@link EquiNetWindows}: open/high/low/close/volume become start/max/min/end/volume
 * (the original's column names) and the three market columns are taken from `optional`. Columns
 * are shared, not copied. Align the market columns by date first where a file needs it
 * (`alignMarketByDate` in lib/data).
 *
 * @throws Error naming the source when a market column is missing.
 * @example
 * ```ts
 * import { equiNetStock } from "./equinet_stock.ts";
 * declare const data: import("../data/types.ts").DailyBarsData;
 * const stock = equiNetStock(data, "000008");
 * ```
 */
export function equiNetStock(data: DailyBarsData, code: string): EquiNetStock {
  const market = (name: "marketvolume" | "marketlimit" | "marketrange") => {
    const column = data.optional[name];
    if (!column) throw new Error(`stock ${code}: no ${name} column (EquiNet needs the market columns)`);
    return column;
  };
  return {
    code,
    dates: data.dates,
    start: data.open,
    max: data.high,
    min: data.low,
    end: data.close,
    volume: data.volume,
    marketvolume: market("marketvolume"),
    marketlimit: market("marketlimit"),
    marketrange: market("marketrange"),
  };
}
