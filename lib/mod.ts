/**
 * EquiLab: shared, tested modules behind the notebooks.
 *
 * Data flows one way: load → validate → features/windows → model → metrics → report.
 * Each concept has a folder with its own `mod.ts`; import the folder you need, e.g.
 * `import { createRandom } from "../lib/random/mod.ts"`.
 *
 * @module
 */
export * as random from "./random/mod.ts";
export * as backend from "./backend/mod.ts";
export * as synthetic from "./synthetic/mod.ts";
export * as data from "./data/mod.ts";
export * as io from "./io/mod.ts";
export * as features from "./features/mod.ts";
export * as kernels from "./kernels/mod.ts";
export * as parallel from "./parallel/mod.ts";
export * as models from "./models/mod.ts";
export * as train from "./train/mod.ts";
export * as evaluation from "./eval/mod.ts";
export * as stats from "./stats/mod.ts";
export * as tune from "./tune/mod.ts";
export * as risk from "./risk/mod.ts";
export * as experiments from "./experiments/mod.ts";
export * as report from "./report/mod.ts";
