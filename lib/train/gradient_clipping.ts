/** Gradient clipping by global norm. */
import { tf } from "../backend/mod.ts";

/**
 * Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the norm of all of them
 * together (as PyTorch's `clip_grad_norm_`). Returns new tensors and the norm before clipping.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { clipByGlobalNorm } from "./gradient_clipping.ts";
 * const { gradients, norm } = clipByGlobalNorm(new Map([["a", tf.tensor1d([3, 4])]]), 1); // norm 5
 * ```
 */
export function clipByGlobalNorm(
  gradients: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { gradients: Map<string, tf.Tensor>; norm: number } {
  if (!(maxNorm > 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const gradient of gradients.values()) total = tf.add(total, tf.sum(tf.square(gradient)));
    return tf.sqrt(total);
  });
  const value = norm.dataSync()[0];
  norm.dispose();
  const coefficient = Math.min(1, maxNorm / (value + 1e-6));
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, gradient] of gradients) {
    clipped.set(name, coefficient < 1 ? tf.mul(gradient, coefficient) : gradient.clone());
  }
  return { gradients: clipped, norm: value };
}
