/**
 * One row per stock of a loaded universe: size, dates, price and volume ranges, suspensions and
 * (for EquiNet files) whether the market columns line up with the stock's own dates.
 */
import pl from "nodejs-polars";
import type { MarketCheck } from "./types.ts";

/** What {@link universeSummary} reads from each stock's bars (a `DailyBars` from the loaders fits). */
export interface SummaryBars {
  /** Trading dates, increasing, in one sortable format (ISO `YYYY-MM-DD`). */
  dates: readonly string[];
  /** Daily prices. */
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  /** Daily volume. */
  volume: ArrayLike<number>;
  /** EquiNet market columns, when the file has them. */
  marketvolume?: ArrayLike<number>;
  marketlimit?: ArrayLike<number>;
  marketrange?: ArrayLike<number>;
  /**
   * Loader metadata: the code, else the file name, names the row; `marketCheck` is the loader's check of
   * the market rows against the universe's calendar.
   */
  meta?: { code?: string; file?: string; marketCheck?: MarketCheck };
}

/** Options of {@link universeSummary}. */
export interface UniverseSummaryArgs {
  /** Names of the stocks, in input order. Default: `meta.code`, else the digits of `meta.file`, else the position. */
  codes?: string[];
}

/**
 * Summarises a universe as a polars DataFrame, one row per stock (input order), with columns:
 * `code`, `rows`, `firstDate`, `lastDate`, `minLow`, `maxHigh`, `minClose`, `maxClose`,
 * `minVolume`, `maxVolume`, `zeroVolumeDays`, `missingDays` (days of the universe calendar — the
 * union of all stocks' dates — between the stock's first and last date on which it has no row),
 * `suspended` (missingDays > 0), `marketRows` (rows with market columns) and
 * `marketMisalignedRows`.
 *
 * Market misalignment: EquiNet files carry the same index rows in every file, matched by row
 * position, so a stock with suspensions gets index rows of other days. The loader detects it once,
 * against the universe's common calendar (`loadFolder`; see {@link MarketCheck}), and this column
 * reads its record: rows whose market row is another day's; null without market columns, or when the
 * loader could not check them (no calendar known, e.g. a file loaded alone).
 *
 * @example
 * ```ts ignore
 * import { universeSummary } from "./universe_summary.ts";
 * const summary = universeSummary(equinetBars);
 * console.log(summary.filter(pl.col("suspended")).height);
 * ```
 */
export function universeSummary(
  stocks: readonly SummaryBars[],
  args: UniverseSummaryArgs = {},
): pl.DataFrame {
  if (args.codes !== undefined && args.codes.length !== stocks.length) {
    throw new RangeError(`universeSummary: ${args.codes.length} codes for ${stocks.length} stocks`);
  }
  const calendar = [...new Set(stocks.flatMap((stock) => stock.dates))].sort();
  const calendarIndex = new Map(calendar.map((date, position) => [date, position]));

  const count = stocks.length;
  const codes: string[] = [];
  const rows = new Int32Array(count);
  const firstDates: (string | null)[] = [];
  const lastDates: (string | null)[] = [];
  const minLow = new Float64Array(count), maxHigh = new Float64Array(count);
  const minClose = new Float64Array(count), maxClose = new Float64Array(count);
  const minVolume = new Float64Array(count), maxVolume = new Float64Array(count);
  const zeroVolumeDays = new Int32Array(count);
  const missingDays = new Int32Array(count);
  const marketRows: (number | null)[] = [];
  const misaligned: (number | null)[] = [];
  for (let stock = 0; stock < count; stock++) {
    const bars = stocks[stock];
    const length = bars.dates.length;
    codes.push(args.codes?.[stock] ?? codeOf(bars, stock));
    rows[stock] = length;
    firstDates.push(length > 0 ? bars.dates[0] : null);
    lastDates.push(length > 0 ? bars.dates[length - 1] : null);
    minLow[stock] = minOf(bars.low);
    maxHigh[stock] = maxOf(bars.high);
    minClose[stock] = minOf(bars.close);
    maxClose[stock] = maxOf(bars.close);
    minVolume[stock] = minOf(bars.volume);
    maxVolume[stock] = maxOf(bars.volume);
    let zeros = 0;
    for (let day = 0; day < length; day++) if (bars.volume[day] === 0) zeros++;
    zeroVolumeDays[stock] = zeros;
    if (length > 0) {
      const span = calendarIndex.get(bars.dates[length - 1])! - calendarIndex.get(bars.dates[0])! + 1;
      missingDays[stock] = span - new Set(bars.dates).size;
    }
    const hasMarket = bars.marketvolume !== undefined && bars.marketlimit !== undefined &&
      bars.marketrange !== undefined;
    marketRows.push(hasMarket ? length : null);
    misaligned.push(hasMarket ? bars.meta?.marketCheck?.misalignedRows ?? null : null);
  }
  return pl.DataFrame([
    pl.Series("code", codes, pl.Utf8),
    pl.Series("rows", Array.from(rows), pl.Int32),
    pl.Series("firstDate", firstDates, pl.Utf8),
    pl.Series("lastDate", lastDates, pl.Utf8),
    pl.Series("minLow", Array.from(minLow), pl.Float64),
    pl.Series("maxHigh", Array.from(maxHigh), pl.Float64),
    pl.Series("minClose", Array.from(minClose), pl.Float64),
    pl.Series("maxClose", Array.from(maxClose), pl.Float64),
    pl.Series("minVolume", Array.from(minVolume), pl.Float64),
    pl.Series("maxVolume", Array.from(maxVolume), pl.Float64),
    pl.Series("zeroVolumeDays", Array.from(zeroVolumeDays), pl.Int32),
    pl.Series("missingDays", Array.from(missingDays), pl.Int32),
    pl.Series("suspended", Array.from(missingDays, (days) => days > 0), pl.Bool),
    nullableIntegers("marketRows", marketRows),
    nullableIntegers("marketMisalignedRows", misaligned),
  ]);
}

/**
 * An Int32 series that keeps nulls. Porting note: nodejs-polars 0.25 turns null into 0 when a JS
 * array is given with dtype Int32 directly, so build as Float64 (nulls kept) and cast.
 */
function nullableIntegers(name: string, values: (number | null)[]): pl.Series {
  return pl.Series(name, values, pl.Float64).cast(pl.Int32);
}

function codeOf(bars: SummaryBars, position: number): string {
  if (bars.meta?.code) return bars.meta.code;
  const digits = bars.meta?.file?.match(/(\d{6})(?!.*\d{6})/);
  return digits ? digits[1] : String(position);
}

function minOf(values: ArrayLike<number>): number {
  let result = Infinity;
  for (let index = 0; index < values.length; index++) if (values[index] < result) result = values[index];
  return values.length === 0 ? NaN : result;
}

function maxOf(values: ArrayLike<number>): number {
  let result = -Infinity;
  for (let index = 0; index < values.length; index++) if (values[index] > result) result = values[index];
  return values.length === 0 ? NaN : result;
}
