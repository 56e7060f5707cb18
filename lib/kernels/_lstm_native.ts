/**
 * The fused LSTM op (`lstm_sequence.ts`) where a system BLAS is loaded and WebAssembly SIMD is
 * available: every matrix product on the BLAS, each step's gate pass one call of the SIMD module
 * (`lstmGatesForward` / `lstmGatesBackward` in `_simd.ts`), and the sequence kept **step-major** (row =
 * step · batch + window), so that one step's pre-activations, cells and hidden states are contiguous
 * blocks: the recurrent product adds straight into the step's block, h_{t−1} is the previous block, and
 * the recurrent weight gradient is one product over the blocks with no copy of h_{t−1}.
 *
 * Hidden sizes that are not a multiple of 4 run padded to one (the SIMD gate pass works four units at a
 * time): the weights get zero columns and rows for the padding units, whose pre-activations are then
 * 0, cell and hidden states stay exactly 0 and gradients exactly 0, and the padding is cut off the
 * results.
 *
 * Porting note: float32 throughout (the plain loops of `_lstm_loops.ts` evaluate the gates in float64),
 * sums in the BLAS's order: agrees with `tf.layers.lstm` and the WebAssembly path to float32 rounding.
 *
 * @module
 */
import { tf } from "../backend/mod.ts";
import type { NativeBlas } from "../backend/blas.ts";
import { aligned, type SimdKernels, simdWorkspace } from "./_simd.ts";

