/**
 * The results store and its runner: full-settings experiments cut into units (one configuration ×
 * one seed…), each fingerprinted by what decides its numbers, computed by resumable worker processes
 * within a time budget, and kept as small JSON records under `out/results/` that are committed to git,
 * so compute accumulates across runs and machines and reports render from it in minutes.
 *
 * This layer knows nothing of the studies: `lib/experiments/units.ts` lists their units and
 * `deno task experiments` (lib/experiments/units_cli.ts) runs them.
 *
 * Layer 1 of the flow in lib/README.md: imports io.
 *
 * @example
 * ```ts
 * import { ResultsStore, unitFingerprint } from "./mod.ts";
 * const store = new ResultsStore(await Deno.makeTempDir());
 * const fingerprint = await unitFingerprint({ settings: { seed: 1 }, dataFiles: {}, numericsVersion: 1 });
 * ```
 * @module
 */
export * from "./unit.ts";
export * from "./fingerprint.ts";
export * from "./claim.ts";
export * from "./results_store.ts";
export * from "./execute_unit.ts";
export * from "./estimate.ts";
export * from "./runner.ts";
export * from "./cli.ts";
export * from "./compute_units.ts";
