/**
 * The seed's earnings-season rule: on announcement days, scale the profitability features by 1.5.
 *
 * Porting note: the seed multiplies the first four input columns by 1.5 on "earnings days" taken
 * from a date set it never fills. We take the days from the point-in-time join
 * (`asOfJoin(...).announcementDay`: the first trading day a new report is usable) and offer the rule
 * as an A/B switch (`enabled`), since a fixed 1.5 gain on already standardised inputs is a heuristic
 * whose value must be measured, not assumed.
 *
 * @module
 */

/** Options of {@link earningsSeasonAdjust}. */
export interface EarningsSeasonArgs {
  /** Apply the rule (B) or return an unchanged copy (A). Default true. */
  enabled?: boolean;
  /** Indices of the profitability features to scale. Default [0, 1, 2, 3] (the seed's first four columns). */
  profitabilityFeatures?: readonly number[];
  /** Multiplier on announcement days. Default 1.5. */
  factor?: number;
  /** Days the scaling lasts from each announcement day (1 = that day only, the seed). Default 1. */
  holdDays?: number;
}

/**
 * Returns a copy of `features` (`[feature][day]`) with the profitability features multiplied by
 * `factor` on announcement days (`announcementDay[day]` = 1) and the `holdDays − 1` days after.
 *
 * @example
 * ```ts
 * import { earningsSeasonAdjust } from "./earnings_season.ts";
 * const out = earningsSeasonAdjust([[1, 1, 1], [2, 2, 2]], Uint8Array.of(0, 1, 0), { profitabilityFeatures: [0] });
 * out[0]; // Float64Array [1, 1.5, 1]; out[1] unchanged
 * ```
 */
export function earningsSeasonAdjust(
  features: readonly ArrayLike<number>[],
  announcementDay: ArrayLike<number>,
  args: EarningsSeasonArgs = {},
): Float64Array[] {
  const enabled = args.enabled ?? true;
  const chosen = args.profitabilityFeatures ?? [0, 1, 2, 3];
  const factor = args.factor ?? 1.5;
  const holdDays = args.holdDays ?? 1;
  if (!Number.isInteger(holdDays) || holdDays < 1) {
    throw new RangeError(`holdDays must be a positive integer, got ${holdDays}`);
  }
  const out = features.map((series, feature) => {
    if (series.length !== announcementDay.length) {
      throw new RangeError(
        `earningsSeasonAdjust: feature ${feature} has ${series.length} days, flags ${announcementDay.length}`,
      );
    }
    return Float64Array.from(series);
  });
  for (const feature of chosen) {
    if (!(feature >= 0 && feature < features.length)) {
      throw new RangeError(
        `earningsSeasonAdjust: feature index ${feature} outside 0..${features.length - 1}`,
      );
    }
  }
  if (!enabled) return out;
  let remaining = 0;
  for (let day = 0; day < announcementDay.length; day++) {
    if (announcementDay[day] === 1) remaining = holdDays;
    if (remaining > 0) {
      for (const feature of chosen) out[feature][day] *= factor;
      remaining--;
    }
  }
  return out;
}

/**
 * The seed's rule applied as written, to model inputs: when a sample's prediction day is an
 * announcement day, the profitability columns of its whole window (every time step) are multiplied
 * by `factor`. `windows` is `[sample][step][feature]` flattened (as `HybridWindows.fundamental`).
 *
 * Porting note: the seed multiplies the full input tensor by an adjustment matrix, so all time
 * steps of the window are scaled, not just the announcement day; {@link earningsSeasonAdjust} is the
 * per-day form. Both are offered; compare them with the switch off (`enabled: false`).
 *
 * @example
 * ```ts
 * import { earningsSeasonAdjustWindows } from "./earnings_season.ts";
 * // two samples, two steps, two features; sample 1 ends on an announcement day
 * const out = earningsSeasonAdjustWindows(Float32Array.of(1, 1, 1, 1, 1, 1, 1, 1), 2, 2, Uint8Array.of(0, 1), {
 *   profitabilityFeatures: [0],
 * });
 * // out = [1, 1, 1, 1, 1.5, 1, 1.5, 1]
 * ```
 */
export function earningsSeasonAdjustWindows(
  windows: Float32Array,
  windowDays: number,
  featureCount: number,
  isAnnouncementDay: ArrayLike<number>,
  args: EarningsSeasonArgs = {},
): Float32Array {
  const enabled = args.enabled ?? true;
  const chosen = args.profitabilityFeatures ?? [0, 1, 2, 3];
  const factor = args.factor ?? 1.5;
  const samples = isAnnouncementDay.length;
  if (windows.length !== samples * windowDays * featureCount) {
    throw new RangeError(
      `earningsSeasonAdjustWindows: ${windows.length} values for ${samples} × ${windowDays} × ${featureCount}`,
    );
  }
  for (const feature of chosen) {
    if (!(feature >= 0 && feature < featureCount)) {
      throw new RangeError(
        `earningsSeasonAdjustWindows: feature index ${feature} outside 0..${featureCount - 1}`,
      );
    }
  }
  const out = Float32Array.from(windows);
  if (!enabled) return out;
  for (let sample = 0; sample < samples; sample++) {
    if (isAnnouncementDay[sample] !== 1) continue;
    for (let step = 0; step < windowDays; step++) {
      const base = (sample * windowDays + step) * featureCount;
      for (const feature of chosen) out[base + feature] *= factor;
    }
  }
  return out;
}
