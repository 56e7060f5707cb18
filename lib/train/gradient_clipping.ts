/** Gradient clipping by global norm. */
import { tf } from "../backend/mod.ts";

/**
 * Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the norm of all of them
 * together (as PyTorch's `clip_grad_norm_`). Returns new tensors and the norm before clipping as
 * a scalar tensor (the caller reads it, e.g. with `await norm.data()`, and disposes it). Nothing
 * is read back synchronously, so this also runs on the webgpu backend.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { clipByGlobalNorm } from "./gradient_clipping.ts";
 * const { gradients, norm } = clipByGlobalNorm(new Map([["a", tf.tensor1d([3, 4])]]), 1);
 * (await norm.data())[0]; // 5
 * ```
 */
export function clipByGlobalNorm(
  gradients: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { gradients: Map<string, tf.Tensor>; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const gradient of gradients.values()) total = tf.add(total, tf.sum(tf.square(gradient)));
    return tf.sqrt(total) as tf.Scalar;
  });
  const clipped = new Map<string, tf.Tensor>();
  tf.tidy(() => {
    // x · 1 is exact in floating point, so unclipped gradients are unchanged bit for bit.
    const coefficient = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    for (const [name, gradient] of gradients) clipped.set(name, tf.keep(tf.mul(gradient, coefficient)));
  });
  return { gradients: clipped, norm };
}
