import pl from "nodejs-polars";
import {
  type BarsMetadata,
  type DailyBarsData,
  OPTIONAL_COLUMNS,
  type OptionalColumn,
  PRICE_VOLUME_COLUMNS,
} from "./types.ts";

/**
 * Validated daily bars of one security, oldest first: `dates` as "YYYY-MM-DD" strings and Float64Array
 * columns for numeric code, `toDataFrame()` for a polars DataFrame at the API boundary.
 *
 * @example
 * ```ts
 * import { loadBars } from "./mod.ts";
 * const bars = await loadBars("../shared/data/indices/399006_chinext.csv");
 * console.log(bars.length, bars.dates[0], bars.close[0]); // 2787 "2010-06-01" 973.23
 * const df = bars.toDataFrame(); // date, open, high, low, close, volume, amount
 * ```
 */
export class DailyBars {
  /** Trading dates, "YYYY-MM-DD", strictly increasing. */
  readonly dates: string[];
  /** Opening prices. */
  readonly open: Float64Array;
  /** Highest prices. */
  readonly high: Float64Array;
  /** Lowest prices. */
  readonly low: Float64Array;
  /** Closing prices. */
  readonly close: Float64Array;
  /** Traded volume, in `meta.volumeUnit`. */
  readonly volume: Float64Array;
  /** Traded amount (currency units of the source), when the file has it. */
  readonly amount: Float64Array | undefined;
  /** Dividend-adjusted close (Yahoo's `Adj Close`), when the file has it. */
  readonly adjClose: Float64Array | undefined;
  /** EquiNet: index volume (lots) of the market row. */
  readonly marketvolume: Float64Array | undefined;
  /** EquiNet: index close/open - 1 of the market row (a fraction). */
  readonly marketlimit: Float64Array | undefined;
  /** EquiNet: index high - low of the market row (points). */
  readonly marketrange: Float64Array | undefined;
  /** Source, adjustment, units and warnings. */
  readonly meta: BarsMetadata;

  /** Wraps columns (same length each) and their metadata; throws a RangeError on ragged columns. */
  constructor(data: DailyBarsData, meta: BarsMetadata) {
    const n = data.dates.length;
    for (const name of PRICE_VOLUME_COLUMNS) {
      if (data[name].length !== n) {
        throw new RangeError(`DailyBars: column ${name} has ${data[name].length} values, not ${n}`);
      }
    }
    for (const [name, column] of Object.entries(data.optional)) {
      if (column && column.length !== n) {
        throw new RangeError(`DailyBars: column ${name} has ${column.length} values, not ${n}`);
      }
    }
    this.dates = data.dates;
    this.open = data.open;
    this.high = data.high;
    this.low = data.low;
    this.close = data.close;
    this.volume = data.volume;
    this.amount = data.optional.amount;
    this.adjClose = data.optional.adjClose;
    this.marketvolume = data.optional.marketvolume;
    this.marketlimit = data.optional.marketlimit;
    this.marketrange = data.optional.marketrange;
    this.meta = meta;
  }

  /** Number of trading days. */
  get length(): number {
    return this.dates.length;
  }

  /** First date, "YYYY-MM-DD" (undefined when empty). */
  get first(): string | undefined {
    return this.dates[0];
  }

  /** Last date, "YYYY-MM-DD" (undefined when empty). */
  get last(): string | undefined {
    return this.dates[this.dates.length - 1];
  }

  /** The optional columns this table holds, in canonical order. */
  optionalColumns(): OptionalColumn[] {
    return OPTIONAL_COLUMNS.filter((name) => this[name] !== undefined);
  }

  /** The columns as plain typed arrays (no copy). */
  toData(): DailyBarsData {
    const optional: Partial<Record<OptionalColumn, Float64Array>> = {};
    for (const name of this.optionalColumns()) optional[name] = this[name];
    return {
      dates: this.dates,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      optional,
    };
  }

  /** Rows `[start, end)` as a new table with the same metadata (typed arrays are views, not copies). */
  slice(start: number, end = this.length): DailyBars {
    const data = this.toData();
    const optional: Partial<Record<OptionalColumn, Float64Array>> = {};
    for (const [name, column] of Object.entries(data.optional)) {
      if (column) optional[name as OptionalColumn] = column.subarray(start, end);
    }
    return new DailyBars({
      dates: data.dates.slice(start, end),
      open: data.open.subarray(start, end),
      high: data.high.subarray(start, end),
      low: data.low.subarray(start, end),
      close: data.close.subarray(start, end),
      volume: data.volume.subarray(start, end),
      optional,
    }, this.meta);
  }

  /**
   * The table as a polars DataFrame: `date` (polars Date), `open, high, low, close, volume`, then whichever of
   * `amount, adjClose, marketvolume, marketlimit, marketrange` the file had.
   */
  toDataFrame(): pl.DataFrame {
    const series: pl.Series[] = [
      pl.Series("date", this.dates).str.strptime(pl.Date, "%Y-%m-%d"),
      pl.Series("open", this.open),
      pl.Series("high", this.high),
      pl.Series("low", this.low),
      pl.Series("close", this.close),
      pl.Series("volume", this.volume),
    ];
    for (const name of this.optionalColumns()) series.push(pl.Series(name, this[name] as Float64Array));
    return pl.DataFrame(series);
  }
}
