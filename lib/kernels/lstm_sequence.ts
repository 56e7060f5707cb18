/**
 * A fused LSTM layer pass (all time steps) with its own gradient.
 *
 * @module
 */
import { tensorFromScratch, tf } from "../backend/mod.ts";
import {
  backwardGates,
  finishForwardGates,
  forwardGates,
  type LoopShape,
  matMulRows,
  startForwardGates,
  transposeMatrix,
} from "./_lstm_loops.ts";
import { aligned, type SimdKernels, simdKernels } from "./_simd.ts";
import { type CustomGradient, lstmSequenceOps } from "./_lstm_ops.ts";
import { loadBlas, type NativeBlas } from "../backend/blas.ts";
import { type ForwardResult, nativeLstmForward } from "./_lstm_native.ts";

/** Options of {@link lstmSequence}. */
export interface LstmSequenceArgs {
  /**
   * Return the hidden state of every step ([batch, steps, hidden], for a stacked layer below another)
   * instead of the last step's only ([batch, hidden]). Default false.
   */
  returnSequences?: boolean;
  /**
   * Where the matrix products run on backends whose tensors JavaScript can read synchronously (cpu,
   * wasm, tensorflow) — the per-step recurrent product `h_{t−1} × recurrentKernel` and its gradient,
   * and the whole-sequence ones (input projection, weight and input gradients):
   * - `"host"`: in this thread, without tfjs ops (the WebAssembly SIMD kernels when `vectorized`:
   *   per-step products in 4 × 8 register tiles, ~20-28 GFLOP/s at hidden 64; without them the
   *   per-step product is a typed-array loop, ~3 GFLOP/s, and the whole-sequence products are tfjs
   *   matMuls),
   * - `"backend"`: tfjs matMuls (one per step for the recurrence: ~40 µs dispatch each, but wasm's
   *   XNNPACK reaches 20+ GFLOP/s),
   * - `"native"`: every product on the system BLAS (`cblas_sgemm`, see `matmulPath`) and each step's
   *   gate pass in one SIMD call, the sequence kept step-major (`_lstm_native.ts`), where a library is
   *   loaded and the SIMD kernels are in use (`vectorized`); else as `"auto"` without a library,
   * - `"auto"` (default): `"native"` when it can run and batch × hidden × 4·hidden ≥ 262,144
   *   multiply-adds (hidden ≥ 46 at batch 32; see `NATIVE_PRODUCT_THRESHOLD`); otherwise all products
   *   in the SIMD kernels when `vectorized`; without them, per-step products on the backend when it is not cpu and
   *   batch × hidden × 4·hidden ≥ 131,072 multiply-adds (hidden ≥ 32 at batch 32), whole-sequence
   *   products on the backend.
   * Ignored on GPU backends, which always run the tfjs-ops path.
   */
  recurrentProduct?: "auto" | "host" | "backend" | "native";
  /**
   * Use the WebAssembly SIMD kernels (`_simd.ts`: vectorised sigmoid/tanh for the gates, and the
   * host recurrent product) where WebAssembly SIMD is available. Default true; false runs plain
   * typed-array loops (the reference the SIMD path is tested against).
   */
  vectorized?: boolean;
}

/** Backends whose tensors `dataSync()` reads cheaply and synchronously; others run the ops path. */
const HOST_BACKENDS = new Set(["cpu", "wasm", "tensorflow"]);
/**
 * Multiply-adds per recurrent product above which `"auto"` picks the backend's matMul when the SIMD
 * kernels are off (the plain loop's ~3 GFLOP/s loses to dispatch + XNNPACK above it).
 */
const BACKEND_PRODUCT_THRESHOLD = 131_072;
/**
 * Multiply-adds per recurrent product (batch × hidden × 4·hidden) from which `"auto"` takes the native
 * path. Perf note: since the native path keeps the sequence step-major with one SIMD gate call per step,
 * it is the faster one at every size measured (forward + backward of 20 steps, wasm backend, one BLAS
 * thread, 2026-12-07: batch 32 hidden 14: 0.63 against 0.82 ms; batch 64 hidden 14: 0.68 / 1.16;
 * batch 32 hidden 32: 0.67 / 1.44; batch 32 hidden 64: 1.5 / 3.5). The threshold stays where the
 * stored units were computed (the paper's hidden ≤ 14 at batch 64 below it, the hybrid's larger
 * models above): moving it changes which float32 rounding those units get.
 */
