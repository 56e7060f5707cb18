/** Daily bars as an EquiNet training file (`processed_<code>.xlsx`). */
import { EQUINET_HEADERS } from "../data/spreadsheet.ts";
import { writeXlsx } from "../data/xlsx/mod.ts";
import type { SyntheticBars } from "./market.ts";

/** Options of {@link equinetRows} and {@link barsToEquinetXlsx}. */
export interface EquinetXlsxArgs {
  /**
   * How index rows are matched to stock rows. `date` (default): the index row of the same date,
   * correct. `position`: the index's last n rows beside the stock's n rows by row position, as
   * the original files do — for a stock with suspensions the dates then do not line up (use it
   * to test that a loader detects the quirk).
   */
  marketAlignment?: "date" | "position";
}

/**
 * The rows of an EquiNet file: header, then per stock day `time` as `" YYYY/MM/DD"` (leading
 * space, as the originals), `start,max,min,end` (open, high, low, close), `volume`, and the
 * index's `marketvolume` (lots), `marketlimit` (index close/open − 1 of that day, a fraction) and
 * `marketrange` (index high − low, points).
 *
 * @example
 * ```ts
 * import { equinetRows, generateMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 1, days: 10 });
 * const rows = equinetRows(market.stocks[0], market.index);
 * ```
 */
export function equinetRows(
  stock: SyntheticBars,
  index: SyntheticBars,
  args: EquinetXlsxArgs = {},
): (string | number)[][] {
  const alignment = args.marketAlignment ?? "date";
  const indexRowOfDate = new Map(index.dates.map((date, row) => [date, row]));
  const offset = index.dates.length - stock.dates.length;
  if (alignment === "position" && offset < 0) {
    throw new RangeError(`equinetRows: ${stock.code} has more rows than the index`);
  }
  const rows: (string | number)[][] = [[...EQUINET_HEADERS]];
  for (let day = 0; day < stock.dates.length; day++) {
    let market: number | undefined;
    if (alignment === "date") {
      market = indexRowOfDate.get(stock.dates[day]);
      if (market === undefined) {
        throw new RangeError(`equinetRows: the index has no row for ${stock.dates[day]}`);
      }
    } else if (alignment === "position") {
      market = offset + day;
    } else {
      throw new RangeError(`equinetRows: unknown marketAlignment ${JSON.stringify(alignment)}`);
    }
    rows.push([
      " " + stock.dates[day].replaceAll("-", "/"),
      stock.open[day],
      stock.high[day],
      stock.low[day],
      stock.close[day],
      stock.volume[day],
      index.volume[market],
      index.close[market] / index.open[market] - 1,
      index.high[market] - index.low[market],
    ]);
  }
  return rows;
}

/**
 * An EquiNet xlsx file (one sheet, `Sheet1`) of a stock with the index's market columns, written
 * with `lib/data/xlsx`'s `writeXlsx`.
 *
 * @example
 * ```ts
 * import { barsToEquinetXlsx, generateMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 1, days: 10 });
 * const bytes = barsToEquinetXlsx(market.stocks[0], market.index);
 * ```
 */
export function barsToEquinetXlsx(
  stock: SyntheticBars,
  index: SyntheticBars,
  args: EquinetXlsxArgs = {},
): Uint8Array {
  return writeXlsx(equinetRows(stock, index, args), { sheetName: "Sheet1" });
}
