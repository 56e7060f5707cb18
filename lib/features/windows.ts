/**
 * Sliding windows of daily features for sequence models, with the target day of each window.
 */

/**
 * Which day a window's target belongs to.
 * - `"sameDay"` (the LSTM paper, as published): inputs are days t−w+1..t, **including day t's own
 *   features**, and the target is day t's value. With open/high/low/pct change of day t among the
 *   inputs this is a same-day fit, not a forecast.
 * - `"nextDay"` (the honest twin): inputs are days t−w+1..t and the target is day t+1's value, which
 *   no input has seen.
 */
export type WindowAlignment = "sameDay" | "nextDay";

/** Options of {@link buildWindows}. */
export interface WindowArgs {
  /** Days per window (time steps fed to the model). Required, integer ≥ 1. */
  windowDays: number;
  /** Same-day fit or next-day forecast, see {@link WindowAlignment}. Required. */
  alignment: WindowAlignment;
  /** First target day (index into the columns) to build a window for. Default: the first possible. */
  firstTargetDay?: number;
  /** Last target day (inclusive). Default: the last possible. No window reads a day after its target. */
  lastTargetDay?: number;
  /** Feature names, for error messages. Default `feature 0`, `feature 1`, … */
  featureNames?: readonly string[];
}

/** Windows in one flat buffer, ready for `tf.tensor3d(inputs, [count, windowDays, featureCount])`. */
export interface Windows {
  /** Row-major [count][windowDays][featureCount]; step windowDays − 1 is the latest day. */
  inputs: Float32Array;
  /** Target of each window (the `target` series at its target day). */
  targets: Float64Array;
  /** Target value on the day before each target day (NaN for day 0): the persistence forecast. */
  previousTargets: Float64Array;
  /** Index of each window's target day. */
  targetDays: Int32Array;
  /** Index of each window's latest input day (= target day for sameDay, target day − 1 for nextDay). */
  lastInputDays: Int32Array;
  /** Number of windows. */
  count: number;
  /** Days per window. */
  windowDays: number;
  /** Features per day. */
  featureCount: number;
  /** The alignment the windows were built with. */
  alignment: WindowAlignment;
}

/**
 * Builds one window per target day. Window k holds `features[f][d]` for the `windowDays` days ending
 * at `lastInputDays[k]`, and `targets[k] = target[targetDays[k]]`. A non-finite feature inside a
 * window or a non-finite target is an error naming the feature and day; days no window reads may
 * hold anything.
 *
 * @param features one column per feature, all as long as `target` (already scaled as you wish).
 * @param target the series to predict, e.g. (scaled) closes.
 * @example
 * ```ts
 * import { buildWindows } from "./windows.ts";
 * const open = [1, 2, 3, 4], close = [1.5, 2.5, 3.5, 4.5];
 * const sameDay = buildWindows([open], close, { windowDays: 2, alignment: "sameDay" });
 * // sameDay.count === 3; window 0 = open[0..1] → close[1]
 * const nextDay = buildWindows([open, close], close, { windowDays: 2, alignment: "nextDay" });
 * // nextDay.count === 2; window 0 = days 0..1 → close[2]
 * ```
 */
