/** Writes a whole synthetic market to a folder in one of the supported file formats. */
import { join } from "node:path";
import { writeAtomically } from "../data/download.ts";
import { barsToCsv, type BarsToCsvArgs } from "./csv.ts";
import { barsToEquinetXlsx, type EquinetXlsxArgs } from "./equinet_xlsx.ts";
import type { SyntheticMarket } from "./market.ts";
import { barsToTdx, type BarsToTdxArgs, tdxFileName } from "./tdx.ts";

/** Options of {@link writeMarket}. */
export interface WriteMarketArgs extends BarsToCsvArgs, BarsToTdxArgs, EquinetXlsxArgs {
  /**
   * File format: `csv` (`<code>.csv` per stock and `index_<code>.csv`), `tdx`
   * (`SH#600000.txt`, index included) or `equinet-xlsx` (`processed_<code>.xlsx` per stock, the
   * index inside as market columns).
   */
  format: "csv" | "tdx" | "equinet-xlsx";
}

/**
 * Writes every stock (and, for CSV and TDX, the index) to `folder`, each file through a temp file
 * and a rename, and returns the paths written in order (index first where written).
 *
 * @example
 * ```ts ignore
 * import { generateMarket, writeMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 3, days: 250 });
 * await writeMarket(market, "out/synthetic_tdx", { format: "tdx" });
 * ```
 */
export async function writeMarket(
  market: SyntheticMarket,
  folder: string,
  args: WriteMarketArgs,
): Promise<string[]> {
  const files: [string, Uint8Array][] = [];
  if (args.format === "csv") {
    files.push([`index_${market.index.code}.csv`, barsToCsv(market.index, args)]);
    for (const stock of market.stocks) files.push([`${stock.code}.csv`, barsToCsv(stock, args)]);
  } else if (args.format === "tdx") {
    files.push([tdxFileName(market.index.code, true), barsToTdx(market.index, args)]);
    for (const stock of market.stocks) files.push([tdxFileName(stock.code), barsToTdx(stock, args)]);
  } else if (args.format === "equinet-xlsx") {
    for (const stock of market.stocks) {
      files.push([`processed_${stock.code}.xlsx`, barsToEquinetXlsx(stock, market.index, args)]);
    }
  } else {
    throw new RangeError(
      `writeMarket: unknown format ${JSON.stringify((args as { format: unknown }).format)}`,
    );
  }
  const paths: string[] = [];
  for (const [name, bytes] of files) {
    const path = join(folder, name);
    await writeAtomically(path, bytes);
    paths.push(path);
  }
  return paths;
}
