/**
 * The seed's fundamentals processor — fill, clip at the 1%/99% quantiles, standardise per sector —
 * in an honest variant and an "as written" one that keeps the seed's leaks for comparison.
 *
 * Porting note: the seed forward-fills and then backward-fills the whole frame, computes the
 * clipping quantiles over all rows and fits one StandardScaler per sector on all rows, so future
 * reports leak into the past three ways. `variant: "asWrittenLeaky"` reproduces that (except that
 * we fill within each stock; the seed's frame-wide fill also leaks across stocks). The default
 * `"corrected"` variant only forward-fills (days before a stock's first report stay NaN) and fits
 * the quantiles and the mean/deviation per sector on the training days only.
 *
 * @module
 */

/** Point-in-time fundamentals of a universe. */
export interface FundamentalPanel {
  /** Sector of each stock (e.g. Shenwan industry); statistics are per sector. */
  sectors: readonly string[];
  /** Values `[stock][feature][day]` (e.g. from `asOfJoin`), NaN where unknown. */
  features: readonly (readonly ArrayLike<number>[])[];
}

/** Options of {@link processFundamentals}. */
export interface FundamentalProcessorArgs {
  /** `"corrected"` (default) or the seed's `"asWrittenLeaky"` (see the module note). */
  variant?: "corrected" | "asWrittenLeaky";
  /** Days `[0, trainDays)` are the training period; the corrected variant fits only on them. Required. */
  trainDays: number;
  /** Lower clipping quantile. Default 0.01. */
  lowerQuantile?: number;
  /** Upper clipping quantile. Default 0.99. */
  upperQuantile?: number;
}

/** Fitted statistics of one sector, per feature. */
export interface SectorStatistics {
  /** Lower clipping bound. */
  lower: Float64Array;
  /** Upper clipping bound. */
  upper: Float64Array;
  /** Mean of the clipped values. */
  mean: Float64Array;
  /** Population standard deviation of the clipped values (1 where it is 0, as scikit-learn). */
  scale: Float64Array;
}

/** Result of {@link processFundamentals}. */
export interface ProcessedFundamentals {
  /** Processed values `[stock][feature][day]`. */
  features: Float64Array[][];
  /** Statistics per sector. */
  statistics: Map<string, SectorStatistics>;
}

/**
 * Fills, clips and standardises fundamentals per sector.
 *
 * @example
 * ```ts
 * import { processFundamentals } from "./fundamental_processor.ts";
 * const result = processFundamentals(
 *   { sectors: ["bank", "bank"], features: [[[NaN, 1, 2, 3]], [[4, 5, NaN, 7]]] },
 *   { trainDays: 3 },
 * );
 * result.features[0][0]; // NaN on day 0: no report yet, nothing back-filled
 * ```
 */
