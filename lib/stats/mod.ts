/**
 * Significance tests beside every comparison with a baseline, and the distributions behind them (normal,
 * Student t, incomplete beta), written here and tested against SciPy.
 *
 * @example
 * ```ts
 * import { normalQuantile } from "./mod.ts";
 * normalQuantile(0.975); // 1.959963984540054
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