export function buildWindows(
  features: readonly ArrayLike<number>[],
  target: ArrayLike<number>,
  args: WindowArgs,
): Windows {
  const { windowDays, alignment } = args;
  if (!Number.isInteger(windowDays) || windowDays < 1) {
    throw new RangeError(`buildWindows: windowDays must be an integer ≥ 1, got ${windowDays}`);
  }
  if (alignment !== "sameDay" && alignment !== "nextDay") {
    throw new RangeError(`buildWindows: alignment must be "sameDay" or "nextDay", got ${alignment}`);
  }
  if (features.length === 0) throw new RangeError("buildWindows: needs at least one feature column");
  const dayCount = target.length;
  features.forEach((column, index) => {
    if (column.length !== dayCount) {
      throw new RangeError(
        `buildWindows: ${featureName(args, index)} has ${column.length} days but the target has ${dayCount}`,
      );
    }
  });
  const lag = alignment === "sameDay" ? 0 : 1;
  const earliest = windowDays - 1 + lag;
  const firstTargetDay = args.firstTargetDay ?? earliest;
  const lastTargetDay = args.lastTargetDay ?? dayCount - 1;
  if (!Number.isInteger(firstTargetDay) || firstTargetDay < earliest) {
    throw new RangeError(
      `buildWindows: firstTargetDay ${firstTargetDay} is before the first day with a full window (${earliest})`,
    );
  }
  if (!Number.isInteger(lastTargetDay) || lastTargetDay > dayCount - 1) {
    throw new RangeError(
      `buildWindows: lastTargetDay ${lastTargetDay} is past the last day (${dayCount - 1})`,
    );
  }
  const count = Math.max(0, lastTargetDay - firstTargetDay + 1);
  const featureCount = features.length;
  const inputs = new Float32Array(count * windowDays * featureCount);
  const targets = new Float64Array(count);
  const previousTargets = new Float64Array(count);
  const targetDays = new Int32Array(count);
  const lastInputDays = new Int32Array(count);
  // Perf note: hot loop over count × windowDays × featureCount; plain indexed typed-array writes.
  for (let windowIndex = 0; windowIndex < count; windowIndex++) {
    const targetDay = firstTargetDay + windowIndex;
    const lastInputDay = targetDay - lag;
    const firstInputDay = lastInputDay - windowDays + 1;
    const value = target[targetDay];
    if (!Number.isFinite(value)) {
      throw new RangeError(`buildWindows: target at day ${targetDay} is ${value}`);
    }
    targets[windowIndex] = value;
    previousTargets[windowIndex] = targetDay > 0 ? target[targetDay - 1] : NaN;
    targetDays[windowIndex] = targetDay;
    lastInputDays[windowIndex] = lastInputDay;
    let offset = windowIndex * windowDays * featureCount;
    for (let day = firstInputDay; day <= lastInputDay; day++) {
      for (let feature = 0; feature < featureCount; feature++) {
        const featureValue = features[feature][day];
        if (!Number.isFinite(featureValue)) {
          throw new RangeError(
            `buildWindows: ${
              featureName(args, feature)
            } at day ${day} is ${featureValue} (window for target day ${targetDay})`,
          );
        }
        inputs[offset++] = featureValue;
      }
    }
  }
  return {
    inputs,
    targets,
    previousTargets,
    targetDays,
    lastInputDays,
    count,
    windowDays,
    featureCount,
    alignment,
  };
}

/**
 * The windows whose target day lies in [fromDay, toDay) — e.g. one chronological segment.
 *
 * @example
 * ```ts
 * import { buildWindows, selectWindows } from "./windows.ts";
 * const all = buildWindows([[1, 2, 3, 4, 5]], [1, 2, 3, 4, 5], { windowDays: 2, alignment: "sameDay" });
 * const late = selectWindows(all, 3, 5); // target days 3 and 4
 * ```
 */
export function selectWindows(windows: Windows, fromDay: number, toDay: number): Windows {
  let first = 0;
  while (first < windows.count && windows.targetDays[first] < fromDay) first++;
  let end = first;
  while (end < windows.count && windows.targetDays[end] < toDay) end++;
  const stride = windows.windowDays * windows.featureCount;
  return {
    ...windows,
    inputs: windows.inputs.slice(first * stride, end * stride),
    targets: windows.targets.slice(first, end),
    previousTargets: windows.previousTargets.slice(first, end),
    targetDays: windows.targetDays.slice(first, end),
    lastInputDays: windows.lastInputDays.slice(first, end),
    count: end - first,
  };
}

function featureName(args: WindowArgs, index: number): string {
  return args.featureNames?.[index] ?? `feature ${index}`;
}
