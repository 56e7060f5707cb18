/**
 * Per-column min-max and z-score scalers fitted on a chosen range of days.
 */

/** `minMax`: (x − min) / (max − min) → [0, 1] on the fitted days. `zScore`: (x − mean) / std (population). */
export type ScalerKind = "minMax" | "zScore";

/** Options of {@link fitScaler}. */
export interface ScalerArgs {
  /** Which scaling. Default `"minMax"` (the paper's "归一化"). */
  kind?: ScalerKind;
  /** First day (index) used for fitting. Default 0. */
  fromDay?: number;
  /**
   * End of the fitting range (exclusive). Default: all days — the "as published" global scaling,
   * which lets the test period's range leak into training. Honest runs pass the training split's end.
   */
  toDay?: number;
}

/** A fitted scaler: x_scaled = (x − offset) / scale, per column. */
export interface Scaler {
  /** The scaling used. */
  kind: ScalerKind;
  /** Days the statistics came from: [fromDay, toDay). */
  fromDay: number;
  /** End of the fitting range (exclusive). */
  toDay: number;
  /** Per column: min (minMax) or mean (zScore). */
  offset: Readonly<Record<string, number>>;
  /** Per column: max − min (minMax) or standard deviation (zScore); 1 where that is 0. */
  scale: Readonly<Record<string, number>>;
  /** Scales one column's values with that column's statistics. */
  transform(name: string, values: ArrayLike<number>): Float64Array;
  /** Undoes {@link Scaler.transform} (e.g. to de-normalise predicted closes). */
  inverse(name: string, values: ArrayLike<number>): Float64Array;
}

/**
 * Fits per-column statistics on days [fromDay, toDay) only. Values outside that range are never
 * read, so data after a split cannot change the fitted scaler. A non-finite value inside the range is
 * an error naming the column and day.
 *
 * Porting note: the paper normalised all 2,032 days at once (global scaling: "as published",
 * leaky); the honest runs fit on the training days only.
 *
 * @example
 * ```ts
 * import { fitScaler } from "./scaler.ts";
 * const close = [10, 20, 30, 99];
 * const scaler = fitScaler({ close }, { kind: "minMax", toDay: 3 }); // fitted on 10..30 only
 * scaler.transform("close", close); // [0, 0.5, 1, 4.45]
 * scaler.inverse("close", [0.5]); // [20]
 * ```
 */
export function fitScaler(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  args: ScalerArgs = {},
): Scaler {
  const kind = args.kind ?? "minMax";
  if (kind !== "minMax" && kind !== "zScore") {
    throw new RangeError(`fitScaler: kind must be "minMax" or "zScore", got ${kind}`);
  }
  const names = Object.keys(columns);
  if (names.length === 0) throw new RangeError("fitScaler: no columns");
  const dayCount = columns[names[0]].length;
  const fromDay = args.fromDay ?? 0;
  const toDay = args.toDay ?? dayCount;
  const offset: Record<string, number> = {};
  const scale: Record<string, number> = {};
  for (const name of names) {
    const values = columns[name];
    if (!Number.isInteger(fromDay) || !Number.isInteger(toDay) || fromDay < 0 || toDay > values.length) {
      throw new RangeError(
        `fitScaler: range [${fromDay}, ${toDay}) is outside column ${name} (${values.length} days)`,
      );
    }
    if (toDay - fromDay < 1) throw new RangeError(`fitScaler: empty fitting range [${fromDay}, ${toDay})`);
    const stats = kind === "minMax"
      ? minMaxKernel(values, fromDay, toDay)
      : meanStdKernel(values, fromDay, toDay);
    if (stats.badDay >= 0) {
      throw new RangeError(`fitScaler: column ${name} at day ${stats.badDay} is ${values[stats.badDay]}`);
    }
    offset[name] = stats.offset;
    scale[name] = stats.scale > 0 ? stats.scale : 1;
  }
  const lookup = (name: string): [number, number] => {
    if (!(name in offset)) {
      throw new RangeError(`Scaler: unknown column ${name}; fitted columns are ${names.join(", ")}`);
    }
    return [offset[name], scale[name]];
  };
  return {
    kind,
    fromDay,
    toDay,
    offset,
    scale,
    transform(name, values) {
      const [shift, factor] = lookup(name);
      const result = new Float64Array(values.length);
      for (let index = 0; index < values.length; index++) result[index] = (values[index] - shift) / factor;
      return result;
    },
    inverse(name, values) {
      const [shift, factor] = lookup(name);
      const result = new Float64Array(values.length);
      for (let index = 0; index < values.length; index++) result[index] = values[index] * factor + shift;
      return result;
    },
  };
}

interface Stats {
  offset: number;
  scale: number;
  /** First non-finite day, or −1. */
  badDay: number;
}

function minMaxKernel(values: ArrayLike<number>, fromDay: number, toDay: number): Stats {
  let low = Infinity;
  let high = -Infinity;
  for (let day = fromDay; day < toDay; day++) {
    const value = values[day];
    if (!Number.isFinite(value)) return { offset: NaN, scale: NaN, badDay: day };
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { offset: low, scale: high - low, badDay: -1 };
}

function meanStdKernel(values: ArrayLike<number>, fromDay: number, toDay: number): Stats {
  let sum = 0;
  for (let day = fromDay; day < toDay; day++) {
    const value = values[day];
    if (!Number.isFinite(value)) return { offset: NaN, scale: NaN, badDay: day };
    sum += value;
  }
  const mean = sum / (toDay - fromDay);
  let squares = 0;
  for (let day = fromDay; day < toDay; day++) squares += (values[day] - mean) ** 2;
  return { offset: mean, scale: Math.sqrt(squares / (toDay - fromDay)), badDay: -1 };
}
