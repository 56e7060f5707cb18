/**
 * How often the old A/B rule — "better or worse when the change of means exceeds the larger seed std" —
 * declares a difference where there is none, by simulation (for notebook 06).
 */
import { createRandom } from "../random/mod.ts";
import { welchTest } from "./welch.ts";

/** Options of {@link seedRuleFalseVerdictRate}. */
export interface SeedRuleArgs {
  /** Seeds per arm (both arms alike), at least 2. Default 5. */
  seeds?: number;
  /** Simulated A/B comparisons. Default 20000. */
  trials?: number;
  /** Seed of the simulation stream (through `createRandom`). Default 0. */
  seed?: number;
  /** Level of the Welch test run beside the rule on the same draws. Default 0.05. */
  alpha?: number;
}

/** The result of {@link seedRuleFalseVerdictRate}. */
export interface SeedRuleRates {
  /** Seeds per arm. */
  seeds: number;
  /** Simulated comparisons. */
  trials: number;
  /** Share of comparisons where |mean(a) − mean(b)| > max(std(a), std(b)) (sample stds, n − 1). */
  oldRuleRate: number;
  /** Its Monte-Carlo standard error √(r(1 − r) / trials). */
  oldRuleStandardError: number;
  /** Share of the same comparisons where Welch's two-sided p ≤ alpha: at most about alpha (below it with 2–3 seeds). */
  welchRate: number;
  /** The Welch level used. */
  alpha: number;
}

/**
 * Simulates A/B comparisons with no real effect — both arms' per-seed metrics iid N(0, 1) — and counts
 * how often the old rule of `abVerdicts` ("a change counts only when it is larger than the larger seed
 * std") still calls one arm better or worse, beside Welch's test at `alpha` on the same draws. Seeded and
 * deterministic. With 5 seeds the rule errs about 10.5% of the time, with 3 about 21%, with 2 about 33%.
 *
 * @example
 * ```ts
 * import { seedRuleFalseVerdictRate } from "./seed_rule.ts";
 * const { oldRuleRate, welchRate } = seedRuleFalseVerdictRate({ seeds: 3, trials: 2000, seed: 1 });
 * // oldRuleRate ≈ 0.21, welchRate ≈ 0.035
 * ```
 */
export function seedRuleFalseVerdictRate(args: SeedRuleArgs = {}): SeedRuleRates {
  const seeds = args.seeds ?? 5, trials = args.trials ?? 20000, alpha = args.alpha ?? 0.05;
  if (!Number.isInteger(seeds) || seeds < 2) {
    throw new RangeError(`seedRuleFalseVerdictRate: seeds must be an integer ≥ 2, got ${seeds}`);
  }
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`seedRuleFalseVerdictRate: trials must be an integer ≥ 1, got ${trials}`);
  }
  const random = createRandom(args.seed ?? 0);
  const a = new Float64Array(seeds), b = new Float64Array(seeds);
  const std = (values: Float64Array, mean: number) => {
    let squares = 0;
    for (let index = 0; index < seeds; index++) squares += (values[index] - mean) ** 2;
    return Math.sqrt(squares / (seeds - 1));
  };
  let oldRule = 0, welch = 0;
  for (let trial = 0; trial < trials; trial++) {
    let meanA = 0, meanB = 0;
    for (let index = 0; index < seeds; index++) {
      a[index] = random.normal();
      meanA += a[index];
    }
    for (let index = 0; index < seeds; index++) {
      b[index] = random.normal();
      meanB += b[index];
    }
    meanA /= seeds;
    meanB /= seeds;
    if (Math.abs(meanA - meanB) > Math.max(std(a, meanA), std(b, meanB))) oldRule++;
    if (welchTest(a, b).pValue <= alpha) welch++;
  }
  const rate = oldRule / trials;
  return {
    seeds,
    trials,
    oldRuleRate: rate,
    oldRuleStandardError: Math.sqrt((rate * (1 - rate)) / trials),
    welchRate: welch / trials,
    alpha,
  };
}
