/**
 * `deno task bench`'s pieces: workloads, option parsing, timing summaries, the result JSON and its
 * table / README renderings. The CLI is `tests/bench/speed.ts`.
 *
 * @example
 * ```ts
 * import { median, MODEL_WORKLOADS } from "./mod.ts";
 * median([0.3, 0.1, 0.2]); // 0.2
 * MODEL_WORKLOADS.length; // 5
 * ```
 * @module
 */
export * from "./args.ts";
export * from "./format.ts";
export * from "./result.ts";
export * from "./summary.ts";
export * from "./workloads.ts";
