/**
 * Seeded random numbers: every random draw in EquiLab goes through here, so one seed gives
 * identical results run after run.
 *
 * Layer 0 of the flow in lib/README.md: imports no other lib folder.
 *
 * @example
 * ```ts
 * import { createRandom } from "./mod.ts";
 * const random = createRandom(42);
 * const u = random.uniform(); // in [0, 1)
 * const child = random.fork("dropout"); // an independent stream, itself deterministic
 * ```
 * @module
 */
export { PythonRandom } from "./python_random.ts";
export { createRandom, Random } from "./random.ts";
export type { RandomState } from "./random.ts";
