/**
 * Multi-head scaled dot-product attention (scores, softmax, dropout, weighted sum) as one op with
 * a hand-written gradient.
 */
import { tf } from "../backend/mod.ts";
import { batchMatMul } from "./batch_mat_mul.ts";
import { nativeGemm, type NativeGemmArgs, nativeGemmAvailable } from "./_native_gemm.ts";

/** Options of {@link multiHeadAttention}. */
export interface MultiHeadAttentionArgs {
  /** Attention heads; must divide the model width. Required. */
  heads: number;
  /**
   * Added to the scaled scores before the softmax, broadcastable to `[batch, heads, steps, keySteps]`
   * (e.g. −1e9 on padded keys). Not differentiated. Default none.
   */
  bias?: tf.Tensor;
  /**
   * Multiplies the attention weights after the softmax (a dropout mask from `dropoutMask`),
   * `[batch, heads, steps, keySteps]`. Not differentiated. Default none (no dropout).
   */
  dropoutMultiplier?: tf.Tensor;
}

/**
 * Multi-head attention of projected queries `[batch, steps, width]` over keys and values
 * `[batch, keySteps, width]` (usually keySteps = steps; fewer queries, e.g. only the newest day,
 * when only their outputs are needed); head h uses columns h·d … (h+1)·d − 1, d = width / heads.
 * Returns the heads' contexts side by side, `[batch, steps, width]`:
 * context_h = (softmax(q_h k_hᵀ / √d + bias) ⊙ dropoutMultiplier) v_h.
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
 * With the system BLAS (`matmulPath().kind === "native"`, wasm or cpu backend) no head is split out at
 * all: each per-head product is a `cblas_sgemm` on the strided columns of the projected tensors
 * (leading dimension = width), with transposes and the 1/√d scale as flags, and contexts and input
 * gradients are written straight into their heads' columns.
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
  const [batch, steps, width] = query.shape;
  const keySteps = key.shape[1];
  if (query.rank !== 3) {
    throw new Error(
      `multiHeadAttention: query must be [batch, steps, width], got ${JSON.stringify(query.shape)}`,
    );
  }
  for (const [name, tensor] of [["key", key], ["value", value]] as const) {
    if (
      tensor.rank !== 3 || tensor.shape[0] !== batch || tensor.shape[2] !== width ||
      tensor.shape[1] !== keySteps
    ) {
      throw new Error(
        `multiHeadAttention: ${name} must be [batch, keySteps, width] like key ${
          JSON.stringify(key.shape)
        } ` +
          `with the query's batch and width ${JSON.stringify(query.shape)}, got ${
            JSON.stringify(tensor.shape)
          }`,
      );
    }
  }
  if (!Number.isInteger(heads) || heads < 1 || width % heads !== 0) {
    throw new RangeError(`multiHeadAttention: heads ${heads} must be a positive divisor of width ${width}`);
  }
  const depth = width / heads;
  const blocks = batch * heads;
  const scoreShape = [batch, heads, steps, keySteps];
  if (dropoutMultiplier && dropoutMultiplier.shape.join() !== scoreShape.join()) {
    throw new Error(
      `multiHeadAttention: dropoutMultiplier must be ${JSON.stringify(scoreShape)}, got ${
        JSON.stringify(dropoutMultiplier.shape)
      }`,
    );
  }
  const scale = 1 / Math.sqrt(depth);
  if (nativeGemmAvailable()) {
    return nativeAttention(query, key, value, { heads, scale, bias, dropoutMultiplier });
  }
  /** [batch, length, width] → [batch · heads, length, depth] */
  const splitHeads = (t: tf.Tensor, length: number) =>
    tf.transpose(t.reshape([batch, length, heads, depth]), [0, 2, 1, 3])
      .reshape([blocks, length, depth]) as tf.Tensor3D;
  /** [batch · heads, length, depth] → [batch, length, width] */
  const mergeHeads = (t: tf.Tensor, length: number) =>
    tf.transpose(t.reshape([batch, heads, length, depth]), [0, 2, 1, 3]).reshape([batch, length, width]);
  const op = tf.customGrad<tf.Tensor>((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [queryInput, keyInput, valueInput] = inputs as tf.Tensor3D[];
    const save = inputs[3] as tf.GradSaveFunc;
    const scaledQuery = splitHeads(tf.mul(queryInput, scale), steps);
    const keysT = tf.transpose(keyInput.reshape([batch, keySteps, heads, depth]), [0, 2, 3, 1])
      .reshape([blocks, depth, keySteps]) as tf.Tensor3D;
    const values = splitHeads(valueInput, keySteps);
    let scores: tf.Tensor = batchMatMul(scaledQuery, keysT);
    if (bias) scores = tf.add(scores.reshape(scoreShape), bias).reshape([blocks, steps, keySteps]);
    const probabilities = tf.softmax(scores);
    const multiplier = dropoutMultiplier?.reshape([blocks, steps, keySteps]);
    const weights = (multiplier ? tf.mul(probabilities, multiplier) : probabilities) as tf.Tensor3D;
    // The multiplier is saved too: tensors closed over would be freed before the backward pass.
    save([scaledQuery, keysT, values, probabilities, weights, ...(multiplier ? [multiplier] : [])]);
    return {
      value: mergeHeads(batchMatMul(weights, values), steps),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedQuery, savedKeysT, savedValues, savedProbabilities, savedWeights, savedMultiplier] =
          saved as tf.Tensor3D[];
        const dContext = splitHeads(dy, steps);
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
        return [mergeHeads(dQuery, steps), mergeHeads(dKeys, keySteps), mergeHeads(dValues, keySteps)];
      },
    };
  });
  return op(query, key, value) as tf.Tensor3D;
}

