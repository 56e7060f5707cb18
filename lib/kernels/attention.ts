/**
 * Multi-head scaled dot-product attention (scores, softmax, dropout, weighted sum) as one op with
 * a hand-written gradient.
 */
import { tf } from "../backend/mod.ts";
import { batchMatMul } from "./batch_mat_mul.ts";

/** Options of {@link multiHeadAttention}. */
export interface MultiHeadAttentionArgs {
  /** Attention heads; must divide the model width. Required. */
  heads: number;
  /**
   * Added to the scaled scores before the softmax, broadcastable to `[batch, heads, steps, steps]`
   * (e.g. −1e9 on padded keys). Not differentiated. Default none.
   */
  bias?: tf.Tensor;
  /**
   * Multiplies the attention weights after the softmax (a dropout mask from `dropoutMask`),
   * `[batch, heads, steps, steps]`. Not differentiated. Default none (no dropout).
   */
  dropoutMultiplier?: tf.Tensor;
}

/**
 * Multi-head attention of projected queries, keys and values, each `[batch, steps, width]`; head h
 * uses columns h·d … (h+1)·d − 1, d = width / heads. Returns the heads' contexts side by side,
 * `[batch, steps, width]`: context_h = (softmax(q_h k_hᵀ / √d + bias) ⊙ dropoutMultiplier) v_h.
 *
 * Perf note: op by op, every per-head product is a tfjs BatchMatMul with batch > 1, which the wasm
 * backend runs on a scalar loop (~2 GFLOP/s here), forward and in its gradient. This op splits the
 * heads once per input (one 4-D transpose each), keeps the softmax output for the backward pass,
 * uses the closed-form softmax gradient dS = P ⊙ (dP − Σ_keys dP ⊙ P), and sends the six per-head
 * products through `batchMatMul`, a WebAssembly SIMD kernel on the wasm backend (~8-20 GFLOP/s
 * here). Its right operand is never transposed, so keys are split straight into [depth × steps]
 * blocks and the backward pass transposes only the small [steps × depth] blocks of keys and values
 * (never a [steps × steps] one).
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { multiHeadAttention } from "./attention.ts";
 * const x = tf.randomNormal([2, 5, 8]) as tf.Tensor3D;
 * const context = multiHeadAttention(x, x, x, { heads: 2 }); // [2, 5, 8]
 * ```
 */
export function multiHeadAttention(
  query: tf.Tensor3D,
  key: tf.Tensor3D,
  value: tf.Tensor3D,
  args: MultiHeadAttentionArgs,
): tf.Tensor3D {
  const { heads, bias, dropoutMultiplier } = args;
  for (const [name, tensor] of [["query", query], ["key", key], ["value", value]] as const) {
    if (tensor.rank !== 3 || tensor.shape.join() !== query.shape.join()) {
      throw new Error(
        `multiHeadAttention: ${name} must be [batch, steps, width] like query ${
          JSON.stringify(query.shape)
        }, got ${JSON.stringify(tensor.shape)}`,
      );
    }
  }
  const [batch, steps, width] = query.shape;
  if (!Number.isInteger(heads) || heads < 1 || width % heads !== 0) {
    throw new RangeError(`multiHeadAttention: heads ${heads} must be a positive divisor of width ${width}`);
  }
  const depth = width / heads;
  const blocks = batch * heads;
  const scoreShape = [batch, heads, steps, steps];
  if (dropoutMultiplier && dropoutMultiplier.shape.join() !== scoreShape.join()) {
    throw new Error(
      `multiHeadAttention: dropoutMultiplier must be ${JSON.stringify(scoreShape)}, got ${
        JSON.stringify(dropoutMultiplier.shape)
      }`,
    );
  }
  const scale = 1 / Math.sqrt(depth);
  /** [batch, steps, width] → [batch · heads, steps, depth] */
  const splitHeads = (t: tf.Tensor) =>
    tf.transpose(t.reshape([batch, steps, heads, depth]), [0, 2, 1, 3])
      .reshape([blocks, steps, depth]) as tf.Tensor3D;
  /** [batch · heads, steps, depth] → [batch, steps, width] */
  const mergeHeads = (t: tf.Tensor) =>
    tf.transpose(t.reshape([batch, heads, steps, depth]), [0, 2, 1, 3]).reshape([batch, steps, width]);
  const op = tf.customGrad<tf.Tensor>((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [queryInput, keyInput, valueInput] = inputs as tf.Tensor3D[];
    const save = inputs[3] as tf.GradSaveFunc;
    const scaledQuery = splitHeads(tf.mul(queryInput, scale));
    const keysT = tf.transpose(keyInput.reshape([batch, steps, heads, depth]), [0, 2, 3, 1])
      .reshape([blocks, depth, steps]) as tf.Tensor3D;
    const values = splitHeads(valueInput);
    let scores: tf.Tensor = batchMatMul(scaledQuery, keysT);
    if (bias) scores = tf.add(scores.reshape(scoreShape), bias).reshape([blocks, steps, steps]);
    const probabilities = tf.softmax(scores);
    const multiplier = dropoutMultiplier?.reshape([blocks, steps, steps]);
    const weights = (multiplier ? tf.mul(probabilities, multiplier) : probabilities) as tf.Tensor3D;
    // The multiplier is saved too: tensors closed over would be freed before the backward pass.
    save([scaledQuery, keysT, values, probabilities, weights, ...(multiplier ? [multiplier] : [])]);
    return {
      value: mergeHeads(batchMatMul(weights, values)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedQuery, savedKeysT, savedValues, savedProbabilities, savedWeights, savedMultiplier] =
          saved as tf.Tensor3D[];
        const dContext = splitHeads(dy);
        // context = W V:  dW = dC Vᵀ;  dV = Wᵀ dC
        let dProbabilities: tf.Tensor = batchMatMul(dContext, tf.transpose(savedValues, [0, 2, 1]));
        const dValues = batchMatMul(savedWeights, dContext, true);
        if (savedMultiplier) dProbabilities = tf.mul(dProbabilities, savedMultiplier);
        // softmax: dS = P ⊙ (dP − Σ_keys dP ⊙ P)
        const dScores = tf.mul(
          savedProbabilities,
          tf.sub(dProbabilities, tf.sum(tf.mul(dProbabilities, savedProbabilities), 2, true)),
        ) as tf.Tensor3D;
        // scores = (scale·Q) Kᵀ:  dQ = scale · dS K;  dK = dSᵀ (scale·Q)
        const dQuery = tf.mul(batchMatMul(dScores, tf.transpose(savedKeysT, [0, 2, 1])), scale);
        const dKeys = batchMatMul(dScores, savedQuery, true);
        return [mergeHeads(dQuery), mergeHeads(dKeys), mergeHeads(dValues)];
      },
    };
  });
  return op(query, key, value) as tf.Tensor3D;
}
