/**
 * The seed's volatility circuit breaker: when the annualised volatility of recent returns is above
 * a threshold and rising, halve the signal.
 *
 * Porting note: as in the seed, volatility is the population standard deviation (numpy's default)
 * of the last `windowDays` returns times √252, and "rising" means higher than the previous day's
 * value (the seed compares with the previous call). The seed never says which returns; pass the
 * market's (index) returns for market stress, or a stock's own.
 *
 * @module
 */

/**
 * Annualised rolling volatility: population std of `returns[t − windowDays + 1 .. t]` × √252 at day t
 * (uses returns up to day t only); NaN until the window is full or when it holds a NaN.
 *
 * @example
 * ```ts
 * import { rollingAnnualisedVolatility } from "./volatility_breaker.ts";
 * rollingAnnualisedVolatility([0.01, -0.01, 0.01], 2); // [NaN, 0.01 × √252, 0.01 × √252]
 * ```
 */
export function rollingAnnualisedVolatility(returns: ArrayLike<number>, windowDays = 20): Float64Array {
  if (!Number.isInteger(windowDays) || windowDays < 2) {
    throw new RangeError(`windowDays must be an integer ≥ 2, got ${windowDays}`);
  }
  const out = new Float64Array(returns.length).fill(NaN);
  // O(n × window): windows are short, and a running sum would drift over long series
  for (let day = windowDays - 1; day < returns.length; day++) {
    let sum = 0;
    for (let offset = 0; offset < windowDays; offset++) sum += returns[day - offset];
    const mean = sum / windowDays;
    let squares = 0;
    for (let offset = 0; offset < windowDays; offset++) squares += (returns[day - offset] - mean) ** 2;
    out[day] = Math.sqrt(squares / windowDays) * Math.sqrt(252);
  }
  return out;
}

/** Options of {@link volatilityBreaker}. */
export interface VolatilityBreakerArgs {
  /** Window of returns, days. Default 20. */
  windowDays?: number;
  /** Annualised volatility above which the breaker may trip. Default 0.2. */
  threshold?: number;
  /** Multiplier applied to the signal while tripped. Default 0.5. */
  scale?: number;
  /** Apply the rule (B) or always multiply by 1 (A). Default true. */
  enabled?: boolean;
}

/** Result of {@link volatilityBreaker}. */
export interface VolatilityBreakerResult {
  /** Rolling annualised volatility per day. */
  volatility: Float64Array;
  /** 1 where the breaker tripped (volatility > threshold and above the previous day's). */
  tripped: Uint8Array;
  /** Signal multiplier per day: `scale` where tripped, else 1. */
  multiplier: Float64Array;
}

/**
 * Evaluates the breaker on every day.
 *
 * @example
 * ```ts
 * import { applySignalMultiplier, volatilityBreaker } from "./volatility_breaker.ts";
 * const marketReturns = new Float64Array(40).map((_, day) => (day % 2 ? 0.03 : -0.03) * (day / 20));
 * const breaker = volatilityBreaker(marketReturns, { windowDays: 20 });
 * const signal = applySignalMultiplier(new Float64Array(40).fill(0.01), breaker.multiplier);
 * ```
 */
export function volatilityBreaker(
  returns: ArrayLike<number>,
  args: VolatilityBreakerArgs = {},
): VolatilityBreakerResult {
  const threshold = args.threshold ?? 0.2;
  const scale = args.scale ?? 0.5;
  const enabled = args.enabled ?? true;
  const volatility = rollingAnnualisedVolatility(returns, args.windowDays ?? 20);
  const tripped = new Uint8Array(returns.length);
  const multiplier = new Float64Array(returns.length).fill(1);
  for (let day = 1; day < returns.length; day++) {
    if (volatility[day] > threshold && volatility[day] > volatility[day - 1]) {
      tripped[day] = 1;
      if (enabled) multiplier[day] = scale;
    }
  }
  return { volatility, tripped, multiplier };
}

/**
 * `signal[t] × multiplier[t]` (same length).
 *
 * @example
 * ```ts
 * import { applySignalMultiplier } from "./volatility_breaker.ts";
 * applySignalMultiplier([0.02, 0.04], [1, 0.5]); // Float64Array [0.02, 0.02]
 * ```
 */
export function applySignalMultiplier(
  signal: ArrayLike<number>,
  multiplier: ArrayLike<number>,
): Float64Array {
  if (signal.length !== multiplier.length) {
    throw new RangeError(
      `applySignalMultiplier: ${signal.length} signals vs ${multiplier.length} multipliers`,
    );
  }
  return Float64Array.from(signal, (value, day) => value * multiplier[day]);
}