export function processFundamentals(
  panel: FundamentalPanel,
  args: FundamentalProcessorArgs,
): ProcessedFundamentals {
  const variant = args.variant ?? "corrected";
  const lowerQuantile = args.lowerQuantile ?? 0.01;
  const upperQuantile = args.upperQuantile ?? 0.99;
  const stocks = panel.features.length;
  if (panel.sectors.length !== stocks) {
    throw new RangeError(`processFundamentals: ${panel.sectors.length} sectors for ${stocks} stocks`);
  }
  if (stocks === 0) return { features: [], statistics: new Map() };
  const featureCount = panel.features[0].length;
  const days = featureCount > 0 ? panel.features[0][0].length : 0;
  if (!Number.isInteger(args.trainDays) || args.trainDays < 1 || args.trainDays > days) {
    throw new RangeError(`processFundamentals: trainDays must be in 1..${days}, got ${args.trainDays}`);
  }
  const leaky = variant === "asWrittenLeaky";
  const fitDays = leaky ? days : args.trainDays;
  // 1. fill within each stock
  const filled = panel.features.map((series, stock) => {
    if (series.length !== featureCount) {
      throw new RangeError(
        `processFundamentals: stock ${stock} has ${series.length} features, expected ${featureCount}`,
      );
    }
    return series.map((values) => {
      if (values.length !== days) {
        throw new RangeError(`processFundamentals: stock ${stock} has ${values.length} days`);
      }
      const forward = forwardFill(values);
      return leaky ? backwardFill(forward) : forward;
    });
  });
  // 2. clipping bounds: per sector on training days (corrected) or pooled over everything (as written)
  const sectorNames = [...new Set(panel.sectors)];
  const statistics = new Map<string, SectorStatistics>();
  const pooledBounds = leaky
    ? boundsOf(filled.map((_, stock) => stock), filled, featureCount, fitDays, lowerQuantile, upperQuantile)
    : null;
  for (const sector of sectorNames) {
    const members = panel.sectors.flatMap((name, stock) => (name === sector ? [stock] : []));
    const [lower, upper] = pooledBounds ??
      boundsOf(members, filled, featureCount, fitDays, lowerQuantile, upperQuantile);
    const mean = new Float64Array(featureCount), scale = new Float64Array(featureCount);
    for (let feature = 0; feature < featureCount; feature++) {
      let count = 0, sum = 0, squares = 0;
      for (const stock of members) {
        const values = filled[stock][feature];
        for (let day = 0; day < fitDays; day++) {
          const value = values[day];
          if (Number.isNaN(value)) continue;
          const clipped = Math.min(upper[feature], Math.max(lower[feature], value));
          count++;
          sum += clipped;
          squares += clipped * clipped;
        }
      }
      mean[feature] = count > 0 ? sum / count : NaN;
      const variance = count > 0 ? Math.max(0, squares / count - mean[feature] ** 2) : NaN;
      scale[feature] = variance === 0 ? 1 : Math.sqrt(variance);
    }
    statistics.set(sector, { lower, upper, mean, scale });
  }
  // 3. apply to every day
  const features = filled.map((series, stock) => {
    const stats = statistics.get(panel.sectors[stock])!;
    return series.map((values, feature) => {
      const out = new Float64Array(days);
      for (let day = 0; day < days; day++) {
        const clipped = Math.min(stats.upper[feature], Math.max(stats.lower[feature], values[day]));
        out[day] = (clipped - stats.mean[feature]) / stats.scale[feature];
      }
      return out;
    });
  });
  return { features, statistics };
}

/**
 * Carries the last finite value forward over NaN; leading NaN stay.
 *
 * @example
 * ```ts
 * import { forwardFill } from "./fundamental_processor.ts";
 * forwardFill([NaN, 1, NaN, 2]); // Float64Array [NaN, 1, 1, 2]
 * ```
 */
export function forwardFill(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  let last = NaN;
  for (let index = 0; index < out.length; index++) {
    if (Number.isNaN(out[index])) out[index] = last;
    else last = out[index];
  }
  return out;
}

/**
 * Carries the next finite value backward over NaN — this copies the future into the past; it exists
 * only for the seed's "as written" variant.
 *
 * @example
 * ```ts
 * import { backwardFill } from "./fundamental_processor.ts";
 * backwardFill([NaN, 1, NaN, 2]); // Float64Array [1, 1, 2, 2]
 * ```
 */
export function backwardFill(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  let next = NaN;
  for (let index = out.length - 1; index >= 0; index--) {
    if (Number.isNaN(out[index])) out[index] = next;
    else next = out[index];
  }
  return out;
}

/**
 * Quantile with linear interpolation between order statistics (numpy's and pandas' default),
 * ignoring NaN. NaN for no values.
 *
 * @example
 * ```ts
 * import { quantile } from "./fundamental_processor.ts";
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: ArrayLike<number>, probability: number): number {
  const sorted = Float64Array.from(values).filter((value) => !Number.isNaN(value)).sort();
  return quantileOfSorted(sorted, probability);
}

function quantileOfSorted(sorted: Float64Array, probability: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position), above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function boundsOf(
  members: readonly number[],
  filled: readonly Float64Array[][],
  featureCount: number,
  fitDays: number,
  lowerQuantile: number,
  upperQuantile: number,
): [Float64Array, Float64Array] {
  const lower = new Float64Array(featureCount), upper = new Float64Array(featureCount);
  for (let feature = 0; feature < featureCount; feature++) {
    const pool: number[] = [];
    for (const stock of members) {
      const values = filled[stock][feature];
      for (let day = 0; day < fitDays; day++) if (!Number.isNaN(values[day])) pool.push(values[day]);
    }
    const sorted = Float64Array.from(pool).sort();
    lower[feature] = quantileOfSorted(sorted, lowerQuantile);
    upper[feature] = quantileOfSorted(sorted, upperQuantile);
  }
  return [lower, upper];
}
