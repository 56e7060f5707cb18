/**
 * The multiplier tensor `tf.dropout` draws, for ops that apply dropout inside themselves.
 */
import { tensorFromScratch, tf } from "../backend/mod.ts";
import { aleaMask, aleaSeedState } from "./_alea_wasm.ts";

/**
 * Inverted-dropout multiplier of a shape: each entry is 1 / (1 − rate) with probability 1 − rate,
 * else 0. Drawn exactly as `tf.dropout(x, rate, undefined, seed)` draws it (same uniform stream, same
 * formula), so `x · dropoutMask(x.shape, rate, seed)` equals `tf.dropout(x, rate, undefined, seed)`
 * and a fused op gets the same masks as the op-by-op computation.
 *
 * Perf note: where WebAssembly runs, the draw and the formula run in one small module (`_alea_wasm.ts`)
 * that reproduces tfjs's uniform stream bit for bit (tested), ~1-2 ns per value instead of ~10 ns in
 * tfjs's JS generator (EquiNet d64 draws ~2.8M mask values per training step).
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
  const fill = aleaMask();
  if (fill) {
    const keep32 = Math.fround(keep);
    const size = shape.reduce((product, length) => product * length, 1);
    return tensorFromScratch(fill(size, aleaSeedState(String(seed)), keep32, Math.fround(1 / keep32)), shape);
  }
  return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, "float32", seed), keep)), keep));
}
