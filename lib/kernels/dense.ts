/**
 * A fully connected layer on 2-D inputs whose gradient uses only plain (untransposed) 2-D matmuls.
 */
import { tf } from "../backend/mod.ts";
import { nativeGemm, nativeGemmAvailable } from "./_native_gemm.ts";

/** Activation fused into {@link dense}. */
export type DenseActivation = "linear" | "relu";

/**
 * `activation(x · kernel + bias)` for `x` `[rows, inputs]`, `kernel` `[inputs, units]`, `bias`
 * `[units]`, with its own gradient.
 *
 * Perf note: tfjs's MatMul gradient multiplies with transposeA / transposeB flags, which the wasm
 * backend runs ~10× slower than a plain 2-D matmul (~2 vs 25 GFLOP/s here). This gradient
 * transposes explicitly (a copy, far cheaper) and then calls plain matmuls:
 * dx = dz · transpose(kernel), dKernel = transpose(x) · dz, dBias = Σ_rows dz, where
 * dz = dy (linear) or dy · [y > 0] (relu). The forward pass is one fused matmul + bias + activation.
 *
 * With the system BLAS (`matmulPath().kind === "native"`, wasm or cpu backend) every product is one
 * `cblas_sgemm` on the tensors' memory with transpose flags instead of copies: y = act(x · kernel + bias),
 * dx = dz · kernelᵀ, dKernel = xᵀ · dz, dBias = 1ᵀ · dz.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { dense } from "./dense.ts";
 * const y = dense(tf.ones([4, 3]), tf.ones([3, 2]), tf.zeros([2]), "relu"); // [4, 2] of 3s
 * ```
 */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: DenseActivation = "linear",
): tf.Tensor2D {
  if (x.rank !== 2 || kernel.rank !== 2 || bias.rank !== 1) {
    throw new Error(
      `dense: expected x [rows, inputs], kernel [inputs, units], bias [units], got ${
        JSON.stringify([x.shape, kernel.shape, bias.shape])
      }`,
    );
  }
  if (x.shape[1] !== kernel.shape[0] || kernel.shape[1] !== bias.shape[0]) {
    throw new Error(
      `dense: shapes do not fit: x ${JSON.stringify(x.shape)}, kernel ${JSON.stringify(kernel.shape)}, bias ${
        JSON.stringify(bias.shape)
      }`,
    );
  }
  if (nativeGemmAvailable()) return nativeDense(x, kernel, bias, activation);
  const op = tf.customGrad<tf.Tensor>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, weights, offsets] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const value = tf.fused.matMul({
      a: input,
      b: weights,
      bias: offsets,
      activation: activation === "relu" ? "relu" : "linear",
    });
    save(activation === "relu" ? [input, weights, value] : [input, weights]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedWeights, output] = saved as tf.Tensor2D[];
        const dz = output ? tf.mul(dy, tf.step(output)) : dy;
        const [rows, inputs] = savedInput.shape;
        const units = savedWeights.shape[1];
        const dx = tf.matMul(dz, tf.transpose(savedWeights));
        // Perf note (wasm): each matmul packs its right operand (~4 ns per element, every call,
        // since gradients are new tensors), and transposing costs ~2 ns per element, so the
        // narrower of x and dz goes on the right: dKernel = xᵀ dz, or (dzᵀ x)ᵀ when x is narrower.
        if (inputs <= units) {
          const dzT = tf.transpose(dz);
          return [
            dx,
            tf.transpose(tf.matMul(dzT, savedInput)),
            // column sums of dz as dzᵀ · 1 (right operand [rows × 1]: nothing to pack)
            tf.matMul(dzT, tf.ones([rows, 1])).reshape([units]),
          ];
        }
        return [dx, tf.matMul(tf.transpose(savedInput), dz), tf.sum(dz, 0)];
      },
    };
  });
  return op(x, kernel, bias) as tf.Tensor2D;
}

/** {@link dense} on the system BLAS (see its notes). */
function nativeDense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: DenseActivation,
): tf.Tensor2D {
  const [rows, inputs] = x.shape;
  const units = kernel.shape[1];
  const op = tf.customGrad<tf.Tensor>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, weights, offsets] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const relu = activation === "relu";
    const product = nativeGemm(input, weights, {
      m: rows,
      n: units,
      k: inputs,
      bias: offsets,
      outShape: [rows, units],
    })!;
    // Perf note: the backend's Relu (SIMD) is ~10x faster than a JS loop over the output.
    const value = relu ? tf.relu(product) : product;
    save(relu ? [input, weights, value] : [input, weights]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedWeights, output] = saved as tf.Tensor2D[];
        const dz = output ? tf.mul(dy, tf.step(output)) : dy;
        return [
          nativeGemm(dz, savedWeights, {
            transposeB: true,
            m: rows,
            n: inputs,
            k: units,
            outShape: [rows, inputs],
          })!,
          nativeGemm(savedInput, dz, {
            transposeA: true,
            m: inputs,
            n: units,
            k: rows,
            outShape: [inputs, units],
          })!,
          // column sums as 1ᵀ · dz on the BLAS (wasm's Sum over rows transposes first)
          nativeGemm(tf.ones([rows]), dz, { m: 1, n: units, k: rows, outShape: [units] })!,
        ];
      },
    };
  });
  return op(x, kernel, bias) as tf.Tensor2D;
}
