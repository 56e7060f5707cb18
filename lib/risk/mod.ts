/**
 * Risk rules from the hybrid design: the earnings-season feature boost and the volatility circuit
 * breaker, each with an A/B switch.
 *
 * Layer 0 of the flow in lib/README.md: imports no other lib folder.
 *
 * @example
 * ```ts
 * import { applySignalMultiplier, volatilityBreaker } from "./mod.ts";
 * const returns = new Float64Array(30).map((_, day) => (day % 2 ? 0.02 : -0.02));
 * const adjusted = applySignalMultiplier(new Float64Array(30).fill(0.01), volatilityBreaker(returns).multiplier);
 * ```
 * @module
 */
export * from "./earnings_season.ts";
export * from "./volatility_breaker.ts";
