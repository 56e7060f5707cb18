/**
 * Plain typed-array loops of the fused LSTM sequence op (see `lstm_sequence.ts`): the recurrence over
 * time and backpropagation through time. Layouts are row-major; a "row" is one (window, step) pair in
 * window-major order (row = window · steps + step), gates packed i, f, c, o along the last axis.
 *
 * Porting note: {@link forwardGates} computes each gate in float64 (`Math.exp`; tanh as
 * 1 − 2 / (1 + e^{2z})) and rounds to float32 when storing, while tfjs computes in float32 throughout
 * (the vectorised pair {@link startForwardGates} / {@link finishForwardGates} takes float32 sigmoids
 * from `_simd.ts`); sums over the recurrent kernel are
 * accumulated in a different order than tfjs's matMul. Results agree with tfjs to float32 rounding
 * (checked in `tests/kernels/lstm_sequence_test.ts`), not bit for bit.
 *
 * @module
 */

/** Shapes of one call: windows (batch), time steps, hidden units. */
export interface LoopShape {
  batch: number;
  steps: number;
  hidden: number;
}

/**
 * Adds `left [rows, inner] × right [inner, columns]` to `out [rows, columns]`. Perf note: i-k-j order with k unrolled by 4, so the innermost loop streams two
 * contiguous rows of `right` and one of `out` (V8 keeps it at ~3 GFLOP/s; ~2x the naive loop).
 */
export function matMulRows(
  left: Float32Array,
  right: Float32Array,
  out: Float32Array,
  rows: number,
  inner: number,
  columns: number,
): void {
  for (let row = 0; row < rows; row++) {
    const outOffset = row * columns;
    const leftOffset = row * inner;
    let k = 0;
    for (; k + 3 < inner; k += 4) {
      const a0 = left[leftOffset + k], a1 = left[leftOffset + k + 1];
      const a2 = left[leftOffset + k + 2], a3 = left[leftOffset + k + 3];
      const r0 = k * columns, r1 = r0 + columns, r2 = r1 + columns, r3 = r2 + columns;
      for (let column = 0; column < columns; column++) {
        out[outOffset + column] += a0 * right[r0 + column] + a1 * right[r1 + column] +
          a2 * right[r2 + column] + a3 * right[r3 + column];
      }
    }
    for (; k < inner; k++) {
      const a = left[leftOffset + k];
      const r = k * columns;
      for (let column = 0; column < columns; column++) out[outOffset + column] += a * right[r + column];
    }
  }
}

/** `[rows, columns]` → `[columns, rows]`, row-major. */
export function transposeMatrix(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      out[column * rows + row] = values[row * columns + column];
    }
  }
  return out;
}

/**
 * One forward step's gate pass: `preactivation` [batch, 4·hidden] (input projection + bias +
 * recurrent product for step `step`) → activated gates, cell state and hidden state written into the
 * per-row buffers and into the running `cellState` / `hiddenState` [batch, hidden].
 */
export function forwardGates(
  shape: LoopShape,
  step: number,
  preactivation: Float32Array,
  gates: Float32Array,
  cells: Float32Array,
  cellTanhs: Float32Array,
  hiddens: Float32Array,
  cellState: Float32Array,
  hiddenState: Float32Array,
): void {
  const { batch, steps, hidden } = shape;
  const gateWidth = 4 * hidden;
  for (let window = 0; window < batch; window++) {
    const row = window * steps + step;
    const zOffset = window * gateWidth;
    const gateOffset = row * gateWidth;
    const stateOffset = window * hidden;
    const rowOffset = row * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const inputGate = 1 / (1 + Math.exp(-preactivation[zOffset + unit]));
      const forgetGate = 1 / (1 + Math.exp(-preactivation[zOffset + hidden + unit]));
      // Perf note: tanh(z) = 1 − 2 / (1 + e^{2z}); V8's Math.exp is ~2x faster than Math.tanh, and the
      // gates are most of the loop's time. Exact in float64 to ~1e-16 absolute.
      const candidate = 1 - 2 / (1 + Math.exp(2 * preactivation[zOffset + 2 * hidden + unit]));
      const outputGate = 1 / (1 + Math.exp(-preactivation[zOffset + 3 * hidden + unit]));
      const cell = forgetGate * cellState[stateOffset + unit] + inputGate * candidate;
      const cellTanh = 1 - 2 / (1 + Math.exp(2 * cell));
      const output = outputGate * cellTanh;
      gates[gateOffset + unit] = inputGate;
      gates[gateOffset + hidden + unit] = forgetGate;
      gates[gateOffset + 2 * hidden + unit] = candidate;
      gates[gateOffset + 3 * hidden + unit] = outputGate;
      cells[rowOffset + unit] = cell;
      cellTanhs[rowOffset + unit] = cellTanh;
      hiddens[rowOffset + unit] = output;
      cellState[stateOffset + unit] = cell;
      hiddenState[stateOffset + unit] = output;
    }
  }
}

/**
 * One backward step's gate pass. Reads `hiddenGradient` [batch, hidden] (gradient reaching h_t from
 * above and from step t + 1) and the running `cellGradient` [batch, hidden] (from step t + 1, updated in
 * place to the gradient reaching c_{t−1}); writes the pre-activation gradient of step `step` into
 * `preactivationGradient` (per-row buffer, [rows, 4·hidden]) and into `stepGradient` [batch, 4·hidden].
 */
