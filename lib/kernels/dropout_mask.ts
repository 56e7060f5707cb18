/**
 * The multiplier tensor `tf.dropout` draws, for ops that apply dropout inside themselves.
 */
import { tf } from "../backend/mod.ts";

/**
 * Inverted-dropout multiplier of a shape: each entry is 1 / (1 − rate) with probability 1 − rate,
 * else 0. Drawn exactly as `tf.dropout(x, rate, undefined, seed)` draws it (same uniform stream, same
 * formula), so `x · dropoutMask(x.shape, rate, seed)` equals `tf.dropout(x, rate, undefined, seed)`
 * and a fused op gets the same masks as the op-by-op computation.
 *
 * @example
 * ```ts
 * import { dropoutMask } from "./dropout_mask.ts";
 * const mask = dropoutMask([2, 3], 0.5, 42); // entries 0 or 2
 * ```
 */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropoutMask: rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, "float32", seed), keep)), keep));
}