const NATIVE_PRODUCT_THRESHOLD = 262_144;

/**
 * One LSTM layer over whole sequences, gates packed i, f, c, o (tfjs/Keras order), recurrent
 * activation sigmoid, activation tanh, zero initial state — the computation of
 * `tf.layers.lstm({ recurrentActivation: "sigmoid" })` — as one op with its own gradient
 * (`tf.customGrad`), so `optimizer.minimize` and `tf.variableGrads` see one tape node instead of
 * dozens of tiny ops per time step.
 *
 * On cpu, wasm and tensorflow backends: the input projection of all steps is one 2-D product; the
 * recurrence runs in one loop over typed arrays that keeps the gate activations and cell states (the
 * gate nonlinearities and small products four lanes wide in a WebAssembly SIMD kernel); the
 * backward pass (backpropagation through time) is one loop, and the weight gradients are plain 2-D
 * products over all steps at once (operands transposed explicitly: wasm's matMul is ~10x slower with
 * transpose flags); see `recurrentProduct` for where the products run. With a system BLAS the
 * native path (`_lstm_native.ts`) instead keeps the sequence step-major, runs every product on the BLAS
 * and each step's gates in one SIMD call, forward and backward. On GPU backends (webgpu,
 * webgl), whose reads are asynchronous, the same computation runs as tfjs ops with a hand-written
 * backward pass in ops.
 *
 * Porting note: agrees with `tf.layers.lstm` to float32 rounding, not bit for bit (the recurrent sums
 * accumulate in another order; the SIMD gates use a float32 polynomial exp with tanh(z) = 2σ(2z) − 1,
 * the plain loops float64 `Math.exp`); see `tests/kernels/lstm_sequence_test.ts` for the tolerances.
 *
 * @param inputs [batch, steps, features]
 * @param kernel [features, 4·hidden]
 * @param recurrentKernel [hidden, 4·hidden]
 * @param bias [4·hidden]
 * @returns the last hidden state [batch, hidden], or every step's [batch, steps, hidden].
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { lstmSequence } from "./lstm_sequence.ts";
 * const inputs = tf.ones([2, 3, 1]) as tf.Tensor3D; // 2 windows, 3 steps, 1 feature
 * const kernel = tf.fill([1, 8], 0.1) as tf.Tensor2D; // hidden 2
 * const recurrentKernel = tf.fill([2, 8], 0.1) as tf.Tensor2D;
 * const bias = tf.zeros([8]) as tf.Tensor1D;
 * const lastHidden = lstmSequence(inputs, kernel, recurrentKernel, bias); // [2, 2]
 * ```
 */
