/**
 * Layer normalisation over the last axis of a 2-D tensor, with a hand-written gradient.
 */
import { tf } from "../backend/mod.ts";
import { type SimdKernels, simdKernels } from "./_simd.ts";

/** Options of {@link layerNorm}. */
export interface LayerNormArgs {
  /**
   * On the wasm backend, run as two calls of the WebAssembly SIMD module (bit for bit the ops' result)
   * where the width is a multiple of 4. Default true; false runs the tfjs ops (the reference the SIMD
   * path is tested against).
   */
  vectorized?: boolean;
}

/**
 * `(x − mean) / sqrt(variance + epsilon) · gamma + beta`, row by row, for `x` `[rows, width]` and
 * `gamma`, `beta` `[width]` (the biased variance, as PyTorch's `nn.LayerNorm`).
 *
 * Perf note: autodiff through `tf.moments` records ~15 kernels and their gradients; this op runs 8
 * forward and 10 backward kernels using the closed form, with x̂ the normalised input and
 * g = dy · gamma: dx = (g − mean(g) − x̂ · mean(g · x̂)) / sqrt(variance + epsilon),
 * dGamma = Σ_rows dy · x̂, dBeta = Σ_rows dy. On the wasm backend (width a multiple of 4) the same
 * computation runs as two calls of the SIMD module (`_simd.ts`), in the order and float32 rounding of
 * those kernels, so it gives the same bits (tested) at a fraction of the kernel dispatches and without
 * wasm's transposing Sum over rows.
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
  args: LayerNormArgs = {},
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
  const simd = simdKernels();
  const [rows, width] = x.shape;
  if ((args.vectorized ?? true) && tf.getBackend() === "wasm" && simd && width % 4 === 0 && rows > 0) {
    return simdLayerNorm(simd, x, gamma, beta, epsilon);
  }
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

/** The parts of tfjs' wasm backend read here: a view of a tensor's values in its memory (no copy). */
interface WasmHeap {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** {@link layerNorm} on the wasm backend through the SIMD module: same values and gradients, bit for bit. */
function simdLayerNorm(
  simd: SimdKernels,
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): tf.Tensor2D {
  const [rows, width] = x.shape;
  const size = rows * width;
  const heap = () => tf.backend() as unknown as WasmHeap;
  const op = tf.customGrad<tf.Tensor>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    // Memory (float offsets): x, normalised, out [rows, width], gamma, beta [width], inverse [rows].
    const [inputAt, normalisedAt, outAt] = [0, size, 2 * size];
    const gammaAt = 3 * size, betaAt = gammaAt + width, inverseAt = betaAt + width;
    const memory = simd.reserve(inverseAt + rows);
    memory.set(heap().typedArrayFromHeap(input), inputAt);
    memory.set(heap().typedArrayFromHeap(scale), gammaAt);
    memory.set(heap().typedArrayFromHeap(offset), betaAt);
    simd.layerNormForward(
      inputAt,
      gammaAt,
      betaAt,
      outAt,
      normalisedAt,
      inverseAt,
      rows,
      width,
      Math.fround(epsilon),
    );
    // The backward pass's inputs, as tensors the engine keeps (the scratch memory is reused).
    const normalised = tf.tensor2d(memory.subarray(normalisedAt, normalisedAt + size), [rows, width]);
    const inverse = tf.tensor1d(memory.subarray(inverseAt, inverseAt + rows));
    save([normalised, inverse, scale]);
    const value = tf.tensor2d(memory.subarray(outAt, outAt + size), [rows, width]);
    tf.dispose([normalised, inverse]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedNormalised, savedInverse, savedScale] = saved;
        const [dyAt, keptAt, dxAt] = [0, size, 2 * size];
        const scaleAt = 3 * size, inverseGradientAt = scaleAt + width;
        const gammaGradientAt = inverseGradientAt + rows, betaGradientAt = gammaGradientAt + width;
        const scratch = simd.reserve(betaGradientAt + width);
        scratch.set(heap().typedArrayFromHeap(dy), dyAt);
        scratch.set(heap().typedArrayFromHeap(savedNormalised), keptAt);
        scratch.set(heap().typedArrayFromHeap(savedScale), scaleAt);
        scratch.set(heap().typedArrayFromHeap(savedInverse), inverseGradientAt);
        scratch.fill(0, gammaGradientAt, betaGradientAt + width);
        simd.layerNormBackward(
          dyAt,
          keptAt,
          inverseGradientAt,
          scaleAt,
          dxAt,
          gammaGradientAt,
          betaGradientAt,
          rows,
          width,
        );
        return [
          tf.tensor2d(scratch.subarray(dxAt, dxAt + size), [rows, width]),
          tf.tensor1d(scratch.subarray(gammaGradientAt, gammaGradientAt + width)),
          tf.tensor1d(scratch.subarray(betaGradientAt, betaGradientAt + width)),
        ];
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}
