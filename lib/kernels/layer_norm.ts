/**
 * Layer normalisation over the last axis of a 2-D tensor, with a hand-written gradient.
 */
import { tf } from "../backend/mod.ts";

/**
 * `(x − mean) / sqrt(variance + epsilon) · gamma + beta`, row by row, for `x` `[rows, width]` and
 * `gamma`, `beta` `[width]` (the biased variance, as PyTorch's `nn.LayerNorm`).
 *
 * Perf note: autodiff through `tf.moments` records ~15 kernels and their gradients; this op runs 8
 * forward and 10 backward kernels using the closed form, with x̂ the normalised input and
 * g = dy · gamma: dx = (g − mean(g) − x̂ · mean(g · x̂)) / sqrt(variance + epsilon),
 * dGamma = Σ_rows dy · x̂, dBeta = Σ_rows dy.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { layerNorm } from "./layer_norm.ts";
 * const y = layerNorm(tf.tensor2d([[1, 2, 3]]), tf.ones([3]), tf.zeros([3])); // ≈ [[-1.22, 0, 1.22]]
 * ```
 */
export function layerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor2D {
  if (x.rank !== 2 || gamma.rank !== 1 || beta.rank !== 1) {
    throw new Error(
      `layerNorm: expected x [rows, width], gamma and beta [width], got ${
        JSON.stringify([x.shape, gamma.shape, beta.shape])
      }`,
    );
  }
  if (gamma.shape[0] !== x.shape[1] || beta.shape[0] !== x.shape[1]) {
    throw new Error(
      `layerNorm: gamma ${JSON.stringify(gamma.shape)} and beta ${
        JSON.stringify(beta.shape)
      } must match the width of x ${JSON.stringify(x.shape)}`,
    );
  }
  if (!(epsilon > 0)) throw new RangeError(`layerNorm: epsilon must be > 0, got ${epsilon}`);
  const op = tf.customGrad<tf.Tensor>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const centred = tf.sub(input, tf.mean(input, 1, true));
    const inverseDeviation = tf.rsqrt(tf.add(tf.mean(tf.square(centred), 1, true), epsilon));
    const normalised = tf.mul(centred, inverseDeviation);
    save([normalised, inverseDeviation, scale]);
    return {
      value: tf.add(tf.mul(normalised, scale), offset),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedNormalised, savedInverse, savedScale] = saved;
        const g = tf.mul(dy, savedScale);
        const projection = tf.mul(savedNormalised, tf.mean(tf.mul(g, savedNormalised), 1, true));
        const dx = tf.mul(tf.sub(tf.sub(g, tf.mean(g, 1, true)), projection), savedInverse);
        return [dx, tf.sum(tf.mul(dy, savedNormalised), 0), tf.sum(dy, 0)];
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}