export function lstmSequence(
  inputs: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  args: LstmSequenceArgs = {},
): tf.Tensor {
  const returnSequences = args.returnSequences ?? false;
  const recurrentProduct = args.recurrentProduct ?? "auto";
  if (!["auto", "host", "backend", "native"].includes(recurrentProduct)) {
    throw new RangeError(
      `lstmSequence: recurrentProduct must be auto, host, backend or native, got ${recurrentProduct}`,
    );
  }
  const simd = (args.vectorized ?? true) ? simdKernels() : null;
  checkShapes(inputs, kernel, recurrentKernel, bias);
  const backend = tf.getBackend();
  if (!HOST_BACKENDS.has(backend)) {
    return lstmSequenceOps(inputs, kernel, recurrentKernel, bias, returnSequences);
  }
  const [batch, ,] = inputs.shape;
  const hidden = recurrentKernel.shape[0];
  // The native path needs a loaded library and the SIMD gate kernels; "native" without them is "auto".
  const blas = (recurrentProduct === "auto" || recurrentProduct === "native") && simd !== null
    ? loadBlas()
    : null;
  const mode = recurrentProduct === "native" && !blas ? "auto" : recurrentProduct;
  // The system BLAS (when loaded) for every product, where it pays.
  const native = blas && (mode === "native" || batch * hidden * 4 * hidden >= NATIVE_PRODUCT_THRESHOLD)
    ? blas
    : null;
  // The SIMD module's register-blocked product (`matMulTiles`, ~28-35 GFLOP/s at [32×64]·[64×256])
  // beats the backend's matMul plus its ~40 µs dispatch at every size of a per-step product, so the
  // threshold applies only without it (the plain typed-array loop, ~3 GFLOP/s).
  const onBackend = mode === "backend" ||
    (mode === "auto" && native === null && simd === null && backend !== "cpu" &&
      batch * hidden * 4 * hidden >= BACKEND_PRODUCT_THRESHOLD);
  // Perf note: with the register-tiled kernel the whole-sequence products (input projection, weight
  // gradients) stay in the SIMD module at every size under "auto": at hidden 64 its largest,
  // [64×640]·[640×256], runs at ~30 GFLOP/s, level with XNNPACK's matMul without its ~10 op dispatches
  // per call (an epoch of the paper's LSTM at hidden 64: ~0.40-0.50 s instead of ~0.52-0.61 s).
  const hostMatrices = simd !== null && recurrentProduct !== "backend";
  // Every product of the native path runs on one BLAS thread (see NativeBlas.singleThreaded): the
  // largest, the recurrent weight gradient at hidden 64, is ~10M multiply-adds (~0.2 ms), the per-step
  // ones ~0.5M; letting the pool thread the whole-sequence ones made the paper's hidden-64 epoch ~45% slower.
  const fused = tf.customGrad(
    ((x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) =>
      native && simd
        ? oneThread(native, () => nativeLstmForward(native, simd, x, w, u, b, save, returnSequences))
        : hostForward(
          x,
          w,
          u,
          b,
          save,
          returnSequences,
          onBackend,
          simd,
          hostMatrices,
        )) as unknown as CustomGradient,
  );
  return fused(inputs, kernel, recurrentKernel, bias);
}

function checkShapes(
  inputs: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
): void {
  const describe = () =>
    `inputs [${inputs.shape}], kernel [${kernel.shape}], recurrentKernel [${recurrentKernel.shape}], bias [${bias.shape}]`;
  if (inputs.rank !== 3 || kernel.rank !== 2 || recurrentKernel.rank !== 2 || bias.rank !== 1) {
    throw new RangeError(`lstmSequence: expects ranks 3, 2, 2, 1; got ${describe()}`);
  }
  const [batch, steps, features] = inputs.shape;
  const hidden = recurrentKernel.shape[0];
  if (
    batch < 1 || steps < 1 || features < 1 || hidden < 1 || kernel.shape[0] !== features ||
    kernel.shape[1] !== 4 * hidden || recurrentKernel.shape[1] !== 4 * hidden || bias.shape[0] !== 4 * hidden
  ) {
    throw new RangeError(
      `lstmSequence: shapes must be inputs [batch, steps, features], kernel [features, 4·hidden], recurrentKernel [hidden, 4·hidden], bias [4·hidden] with all sizes ≥ 1; got ${describe()}`,
    );
  }
  for (
    const [name, tensor] of [["inputs", inputs], ["kernel", kernel], ["recurrentKernel", recurrentKernel], [
      "bias",
      bias,
    ]] as const
  ) {
    if (tensor.dtype !== "float32") {
      throw new TypeError(`lstmSequence: ${name} must be float32, got ${tensor.dtype}`);
    }
  }
}

/**
 * Reads a tensor made by `make` and frees it (and its intermediates). Perf note: never return a typed
 * array from `tf.tidy`: tidy walks its result element by element looking for tensors (~0.2 µs each).
 */