export function backwardGates(
  shape: LoopShape,
  step: number,
  gates: Float32Array,
  cells: Float32Array,
  cellTanhs: Float32Array,
  hiddenGradient: Float32Array,
  cellGradient: Float32Array,
  preactivationGradient: Float32Array,
  stepGradient: Float32Array,
): void {
  const { batch, steps, hidden } = shape;
  const gateWidth = 4 * hidden;
  for (let window = 0; window < batch; window++) {
    const row = window * steps + step;
    const gateOffset = row * gateWidth;
    const rowOffset = row * hidden;
    const stateOffset = window * hidden;
    const stepOffset = window * gateWidth;
    for (let unit = 0; unit < hidden; unit++) {
      const inputGate = gates[gateOffset + unit];
      const forgetGate = gates[gateOffset + hidden + unit];
      const candidate = gates[gateOffset + 2 * hidden + unit];
      const outputGate = gates[gateOffset + 3 * hidden + unit];
      const cellTanh = cellTanhs[rowOffset + unit];
      const previousCell = step > 0 ? cells[rowOffset - hidden + unit] : 0;
      const dHidden = hiddenGradient[stateOffset + unit];
      const dCell = cellGradient[stateOffset + unit] + dHidden * outputGate * (1 - cellTanh * cellTanh);
      const dInput = dCell * candidate * inputGate * (1 - inputGate);
      const dForget = dCell * previousCell * forgetGate * (1 - forgetGate);
      const dCandidate = dCell * inputGate * (1 - candidate * candidate);
      const dOutput = dHidden * cellTanh * outputGate * (1 - outputGate);
      preactivationGradient[gateOffset + unit] = stepGradient[stepOffset + unit] = dInput;
      preactivationGradient[gateOffset + hidden + unit] = stepGradient[stepOffset + hidden + unit] = dForget;
      preactivationGradient[gateOffset + 2 * hidden + unit] =
        stepGradient[stepOffset + 2 * hidden + unit] =
          dCandidate;
      preactivationGradient[gateOffset + 3 * hidden + unit] =
        stepGradient[stepOffset + 3 * hidden + unit] =
          dOutput;
      cellGradient[stateOffset + unit] = dCell * forgetGate;
    }
  }
}

/**
 * First half of a forward step's gate pass when the sigmoid runs vectorised (`_simd.ts`): reads
 * `activated` [batch, 4·hidden] = sigmoid of the pre-activation with the candidate columns doubled
 * (so that tanh(z) = 2·σ(2z) − 1), writes the gates and cell state of step `step`, and `doubledCell`
 * [batch·hidden] = 2·c for the vectorised tanh(c) of {@link finishForwardGates}.
 */
export function startForwardGates(
  shape: LoopShape,
  step: number,
  activated: Float32Array,
  gates: Float32Array,
  cells: Float32Array,
  cellState: Float32Array,
  doubledCell: Float32Array,
): void {
  const { batch, steps, hidden } = shape;
  const gateWidth = 4 * hidden;
  for (let window = 0; window < batch; window++) {
    const row = window * steps + step;
    const zOffset = window * gateWidth;
    const gateOffset = row * gateWidth;
    const stateOffset = window * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const inputGate = activated[zOffset + unit];
      const forgetGate = activated[zOffset + hidden + unit];
      const candidate = 2 * activated[zOffset + 2 * hidden + unit] - 1;
      const cell = forgetGate * cellState[stateOffset + unit] + inputGate * candidate;
      gates[gateOffset + unit] = inputGate;
      gates[gateOffset + hidden + unit] = forgetGate;
      gates[gateOffset + 2 * hidden + unit] = candidate;
      gates[gateOffset + 3 * hidden + unit] = activated[zOffset + 3 * hidden + unit];
      cells[row * hidden + unit] = cell;
      cellState[stateOffset + unit] = cell;
      doubledCell[stateOffset + unit] = 2 * cell;
    }
  }
}

/**
 * Second half: `cellSigmoid` [batch·hidden] = σ(2c) → tanh(c) = 2σ(2c) − 1 and h = o · tanh(c),
 * written to the per-row buffers and the running `hiddenState`.
 */
export function finishForwardGates(
  shape: LoopShape,
  step: number,
  cellSigmoid: Float32Array,
  gates: Float32Array,
  cellTanhs: Float32Array,
  hiddens: Float32Array,
  hiddenState: Float32Array,
): void {
  const { batch, steps, hidden } = shape;
  const gateWidth = 4 * hidden;
  for (let window = 0; window < batch; window++) {
    const row = window * steps + step;
    const stateOffset = window * hidden;
    const outputOffset = row * gateWidth + 3 * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const cellTanh = 2 * cellSigmoid[stateOffset + unit] - 1;
      const output = gates[outputOffset + unit] * cellTanh;
      cellTanhs[row * hidden + unit] = cellTanh;
      hiddens[row * hidden + unit] = output;
      hiddenState[stateOffset + unit] = output;
    }
  }
}
