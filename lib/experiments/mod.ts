/**
 * Experiment runners behind the notebooks: each runs one configuration over several seeds, beside
 * naive baselines, and writes a JSON result under `out/results/`.
 *
 * Layer 5 of the flow in lib/README.md: imports every folder below it.
 *
 * @example
 * ```ts
 * import { PAPER_REPORTED, paperConfigs, paperSettings } from "./mod.ts";
 * const settings = paperSettings(true);
 * console.log(paperConfigs().length, PAPER_REPORTED[0].mape);
 * ```
 * @module
 */
export * from "./paper.ts";
export * from "./paper_reported.ts";
export * from "./hybrid_data.ts";
export * from "./hybrid.ts";
export * from "./hybrid_backtest.ts";
export * from "./hybrid_units.ts";
export * from "./hybrid_study.ts";
export * from "./hybrid_significance.ts";
export * from "./hybrid_test_period.ts";
export * from "./paper_data.ts";
export * from "./paper_sweep.ts";
export * from "./paper_units.ts";
export * from "./store_location.ts";
export * from "./paper_significance.ts";
export * from "./results_readme.ts";
export * from "./paper_tables.ts";
export * from "./return_correlation.ts";
export * from "./equinet.ts";
export * from "./equinet_configs.ts";
export * from "./equinet_reported.ts";
export * from "./equinet_published_table.ts";
export * from "./equinet_units.ts";
export * from "./equinet_significance.ts";
export * from "./equinet_release.ts";
export * from "./equinet_corrected_tables.ts";
