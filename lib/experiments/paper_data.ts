/**
 * Turning loaded daily bars into the paper runners' input, and checking how closely two indices move
 * together (the lab runs the paper on 399006 because no public copy of its 399012 reaches back to 2012).
 */
import type { PaperData } from "./paper.ts";

/** The part of a `DailyBars` (lib/data) the paper needs. */
export interface PaperBars {
  /** ISO dates (YYYY-MM-DD), ascending. */
  readonly dates: readonly string[];
  /** Opening prices. */
  readonly open: Float64Array;
  /** Daily highs. */
  readonly high: Float64Array;
  /** Daily lows. */
  readonly low: Float64Array;
  /** Closing prices. */
  readonly close: Float64Array;
  /** Volume. */
  readonly volume: Float64Array;
  /** Amount (turnover); the paper needs it, so a file without it is refused. */
  readonly amount?: Float64Array | undefined;
}

/** Options of {@link paperDataFromBars}. */
export interface PaperDataArgs {
  /** Name of the source (file or data set) used in error messages. Default "bars". */
  source?: string;
  /**
   * First study day as an ISO date: the first trading day on or after it is the first target day.
   * Default: the runners' own default (the paper's 2012-07-02, which must then be in the data).
   */
  studyFromDate?: string;
  /** Last study day as an ISO date (inclusive; the last trading day on or before it). Default: as above. */
  studyToDate?: string;
}

/**
 * The columns of daily bars as {@link PaperData}, with an optional study period given by dates.
 *
 * @example
 * ```ts
 * import { paperDataFromBars } from "./paper_data.ts";
 * const column = (values: number[]) => Float64Array.from(values);
 * const bars = {
 *   dates: ["2017-01-03", "2017-01-04", "2017-01-05"],
 *   open: column([10, 11, 12]), high: column([11, 12, 13]), low: column([9, 10, 11]),
 *   close: column([10.5, 11.5, 12.5]), volume: column([1, 2, 3]), amount: column([10, 20, 30]),
 * };
 * const data = paperDataFromBars(bars, { studyFromDate: "2017-01-04" }); // data.studyFrom === 1
 * ```
 */
export function paperDataFromBars(bars: PaperBars, args: PaperDataArgs = {}): PaperData {
  const source = args.source ?? "bars";
  if (!bars.amount) {
    throw new RangeError(`paperDataFromBars: ${source} has no amount column (Data1 needs 成交额, turnover)`);
  }
  const dates = bars.dates;
  const data: PaperData = {
    columns: {
      open: bars.open,
      high: bars.high,
      low: bars.low,
      close: bars.close,
      volume: bars.volume,
      amount: bars.amount,
    },
    dates,
  };
  if (args.studyFromDate !== undefined) {
    const index = dates.findIndex((date) => date >= args.studyFromDate!);
    if (index < 0) {
      throw new RangeError(
        `paperDataFromBars: ${source} ends ${dates.at(-1)}, before studyFromDate ${args.studyFromDate}`,
      );
    }
    data.studyFrom = index;
  }
  if (args.studyToDate !== undefined) {
    let end = dates.length;
    while (end > 0 && dates[end - 1] > args.studyToDate) end--;
    if (end === 0) {
      throw new RangeError(
        `paperDataFromBars: ${source} starts ${dates[0]}, after studyToDate ${args.studyToDate}`,
      );
    }
    data.studyEnd = end;
  }
  return data;
}