function readAndDispose(make: () => tf.Tensor): Float32Array {
  const tensor = tf.tidy(make);
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** `left [rows, inner] × right` as one backend matMul, read back (no transpose flags). */
function backendProduct(left: Float32Array, rows: number, inner: number, right: tf.Tensor2D): Float32Array {
  return readAndDispose(() => tf.matMul(tf.tensor2d(left, [rows, inner]), right));
}

/**
 * `left [rows, inner] × right [inner, columns]` (+ `rowInit` [columns] on every row) in the SIMD
 * kernel; `columns` a multiple of 4. Returns a fresh array (the module's memory is scratch).
 */
function hostMatMul(
  simd: SimdKernels,
  left: Float32Array,
  right: Float32Array,
  rows: number,
  inner: number,
  columns: number,
  rowInit?: Float32Array,
): Float32Array {
  const rightAt = aligned(rows * inner);
  const outAt = aligned(rightAt + inner * columns);
  const memory = simd.reserve(outAt + rows * columns);
  memory.set(left, 0);
  memory.set(right, rightAt);
  const out = memory.subarray(outAt, outAt + rows * columns);
  if (rowInit) { for (let row = 0; row < rows; row++) out.set(rowInit, row * columns); }
  else out.fill(0);
  simd.matMulTiles(0, rightAt, outAt, rows, inner, columns);
  return out.slice();
}

/** `left [rows, inner] × rightᵀ` (right is [columns, inner]) in the SIMD kernel; `inner` a multiple of 4. */
function hostMatMulTransposed(
  simd: SimdKernels,
  left: Float32Array,
  right: Float32Array,
  rows: number,
  inner: number,
  columns: number,
): Float32Array {
  const rightAt = aligned(rows * inner);
  const outAt = aligned(rightAt + inner * columns);
  const memory = simd.reserve(outAt + rows * columns);
  memory.set(left, 0);
  memory.set(right, rightAt);
  simd.matMulDotRows(0, rightAt, outAt, rows, inner, columns);
  return memory.slice(outAt, outAt + rows * columns);
}

/** Runs a forward pass with the BLAS pool at one thread; its gradient function runs the same way. */
function oneThread(blas: NativeBlas, work: () => ForwardResult): ForwardResult {
  const result = blas.singleThreaded(work);
  const { gradFunc } = result;
  return { ...result, gradFunc: (dy, saved) => blas.singleThreaded(() => gradFunc(dy, saved)) };
}

function hostForward(
  x: tf.Tensor3D,
  w: tf.Tensor2D,
  u: tf.Tensor2D,
  b: tf.Tensor1D,
  save: tf.GradSaveFunc,
  returnSequences: boolean,
  onBackend: boolean,
  simd: SimdKernels | null,
  hostMatrices: boolean,
): ForwardResult {
  const [batch, steps, features] = x.shape;
  const hidden = u.shape[0];
  const gateWidth = 4 * hidden;
  const rows = batch * steps;
  const shape: LoopShape = { batch, steps, hidden };
  // Input projection of every step at once: [rows, features] × [features, 4·hidden] + bias.
  // dataSync() may return the backend's own buffer (cpu): it is only read, never written.
  const projected = hostMatrices && simd
    ? hostMatMul(
      simd,
      x.dataSync() as Float32Array,
      w.dataSync() as Float32Array,
      rows,
      features,
      gateWidth,
      b.dataSync() as Float32Array,
    )
    : readAndDispose(() => tf.add(tf.matMul(tf.reshape(x, [rows, features]), w), b));
  const recurrent = u.dataSync() as Float32Array;
  const gates = new Float32Array(rows * gateWidth);
  const cells = new Float32Array(rows * hidden);
  const cellTanhs = new Float32Array(rows * hidden);
  const hiddens = new Float32Array(rows * hidden);
  const cellState = new Float32Array(batch * hidden);
  // Scratch of the vectorised path lives in the SIMD module's memory (views taken after reserve()):
  // recurrent kernel [hidden, 4·hidden], hidden state [batch, hidden], pre-activation [batch, 4·hidden],
  // 2·cell [batch·hidden].
  const recurrentAt = 0;
  const hiddenAt = aligned(recurrentAt + hidden * gateWidth);
  const preactivationAt = aligned(hiddenAt + batch * hidden);
  const doubledCellAt = aligned(preactivationAt + batch * gateWidth);
  const memory = simd?.reserve(doubledCellAt + aligned(batch * hidden));
  let hiddenState: Float32Array, preactivation: Float32Array, doubledCell: Float32Array | null = null;
  if (simd && memory) {
    memory.set(recurrent, recurrentAt);
    hiddenState = memory.subarray(hiddenAt, hiddenAt + batch * hidden);
    hiddenState.fill(0);
    preactivation = memory.subarray(preactivationAt, preactivationAt + batch * gateWidth);
    doubledCell = memory.subarray(doubledCellAt, doubledCellAt + aligned(batch * hidden));
  } else {
    hiddenState = new Float32Array(batch * hidden);
    preactivation = new Float32Array(batch * gateWidth);
  }
  for (let step = 0; step < steps; step++) {
    for (let window = 0; window < batch; window++) {
      const row = window * steps + step;
      preactivation.set(projected.subarray(row * gateWidth, (row + 1) * gateWidth), window * gateWidth);
    }
    if (step > 0) {
      if (onBackend) {
        const product = backendProduct(hiddenState, batch, hidden, u);
        for (let index = 0; index < product.length; index++) preactivation[index] += product[index];
      } else if (simd) simd.matMulTiles(hiddenAt, recurrentAt, preactivationAt, batch, hidden, gateWidth);
      else matMulRows(hiddenState, recurrent, preactivation, batch, hidden, gateWidth);
    }
    if (simd && doubledCell) {
      // Vectorised gates: σ over the whole pre-activation with the candidate columns doubled
      // (tanh(z) = 2σ(2z) − 1), then σ(2c) for tanh(c).
      for (let window = 0; window < batch; window++) {
        const candidates = window * gateWidth + 2 * hidden;
        for (let unit = 0; unit < hidden; unit++) preactivation[candidates + unit] *= 2;
      }
      simd.sigmoid(preactivationAt, batch * gateWidth);
      startForwardGates(shape, step, preactivation, gates, cells, cellState, doubledCell);
      simd.sigmoid(doubledCellAt, doubledCell.length);
      finishForwardGates(shape, step, doubledCell, gates, cellTanhs, hiddens, hiddenState);
    } else {
      forwardGates(shape, step, preactivation, gates, cells, cellTanhs, hiddens, cellState, hiddenState);
    }
  }
  // `hiddens` is this call's own array; `hiddenState` may be the SIMD module's reused scratch.
  const value = returnSequences
    ? tf.tensor3d(hiddens, [batch, steps, hidden])
    : tensorFromScratch(hiddenState, [batch, hidden]);

  // The backward pass needs x, w and u; the engine keeps only what is saved (a stacked layer's input
  // is an intermediate that may be freed before the backward pass runs).
  save([x, w, u]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [savedInputs, savedKernel, savedRecurrent] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    const outputGradient = dy.dataSync() as Float32Array;
    const preactivationGradient = new Float32Array(rows * gateWidth);
    const cellGradient = new Float32Array(batch * hidden);
    // Backward scratch: recurrent kernel transposed [4·hidden, paddedHidden] (columns zero-padded to a
    // multiple of 4 for matMulTiles), step gradient [batch, 4·hidden], hidden gradient [batch, hidden],
    // and the padded product [batch, paddedHidden] when hidden is not a multiple of 4.
    const paddedHidden = aligned(hidden);
    const stepGradientAt = aligned(recurrentAt + gateWidth * paddedHidden);
    const hiddenGradientAt = aligned(stepGradientAt + batch * gateWidth);
    const paddedProductAt = paddedHidden === hidden
      ? hiddenGradientAt
      : aligned(hiddenGradientAt + batch * hidden);
    const backwardMemory = simd?.reserve(paddedProductAt + batch * paddedHidden);
    let stepGradient: Float32Array, hiddenGradient: Float32Array;
    let paddedProduct: Float32Array | null = null;
    if (simd && backwardMemory) {
      const values = savedRecurrent.dataSync() as Float32Array;
      const transposed = backwardMemory.subarray(recurrentAt, recurrentAt + gateWidth * paddedHidden);
      transposed.fill(0);
      for (let unit = 0; unit < hidden; unit++) {
        for (let gate = 0; gate < gateWidth; gate++) {
          transposed[gate * paddedHidden + unit] = values[unit * gateWidth + gate];
        }
      }
      stepGradient = backwardMemory.subarray(stepGradientAt, stepGradientAt + batch * gateWidth);
      hiddenGradient = backwardMemory.subarray(hiddenGradientAt, hiddenGradientAt + batch * hidden);
      paddedProduct = backwardMemory.subarray(paddedProductAt, paddedProductAt + batch * paddedHidden);
      hiddenGradient.fill(0);
    } else {
      stepGradient = new Float32Array(batch * gateWidth);
      hiddenGradient = new Float32Array(batch * hidden);
    }
    const recurrentTransposed = onBackend ? tf.transpose(savedRecurrent) as tf.Tensor2D : null;
    // Perf note: the plain loop multiplies by an explicit [4·hidden, hidden] transpose (i-k-j order
    // streams contiguous rows), 1.6x faster than dot products against the untransposed rows.
    const recurrentTransposedValues = onBackend || simd
      ? null
      : transposeMatrix(recurrent, hidden, gateWidth);
    for (let step = steps - 1; step >= 0; step--) {
      if (returnSequences) {
        for (let window = 0; window < batch; window++) {
          const from = (window * steps + step) * hidden;
          for (let unit = 0; unit < hidden; unit++) {
            hiddenGradient[window * hidden + unit] += outputGradient[from + unit];
          }
        }
      } else if (step === steps - 1) hiddenGradient.set(outputGradient);
      backwardGates(
        shape,
        step,
        gates,
        cells,
        cellTanhs,
        hiddenGradient,
        cellGradient,
        preactivationGradient,
        stepGradient,
      );
      if (step === 0) break;
      // Gradient reaching h_{t−1} through the recurrent kernel: stepGradient × recurrentKernelᵀ.
      if (recurrentTransposed) {
        hiddenGradient.set(backendProduct(stepGradient, batch, gateWidth, recurrentTransposed));
      } else if (simd && paddedProduct) {
        paddedProduct.fill(0);
        simd.matMulTiles(stepGradientAt, recurrentAt, paddedProductAt, batch, gateWidth, paddedHidden);
        if (paddedHidden !== hidden) {
          for (let window = 0; window < batch; window++) {
            for (let unit = 0; unit < hidden; unit++) {
              hiddenGradient[window * hidden + unit] = paddedProduct[window * paddedHidden + unit];
            }
          }
        }
      } else {
        hiddenGradient.fill(0);
        matMulRows(stepGradient, recurrentTransposedValues!, hiddenGradient, batch, gateWidth, hidden);
      }
    }
    recurrentTransposed?.dispose();
    const biasGradient = new Float32Array(gateWidth);
    for (let row = 0; row < rows; row++) {
      const offset = row * gateWidth;
      for (let gate = 0; gate < gateWidth; gate++) biasGradient[gate] += preactivationGradient[offset + gate];
    }
    // h_{t−1} of every row, transposed to [hidden, rows] (zero at each window's first step).
    const previousTransposed = new Float32Array(hidden * rows);
    for (let row = 0; row < rows; row++) {
      if (row % steps === 0) continue;
      for (let unit = 0; unit < hidden; unit++) {
        previousTransposed[unit * rows + row] = hiddens[(row - 1) * hidden + unit];
      }
    }
    if (hostMatrices && simd) {
      const inputsTransposed = transposeMatrix(savedInputs.dataSync() as Float32Array, rows, features);
      const kernelValues = savedKernel.dataSync() as Float32Array;
      return [
        tf.tensor3d(
          hostMatMulTransposed(simd, preactivationGradient, kernelValues, rows, gateWidth, features),
          [batch, steps, features],
        ),
        tf.tensor2d(hostMatMul(simd, inputsTransposed, preactivationGradient, features, rows, gateWidth), [
          features,
          gateWidth,
        ]),
        tf.tensor2d(hostMatMul(simd, previousTransposed, preactivationGradient, hidden, rows, gateWidth), [
          hidden,
          gateWidth,
        ]),
        tf.tensor1d(biasGradient),
      ];
    }
    return tf.tidy(() => {
      const dPreactivation = tf.tensor2d(preactivationGradient, [rows, gateWidth]);
      const inputsTransposed = tf.transpose(tf.reshape(savedInputs, [rows, features]));
      return [
        tf.reshape(tf.matMul(dPreactivation, tf.transpose(savedKernel)), [batch, steps, features]),
        tf.matMul(inputsTransposed, dPreactivation),
        tf.matMul(tf.tensor2d(previousTransposed, [hidden, rows]), dPreactivation),
        tf.tensor1d(biasGradient),
      ];
    });
  };
  return { value, gradFunc };
}