/** {@link multiHeadAttention} on the system BLAS: heads addressed in place (see its notes). */
function nativeAttention(
  query: tf.Tensor3D,
  key: tf.Tensor3D,
  value: tf.Tensor3D,
  args: MultiHeadAttentionArgs & { scale: number },
): tf.Tensor3D {
  const { heads, bias, dropoutMultiplier, scale } = args;
  const [batch, steps, width] = query.shape;
  const keySteps = key.shape[1];
  const depth = width / heads;
  const scoreShape = [batch, heads, steps, keySteps];
  /** Strides of one head's block in a [batch, length, width] tensor (row stride = width). */
  const strided = (length: number): [number, number] => [length * width, depth];
  /** Strides of one block in a [batch, heads, rows, columns] tensor. */
  const packed = (
    rows: number,
    columns: number,
  ): [number, number] => [heads * rows * columns, rows * columns];
  const groups: [number, number] = [batch, heads];
  const gemm = (a: tf.Tensor, b: tf.Tensor, spec: Omit<NativeGemmArgs, "groups">) =>
    nativeGemm(a, b, { ...spec, groups })!;
  const op = tf.customGrad<tf.Tensor>((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [queryInput, keyInput, valueInput] = inputs as tf.Tensor3D[];
    const save = inputs[3] as tf.GradSaveFunc;
    // scores_h = scale · Q_h K_hᵀ  [steps, keySteps] per (batch, head)
    let scores = gemm(queryInput, keyInput, {
      transposeB: true,
      m: steps,
      n: keySteps,
      k: depth,
      alpha: scale,
      lda: width,
      ldb: width,
      aStrides: strided(steps),
      bStrides: strided(keySteps),
      outStrides: packed(steps, keySteps),
      outShape: scoreShape,
    });
    if (bias) scores = tf.add(scores, bias);
    const probabilities = tf.softmax(scores);
    const weights = dropoutMultiplier ? tf.mul(probabilities, dropoutMultiplier) : probabilities;
    // context_h = W_h V_h, written into head h's columns of [batch, steps, width]
    const context = gemm(weights, valueInput, {
      m: steps,
      n: depth,
      k: keySteps,
      ldb: width,
      ldc: width,
      aStrides: packed(steps, keySteps),
      bStrides: strided(keySteps),
      outStrides: strided(steps),
      outShape: [batch, steps, width],
    });
    save([
      queryInput,
      keyInput,
      valueInput,
      probabilities,
      weights,
      ...(dropoutMultiplier ? [dropoutMultiplier] : []),
    ]);
    return {
      value: context,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedQuery, savedKey, savedValue, savedProbabilities, savedWeights, savedMultiplier] = saved;
        // context = W V:  dW_h = dC_h V_hᵀ;  dV_h = W_hᵀ dC_h
        let dProbabilities = gemm(dy, savedValue, {
          transposeB: true,
          m: steps,
          n: keySteps,
          k: depth,
          lda: width,
          ldb: width,
          aStrides: strided(steps),
          bStrides: strided(keySteps),
          outStrides: packed(steps, keySteps),
          outShape: scoreShape,
        });
        const dValue = gemm(savedWeights, dy, {
          transposeA: true,
          m: keySteps,
          n: depth,
          k: steps,
          ldb: width,
          ldc: width,
          aStrides: packed(steps, keySteps),
          bStrides: strided(steps),
          outStrides: strided(keySteps),
          outShape: [batch, keySteps, width],
        });
        if (savedMultiplier) dProbabilities = tf.mul(dProbabilities, savedMultiplier);
        // softmax: dS = P ⊙ (dP − Σ_keys dP ⊙ P)
        const dScores = tf.mul(
          savedProbabilities,
          tf.sub(dProbabilities, tf.sum(tf.mul(dProbabilities, savedProbabilities), 3, true)),
        );
        // scores = scale · Q Kᵀ:  dQ_h = scale · dS_h K_h;  dK_h = scale · dS_hᵀ Q_h
        const dQuery = gemm(dScores, savedKey, {
          m: steps,
          n: depth,
          k: keySteps,
          alpha: scale,
          ldb: width,
          ldc: width,
          aStrides: packed(steps, keySteps),
          bStrides: strided(keySteps),
          outStrides: strided(steps),
          outShape: [batch, steps, width],
        });
        const dKey = gemm(dScores, savedQuery, {
          transposeA: true,
          m: keySteps,
          n: depth,
          k: steps,
          alpha: scale,
          ldb: width,
          ldc: width,
          aStrides: packed(steps, keySteps),
          bStrides: strided(steps),
          outStrides: strided(keySteps),
          outShape: [batch, keySteps, width],
        });
        return [dQuery, dKey, dValue];
      },
    };
  });
  return op(query, key, value) as tf.Tensor3D;
}
