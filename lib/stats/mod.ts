/**
 * Significance tests beside every comparison with a baseline: Diebold–Mariano with the HLN correction
 * (forecast losses), McNemar's exact test and the exact binomial test (right/wrong on the same windows),
 * the date-block bootstrap (any metric difference), Lo's Sharpe-ratio standard error, a paired Sharpe
 * bootstrap and the deflated Sharpe ratio, Holm's correction and Welch's t-test (per-seed metrics), and
 * the distributions behind them (normal, Student t, incomplete beta), written here and tested against
 * SciPy. Every random draw goes through `lib/random`.
 *
 * Layer 1 of the flow in lib/README.md: imports eval, random.
 *
 * @example
 * ```ts
 * import { binomialTest, dieboldMariano, holmAdjust, mcnemarFromCounts } from "./mod.ts";
 * const dm = dieboldMariano([10, 11, 12, 11, 13], [10.2, 10.9, 11.8, 11.3, 12.9], [9, 10, 11, 12, 11], {
 *   loss: "absolute-percentage",
 * });
 * const mcnemar = mcnemarFromCounts(30, 12);
 * const binomial = binomialTest(560, 1000);
 * const adjusted = holmAdjust([dm.pValue, mcnemar.pValue, binomial.pValue]);
 * ```
 * @module
 */
export * from "./incomplete_beta.ts";
export * from "./normal.ts";
export * from "./student_t.ts";
export * from "./moments.ts";
export * from "./binomial_test.ts";
export * from "./mcnemar.ts";
export * from "./diebold_mariano.ts";
export * from "./block_bootstrap.ts";
export * from "./sharpe_inference.ts";
export * from "./deflated_sharpe.ts";
export * from "./holm.ts";
export * from "./welch.ts";
export * from "./spearman.ts";
export * from "./seed_rule.ts";
export * from "./format_p_value.ts";
