/**
 * Per-window normalisation by the window's own last value: leak-free by construction, since each
 * window only uses its own past.
 */
import type { Windows } from "./windows.ts";

/** Options of {@link relativeToLastValue}. */
export interface RelativeWindowArgs {
  /** Feature indices to express relative to the reference (e.g. open, high, low, close). Required. */
  features: readonly number[];
  /** Feature index of the reference (e.g. close); its value on the window's last day is the divisor. Required. */
  referenceFeature: number;
}

/** Windows whose prices and target are relative to each window's last reference value. */
export interface RelativeWindows {
  /** The transformed windows: listed features become value / reference − 1; targets become target / reference − 1. */
  windows: Windows;
  /** Each window's reference value (real price), to turn predicted returns back into prices. */
  reference: Float64Array;
}

/**
 * Divides the listed features of every window, and its target, by the reference feature's value on the
 * window's last day, minus 1. For next-day windows over real closes the target becomes the next-day
 * return close[t+1] / close[t] − 1, computed from real prices; a prediction r̂ maps back to the price
 * reference × (1 + r̂) with {@link fromRelative}. Other features are left as they are.
 *
 * @example
 * ```ts
 * import { buildWindows, relativeToLastValue } from "./mod.ts";
 * const close = [100, 102, 101, 103];
 * const windows = buildWindows([close], close, { windowDays: 2, alignment: "nextDay" });
 * const relative = relativeToLastValue(windows, { features: [0], referenceFeature: 0 });
 * // window 0: [100/102 − 1, 0] → target 101/102 − 1; relative.reference[0] = 102
 * ```
 */
export function relativeToLastValue(windows: Windows, args: RelativeWindowArgs): RelativeWindows {
  const { windowDays, featureCount, count } = windows;
  const { referenceFeature, features } = args;
  for (const feature of [referenceFeature, ...features]) {
    if (!Number.isInteger(feature) || feature < 0 || feature >= featureCount) {
      throw new RangeError(`relativeToLastValue: feature index ${feature} is outside 0..${featureCount - 1}`);
    }
  }
  const inputs = windows.inputs.slice();
  const targets = new Float64Array(count);
  const previousTargets = new Float64Array(count);
  const reference = new Float64Array(count);
  const stride = windowDays * featureCount;
  for (let index = 0; index < count; index++) {
    const base = index * stride;
    const divisor = windows.inputs[base + (windowDays - 1) * featureCount + referenceFeature];
    if (!(divisor > 0) || !Number.isFinite(divisor)) {
      throw new RangeError(
        `relativeToLastValue: reference of the window for target day ${
          windows.targetDays[index]
        } is ${divisor}; needs a real price > 0`,
      );
    }
    reference[index] = divisor;
    for (let day = 0; day < windowDays; day++) {
      for (const feature of features) {
        const at = base + day * featureCount + feature;
        inputs[at] = windows.inputs[at] / divisor - 1;
      }
    }
    targets[index] = windows.targets[index] / divisor - 1;
    previousTargets[index] = windows.previousTargets[index] / divisor - 1;
  }
  return { windows: { ...windows, inputs, targets, previousTargets }, reference };
}

/**
 * Maps relative predictions back to prices: reference × (1 + relative).
 *
 * @example
 * ```ts
 * import { fromRelative } from "./window_relative.ts";
 * fromRelative([0.01, -0.02], [100, 50]); // Float64Array [101, 49]
 * ```
 */
export function fromRelative(relative: ArrayLike<number>, reference: ArrayLike<number>): Float64Array {
  if (relative.length !== reference.length) {
    throw new RangeError(`fromRelative: ${relative.length} values but ${reference.length} references`);
  }
  return Float64Array.from(relative, (value, index) => reference[index] * (1 + value));
}
