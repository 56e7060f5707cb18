/**
 * How closely two price series move together: the Pearson correlation of their daily returns over
 * the dates both have.
 */

/** A dated close series (a `DailyBars` fits). */
export interface DatedCloses {
  /** ISO dates (YYYY-MM-DD), strictly ascending. */
  readonly dates: readonly string[];
  /** Closing prices, one per date. */
  readonly close: ArrayLike<number>;
}

/** Options of {@link returnCorrelation}. */
export interface ReturnCorrelationArgs {
  /** Only dates on or after this ISO date count. Default: no lower bound. */
  fromDate?: string;
  /** Only dates on or before this ISO date count. Default: no upper bound. */
  toDate?: string;
  /** Names of the two series, for error messages. Default ["a", "b"]. */
  names?: [string, string];
}

/** What {@link returnCorrelation} returns. */
export interface ReturnCorrelation {
  /** Pearson correlation of the paired daily returns. */
  correlation: number;
  /** Number of paired returns (common dates − 1). */
  returns: number;
  /** First common date. */
  firstDate: string;
  /** Last common date. */
  lastDate: string;
  /** The paired returns, for a scatter plot: `a[i]` and `b[i]` end on `dates[i]`. */
  pairs: { dates: string[]; a: Float64Array; b: Float64Array };
}

/**
 * Pearson correlation of two series' daily returns over their common dates. A return runs from one
 * common date to the next, so a day missing from either series merges two days of the other rather
 * than pairing different days.
 *
 * @example
 * ```ts
 * import { returnCorrelation } from "./return_correlation.ts";
 * const dates = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"];
 * const result = returnCorrelation({ dates, close: [10, 11, 10, 12] }, { dates, close: [20, 22, 20, 24] });
 * // result.correlation === 1 (the second series is the first × 2), result.returns === 3
 * ```
 */
export function returnCorrelation(
  a: DatedCloses,
  b: DatedCloses,
  args: ReturnCorrelationArgs = {},
): ReturnCorrelation {
  const [nameA, nameB] = args.names ?? ["a", "b"];
  checkSeries(nameA, a);
  checkSeries(nameB, b);
  const from = args.fromDate ?? "";
  const to = args.toDate ?? "\uffff";
  // Merge the two ascending date lists.
  const indexA: number[] = [];
  const indexB: number[] = [];
  for (let i = 0, j = 0; i < a.dates.length && j < b.dates.length;) {
    const dateA = a.dates[i];
    const dateB = b.dates[j];
    if (dateA < dateB) i++;
    else if (dateB < dateA) j++;
    else {
      if (dateA >= from && dateA <= to) {
        indexA.push(i);
        indexB.push(j);
      }
      i++;
      j++;
    }
  }
  if (indexA.length < 3) {
    throw new RangeError(
      `returnCorrelation: ${nameA} and ${nameB} share ${indexA.length} dates in [${
        args.fromDate ?? "start"
      }, ${args.toDate ?? "end"}]; need at least 3`,
    );
  }
  const count = indexA.length - 1;
  const returnsA = new Float64Array(count);
  const returnsB = new Float64Array(count);
  const dates: string[] = new Array(count);
  for (let k = 0; k < count; k++) {
    returnsA[k] = Number(a.close[indexA[k + 1]]) / Number(a.close[indexA[k]]) - 1;
    returnsB[k] = Number(b.close[indexB[k + 1]]) / Number(b.close[indexB[k]]) - 1;
    dates[k] = a.dates[indexA[k + 1]];
  }
  return {
    correlation: pearson(returnsA, returnsB),
    returns: count,
    firstDate: a.dates[indexA[0]],
    lastDate: a.dates[indexA[indexA.length - 1]],
    pairs: { dates, a: returnsA, b: returnsB },
  };
}

function checkSeries(name: string, series: DatedCloses): void {
  if (series.dates.length !== series.close.length) {
    throw new RangeError(
      `returnCorrelation: ${name} has ${series.dates.length} dates but ${series.close.length} closes`,
    );
  }
  for (let index = 0; index < series.dates.length; index++) {
    const close = Number(series.close[index]);
    if (!Number.isFinite(close) || close <= 0) {
      throw new RangeError(
        `returnCorrelation: ${name} close on ${series.dates[index]} (index ${index}) is ${close}`,
      );
    }
    if (index > 0 && !(series.dates[index] > series.dates[index - 1])) {
      throw new RangeError(
        `returnCorrelation: ${name} dates not strictly ascending at index ${index} (${
          series.dates[index - 1]
        }, ${series.dates[index]})`,
      );
    }
  }
}

/** Pearson correlation (two passes: means, then centred sums — stable for small returns). */
function pearson(x: Float64Array, y: Float64Array): number {
  const count = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let k = 0; k < count; k++) {
    meanX += x[k];
    meanY += y[k];
  }
  meanX /= count;
  meanY /= count;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let k = 0; k < count; k++) {
    const dx = x[k] - meanX;
    const dy = y[k] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  return covariance / Math.sqrt(varianceX * varianceY);
}