/** What `tf.customGrad`'s forward function returns. */
export interface ForwardResult {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/**
 * The op's forward pass (and its gradient function) on the BLAS and the SIMD gate kernels; arguments as
 * `lstmSequence`'s, shapes already checked.
 */
export function nativeLstmForward(
  blas: NativeBlas,
  simd: SimdKernels,
  x: tf.Tensor3D,
  w: tf.Tensor2D,
  u: tf.Tensor2D,
  b: tf.Tensor1D,
  save: tf.GradSaveFunc,
  returnSequences: boolean,
): ForwardResult {
  const [batch, steps, features] = x.shape;
  const hidden = u.shape[0];
  const padded = aligned(hidden);
  const gateWidth = 4 * padded;
  const rows = steps * batch;
  const block = batch * padded, gateBlock = batch * gateWidth;
  const inputs = swapLeadingAxes(x.dataSync() as Float32Array, batch, steps, features, features);
  const kernel = resizeGateBlocks(w.dataSync() as Float32Array, features, hidden, padded);
  const recurrent = padRows(
    resizeGateBlocks(u.dataSync() as Float32Array, hidden, hidden, padded),
    hidden,
    padded,
    gateWidth,
  );
  const bias = resizeGateBlocks(b.dataSync() as Float32Array, 1, hidden, padded);

  // A pass that gradients are recorded for works in a SIMD instance of its own, where its gates, cells
  // and hidden states stay for the backward pass (which hands the instance back); a prediction in the
  // shared scratch memory. Memory: gates [rows, 4·padded], cells, tanh(cells), hidden states [rows,
  // padded] and a zero block (c_{−1}).
  const recording = recordingGradients();
  const workspace = recording ? takeWorkspace() : simd;
  const gatesAt = 0;
  const cellsAt = gatesAt + rows * gateWidth;
  const tanhAt = cellsAt + rows * padded;
  const hiddensAt = tanhAt + rows * padded;
  const zerosAt = hiddensAt + rows * padded;
  const memory = workspace.reserve(zerosAt + block);
  memory.fill(0, zerosAt, zerosAt + block);
  for (let row = 0; row < rows; row++) memory.set(bias, gatesAt + row * gateWidth);
  // Input projection of every step at once: gates += inputs · kernel.
  blas.sgemm(
    false,
    false,
    rows,
    gateWidth,
    features,
    1,
    inputs,
    0,
    features,
    kernel,
    0,
    gateWidth,
    1,
    memory,
    gatesAt,
    gateWidth,
  );
  const recurrentAddress = blas.address(recurrent, 0);
  for (let step = 0; step < steps; step++) {
    const gates = gatesAt + step * gateBlock;
    if (step > 0) {
      // gates_t += h_{t−1} · U
      blas.sgemmAt(
        false,
        false,
        batch,
        gateWidth,
        padded,
        1,
        blas.address(memory, hiddensAt + (step - 1) * block),
        padded,
        recurrentAddress,
        gateWidth,
        1,
        blas.address(memory, gates),
        gateWidth,
      );
    }
    workspace.lstmGatesForward(
      gates,
      step > 0 ? cellsAt + (step - 1) * block : zerosAt,
      cellsAt + step * block,
      tanhAt + step * block,
      hiddensAt + step * block,
      batch,
      padded,
    );
  }
  const hiddens = memory.subarray(hiddensAt, zerosAt);
  const value = returnSequences
    ? tf.tensor3d(swapLeadingAxes(hiddens, steps, batch, padded, hidden), [batch, steps, hidden])
    : tf.tensor2d(swapLeadingAxes(hiddens.subarray((steps - 1) * block), 1, batch, padded, hidden), [
      batch,
      hidden,
    ]);
  // Everything the gradient needs is held here, not in tensors.
  save([]);

  const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
    if (!recording) {
      throw new Error(
        "lstmSequence: a backward pass without a recorded forward pass (tfjs internals changed?)",
      );
    }
    try {
      return backward(dy.dataSync() as Float32Array);
    } finally {
      giveBackWorkspace(workspace);
    }
  };
  const backward = (outputGradient: Float32Array): tf.Tensor[] => {
    // Backward memory, after the forward pass's (gates, cells, tanh(cells), hidden states and the zero
    // block, all as it left them): the gradients reaching h_t and c_t [batch, padded], the
    // pre-activation gradient [rows, 4·padded], and (every step's output) the output gradient
    // step-major [rows, padded].
    const hiddenGradientAt = zerosAt + block;
    const cellGradientAt = hiddenGradientAt + block;
    const gateGradientAt = cellGradientAt + block;
    const outputGradientAt = gateGradientAt + rows * gateWidth;
    const scratch = workspace.reserve(outputGradientAt + (returnSequences ? rows * padded : 0));
    const hiddens = scratch.subarray(hiddensAt, zerosAt);
    scratch.fill(0, hiddenGradientAt, gateGradientAt);
    // The gradient reaching h of the last step: its output gradient (every step's, step-major, when the
    // op returns sequences).
    if (returnSequences) {
      scratch.set(swapLeadingAxes(outputGradient, batch, steps, hidden, padded), outputGradientAt);
      scratch.copyWithin(
        hiddenGradientAt,
        outputGradientAt + (steps - 1) * block,
        outputGradientAt + steps * block,
      );
    } else scratch.set(swapLeadingAxes(outputGradient, batch, 1, hidden, padded), hiddenGradientAt);
    const hiddenGradientAddress = blas.address(scratch, hiddenGradientAt);
    const recurrentAddress = blas.address(recurrent, 0);
    for (let step = steps - 1; step >= 0; step--) {
      const gateGradient = gateGradientAt + step * gateBlock;
      workspace.lstmGatesBackward(
        gatesAt + step * gateBlock,
        step > 0 ? cellsAt + (step - 1) * block : zerosAt,
        tanhAt + step * block,
        hiddenGradientAt,
        cellGradientAt,
        gateGradient,
        batch,
        padded,
      );
      if (step === 0) break;
      // The gradient reaching h_{t−1}: (that step's output gradient +) gateGradient_t · Uᵀ.
      if (returnSequences) {
        scratch.copyWithin(
          hiddenGradientAt,
          outputGradientAt + (step - 1) * block,
          outputGradientAt + step * block,
        );
      }
      blas.sgemmAt(
        false,
        true,
        batch,
        padded,
        gateWidth,
        1,
        blas.address(scratch, gateGradient),
        gateWidth,
        recurrentAddress,
        gateWidth,
        returnSequences ? 1 : 0,
        hiddenGradientAddress,
        padded,
      );
    }
    // The whole-sequence gradients, dZ = the pre-activation gradient [rows, 4·padded]:
    // db = Σ_rows dZ, dU = h_{t−1}ᵀ · dZ_t over steps 1.., dW = inputsᵀ · dZ, d inputs = dZ · Wᵀ.
    const biasGradient = new Float32Array(gateWidth);
    const ones = new Float32Array(rows).fill(1);
    blas.sgemm(
      false,
      false,
      1,
      gateWidth,
      rows,
      1,
      ones,
      0,
      rows,
      scratch,
      gateGradientAt,
      gateWidth,
      0,
      biasGradient,
      0,
      gateWidth,
    );
    const recurrentGradient = new Float32Array(padded * gateWidth);
    if (steps > 1) {
      blas.sgemm(
        true,
        false,
        padded,
        gateWidth,
        rows - batch,
        1,
        hiddens,
        0,
        padded,
        scratch,
        gateGradientAt + gateBlock,
        gateWidth,
        0,
        recurrentGradient,
        0,
        gateWidth,
      );
    }
    const kernelGradient = new Float32Array(features * gateWidth);
    blas.sgemm(
      true,
      false,
      features,
      gateWidth,
      rows,
      1,
      inputs,
      0,
      features,
      scratch,
      gateGradientAt,
      gateWidth,
      0,
      kernelGradient,
      0,
      gateWidth,
    );
    const inputGradient = new Float32Array(rows * features);
    blas.sgemm(
      false,
      true,
      rows,
      features,
      gateWidth,
      1,
      scratch,
      gateGradientAt,
      gateWidth,
      kernel,
      0,
      gateWidth,
      0,
      inputGradient,
      0,
      features,
    );
    return [
      tf.tensor3d(swapLeadingAxes(inputGradient, steps, batch, features, features), [batch, steps, features]),
      tf.tensor2d(resizeGateBlocks(kernelGradient, features, padded, hidden), [features, 4 * hidden]),
      tf.tensor2d(
        resizeGateBlocks(recurrentGradient.subarray(0, hidden * gateWidth), hidden, padded, hidden),
        [
          hidden,
          4 * hidden,
        ],
      ),
      tf.tensor1d(resizeGateBlocks(biasGradient, 1, padded, hidden)),
    ];
  };
  return { value, gradFunc };
}

