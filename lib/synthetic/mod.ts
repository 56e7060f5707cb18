/**
 * Synthetic markets: seeded, realistic A-share daily bars (GARCH, fat tails, limits, suspensions)
 * and a pure random-walk universe (the leakage canary), writable in every supported file format.
 *
 * Layer 2 of the flow in lib/README.md: imports data, random.
 *
 * @example
 * ```ts
 * import { generateMarket, randomWalkMarket } from "./mod.ts";
 * const market = generateMarket({ seed: 1, stockCount: 5, days: 250 });
 * const canary = randomWalkMarket({ seed: 1, stockCount: 5, days: 250 });
 * ```
 * @module
 */
export * from "./calendar.ts";
export * from "./market.ts";
export * from "./gbk.ts";
export * from "./csv.ts";
export * from "./tdx.ts";
export * from "./equinet_xlsx.ts";
export * from "./write.ts";
