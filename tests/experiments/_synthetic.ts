/** A seeded random walk with consistent OHLCV bars, for the experiment tests. */
import { type PaperData, type PaperSettings, paperSettings } from "../../lib/experiments/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { parseBars } from "../../lib/data/mod.ts";
import { type EquiNetStock, equiNetStock } from "../../lib/features/mod.ts";
import { barsToEquinetXlsx, type SyntheticMarket } from "../../lib/synthetic/mod.ts";

export function syntheticPaperData(days: number, seed: number, studyFrom = 8): PaperData {
  const random = createRandom(seed);
  const columns = {
    open: new Float64Array(days),
    high: new Float64Array(days),
    low: new Float64Array(days),
    close: new Float64Array(days),
    volume: new Float64Array(days),
    amount: new Float64Array(days),
  };
  let previous = 1000;
  for (let day = 0; day < days; day++) {
    columns.open[day] = previous * (1 + 0.003 * random.normal());
    columns.close[day] = previous * (1 + 0.015 * random.normal());
    columns.high[day] = Math.max(columns.open[day], columns.close[day]) * (1 + 0.005 * random.uniform());
    columns.low[day] = Math.min(columns.open[day], columns.close[day]) * (1 - 0.005 * random.uniform());
    columns.volume[day] = 1e6 * (1 + random.uniform());
    columns.amount[day] = columns.volume[day] * columns.close[day];
    previous = columns.close[day];
  }
  const dates = Array.from(
    { length: days },
    (_, day) => new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10),
  );
  return { columns, dates, studyFrom };
}

/** One seed, one epoch, 3-day windows, 3 hidden units. */
export function tinySettings(outDir = "unused"): PaperSettings {
  return { ...paperSettings(true), seeds: [1], maxEpochs: 1, fixedWindowDays: 3, fixedHiddenSize: 3, outDir };
}

/**
 * The stocks of a synthetic market as the EquiNet sampler sees them, through the same path as
 * real files: each stock is written as an EquiNet spreadsheet (market columns from the index, by
 * date) and read back by the data layer.
 *
 * @example
 * ```ts
 * import { equiNetStocksFromMarket } from "./_synthetic.ts";
 * import { randomWalkMarket } from "../../lib/synthetic/mod.ts";
 * const stocks = await equiNetStocksFromMarket(randomWalkMarket({ seed: 1, stockCount: 5, days: 200 }));
 * ```
 */
export async function equiNetStocksFromMarket(market: SyntheticMarket): Promise<EquiNetStock[]> {
  const stocks: EquiNetStock[] = [];
  for (const bars of market.stocks) {
    const bytes = barsToEquinetXlsx(bars, market.index);
    const loaded = await parseBars(bytes, { file: `processed_${bars.code}.xlsx`, minRows: 1 });
    stocks.push(equiNetStock(loaded.toData(), bars.code));
  }
  return stocks;
}