/** SIMD instances whose memory no pass holds (see {@link takeWorkspace}). */
const idleWorkspaces: SimdKernels[] = [];

/**
 * A SIMD instance for one recorded forward pass to keep its state in until its backward pass: an idle
 * one, else a new one (from the module the shared instance came from, so never null here). Perf note: keeping the state
 * there instead of copying it out and back (~1.2 MB a batch at hidden 64, ~14 MB at the hybrid's hidden
 * 128) saves the copies and their garbage. A pass whose backward pass never runs (its output not on the
 * path to the gradient asked for) just leaves its instance to the garbage collector.
 */
function takeWorkspace(): SimdKernels {
  return idleWorkspaces.pop() ?? simdWorkspace()!;
}

/** Hands an instance back after its backward pass (a few are kept: one per stacked layer in flight). */
function giveBackWorkspace(workspace: SimdKernels): void {
  if (idleWorkspaces.length < 8) idleWorkspaces.push(workspace);
}

/**
 * Whether tfjs is recording a gradient tape (inside `tf.grads`, `variableGrads`, `minimize`). Porting
 * note: read from the engine's state (`gradientDepth`, tfjs-core 4.x); outside every gradient scope no
 * backward pass can follow, so the forward pass keeps nothing for one.
 */
function recordingGradients(): boolean {
  const engine = tf.engine() as unknown as { state?: { gradientDepth?: number } };
  const depth = engine.state?.gradientDepth;
  return depth === undefined || depth > 0;
}

/**
 * [outer, inner, from] → [inner, outer, to]: swaps the two leading axes (window-major ↔ step-major), each
 * row's first min(from, to) values kept and the rest zero (padding added or cut off).
 */
function swapLeadingAxes(
  values: Float32Array,
  outer: number,
  inner: number,
  from: number,
  to: number,
): Float32Array {
  const kept = Math.min(from, to);
  const out = new Float32Array(inner * outer * to);
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      const start = (a * inner + b) * from;
      out.set(values.subarray(start, start + kept), (b * outer + a) * to);
    }
  }
  return out;
}

/**
 * [rows, 4·from] → [rows, 4·to], gate blocks i, f, c, o: each block's first min(from, to) columns kept,
 * the others zero (padding for the SIMD gate pass, and cutting it off again). The array itself when the
 * widths match.
 */
function resizeGateBlocks(values: Float32Array, rows: number, from: number, to: number): Float32Array {
  if (from === to) return values;
  const kept = Math.min(from, to);
  const out = new Float32Array(rows * 4 * to);
  for (let row = 0; row < rows; row++) {
    for (let gate = 0; gate < 4; gate++) {
      const start = row * 4 * from + gate * from;
      out.set(values.subarray(start, start + kept), row * 4 * to + gate * to);
    }
  }
  return out;
}

/** [rows, width] → [paddedRows, width], the added rows zero. */
function padRows(values: Float32Array, rows: number, paddedRows: number, width: number): Float32Array {
  if (paddedRows === rows) return values;
  const out = new Float32Array(paddedRows * width);
  out.set(values.subarray(0, rows * width));
  return out;
}
