/**
 * One row per stock of a loaded universe: size, dates, price and volume ranges, suspensions and
 * (for EquiNet files) whether the market columns line up with the stock's own dates.
 */
import pl from "nodejs-polars";

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
  /** Loader metadata: the code, else the file name, names the row. */
  meta?: { code?: string; file?: string };
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
 * `marketMisalignedRows` (null without market columns).
 *
 * Market misalignment: EquiNet files carry the same index rows in every file, matched by row
 * position, so a stock with suspensions gets index rows of other days. Each distinct
 * (marketvolume, marketlimit, marketrange) triple is assigned the date most stocks give it (a
 * vote over the universe; the unsuspended majority wins); a row is misaligned when its own date
 * differs from its triple's voted date. Needs no index file, but needs most stocks aligned on
 * every market row (true of EquiNet's files: 285 of 319 have no suspension).
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
  const votedDates = voteMarketDates(stocks);

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
    const keys = marketKeys(bars);
    if (keys === undefined) {
      marketRows.push(null);
      misaligned.push(null);
    } else {
      let wrong = 0;
      for (let day = 0; day < length; day++) if (votedDates.get(keys[day]) !== bars.dates[day]) wrong++;
      marketRows.push(length);
      misaligned.push(wrong);
    }
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

/** Per row, a key of the market triple; undefined when the bars have no market columns. */
function marketKeys(bars: SummaryBars): string[] | undefined {
  const { marketvolume, marketlimit, marketrange } = bars;
  if (marketvolume === undefined || marketlimit === undefined || marketrange === undefined) return undefined;
  const keys: string[] = new Array(bars.dates.length);
  for (let day = 0; day < bars.dates.length; day++) {
    keys[day] = `${marketvolume[day]}|${marketlimit[day]}|${marketrange[day]}`;
  }
  return keys;
}

/** Market triple → the date most stocks give it (ties: the earliest date). */
function voteMarketDates(stocks: readonly SummaryBars[]): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  for (const bars of stocks) {
    const keys = marketKeys(bars);
    if (keys === undefined) continue;
    for (let day = 0; day < keys.length; day++) {
      let byDate = votes.get(keys[day]);
      if (byDate === undefined) votes.set(keys[day], byDate = new Map());
      byDate.set(bars.dates[day], (byDate.get(bars.dates[day]) ?? 0) + 1);
    }
  }
  const voted = new Map<string, string>();
  for (const [key, byDate] of votes) {
    let best = "", bestCount = -1;
    for (const [date, count] of byDate) {
      if (count > bestCount || (count === bestCount && date < best)) [best, bestCount] = [date, count];
    }
    voted.set(key, best);
  }
  return voted;
}
