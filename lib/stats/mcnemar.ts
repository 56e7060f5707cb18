/**
 * McNemar's exact test: does a model get right the windows a baseline gets wrong more often than the
 * reverse, on the very same windows?
 */
import { binomialCdf, binomialSurvival } from "./binomial_test.ts";

/** The result of {@link mcnemarTest}. */
export interface McNemarResult {
  /** Windows both get right. */
  bothCorrect: number;
  /** Windows only the model gets right (discordant). */
  modelOnly: number;
  /** Windows only the baseline gets right (discordant). */
  baselineOnly: number;
  /** Windows both get wrong. */
  bothWrong: number;
  /** The exact statistic: min(modelOnly, baselineOnly). */
  statistic: number;
  /**
   * Two-sided exact p: 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), capped at 1 (as statsmodels'
   * `mcnemar(..., exact=True)`); 1 without discordant pairs.
   */
  pValue: number;
  /** One-sided p of "the model is right more often": P(X ≥ modelOnly), X ~ Binomial(b + c, ½). */
  pValueModelBetter: number;
}

/**
 * McNemar's exact test from the two discordant counts (only they carry information).
 *
 * @example
 * ```ts
 * import { mcnemarFromCounts } from "./mcnemar.ts";
 * mcnemarFromCounts(8, 2).pValue; // 0.109375 = 2 × 56 / 1024
 * mcnemarFromCounts(0, 0).pValue; // 1
 * ```
 */
export function mcnemarFromCounts(modelOnly: number, baselineOnly: number, concordant: {
  bothCorrect?: number;
  bothWrong?: number;
} = {}): McNemarResult {
  for (const [name, value] of [["modelOnly", modelOnly], ["baselineOnly", baselineOnly]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`mcnemar: ${name} must be an integer ≥ 0, got ${value}`);
    }
  }
  const discordant = modelOnly + baselineOnly;
  const statistic = Math.min(modelOnly, baselineOnly);
  return {
    bothCorrect: concordant.bothCorrect ?? NaN,
    modelOnly,
    baselineOnly,
    bothWrong: concordant.bothWrong ?? NaN,
    statistic,
    pValue: discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(statistic, discordant, 0.5)),
    pValueModelBetter: discordant === 0 ? 1 : binomialSurvival(modelOnly - 1, discordant, 0.5),
  };
}

/**
 * McNemar's exact test of a model against a baseline scored on the same windows: `modelCorrect[i]`
 * and `baselineCorrect[i]` say whether each got window i right (booleans, or 1/0).
 *
 * @example
 * ```ts
 * import { mcnemarTest } from "./mcnemar.ts";
 * const result = mcnemarTest([true, true, false, true], [true, false, false, false]);
 * result.modelOnly; // 2
 * result.pValue; // 0.5
 * ```
 */
export function mcnemarTest(
  modelCorrect: ArrayLike<boolean | number>,
  baselineCorrect: ArrayLike<boolean | number>,
): McNemarResult {
  if (modelCorrect.length !== baselineCorrect.length) {
    throw new RangeError(
      `mcnemarTest: ${modelCorrect.length} model windows vs ${baselineCorrect.length} baseline windows`,
    );
  }
  let bothCorrect = 0, modelOnly = 0, baselineOnly = 0, bothWrong = 0;
  for (let index = 0; index < modelCorrect.length; index++) {
    const model = Boolean(modelCorrect[index]), baseline = Boolean(baselineCorrect[index]);
    if (model && baseline) bothCorrect++;
    else if (model) modelOnly++;
    else if (baseline) baselineOnly++;
    else bothWrong++;
  }
  return mcnemarFromCounts(modelOnly, baselineOnly, { bothCorrect, bothWrong });
}
