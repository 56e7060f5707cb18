import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { instantiateSimdKernels, type SimdKernels, simdKernels } from "../../lib/kernels/_simd.ts";
import { backwardGates, forwardGates } from "../../lib/kernels/_lstm_loops.ts";
import { createRandom } from "../../lib/random/mod.ts";

Deno.test("SIMD module assembles and validates under Deno (so the fused LSTM runs vectorised here)", () => {
  assert.ok(simdKernels() !== null);
  assert.equal(simdKernels(), simdKernels(), "instantiated once");
});

Deno.test("SIMD sigmoid: within 1e-7 of 1 / (1 + Math.exp(−x)) from −200 to 200, in place, NaN kept", () => {
  // Both variants: plain SIMD, and relaxed SIMD (min/max/trunc/multiply-add) when this engine has it.
  for (const simd of [instantiateSimdKernels(false), instantiateSimdKernels(true)]) {
    if (simd !== null) checkSigmoid(simd);
  }
});

function checkSigmoid(simd: SimdKernels): void {
  const count = 4 * 1000;
  const inputs = Float32Array.from({ length: count }, (_, index) => -200 + (400 * index) / (count - 1));
  inputs.set([0, 1e-8, -1e-8, 87.5], 0);
  const memory = simd.reserve(8 + count);
  memory.set(inputs, 8);
  simd.sigmoid(8, count);
  let worst = 0;
  for (let index = 0; index < count; index++) {
    worst = Math.max(worst, Math.abs(memory[8 + index] - 1 / (1 + Math.exp(-inputs[index]))));
  }
  assert.ok(worst < 1e-7, `max error ${worst}`);
  assert.equal(memory[8], 0.5);
  memory.set([Number.NaN, 1, Number.NaN, -1], 8);
  simd.sigmoid(8, 4);
  assert.ok(Number.isNaN(memory[8]) && Number.isNaN(memory[10]), "a NaN input gives NaN, not a gate value");
  assertClose(memory[9], 1 / (1 + Math.exp(-1)), { absolute: 1e-7 });
}

Deno.test("SIMD matMulRows (accumulating) and matMulDotRows (× rightᵀ) match the naive products", () => {
  const simd = simdKernels()!;
  for (const [rows, inner, columns] of [[1, 1, 4], [5, 7, 12], [32, 14, 56], [3, 64, 256]]) {
    const left = Float32Array.from({ length: rows * inner }, (_, index) => Math.sin(index));
    const right = Float32Array.from({ length: inner * columns }, (_, index) => Math.cos(0.7 * index));
    const memory = simd.reserve(4 * (rows * inner + inner * columns + 2 * rows * columns) + 64);
    const rightAt = Math.ceil(rows * inner / 4) * 4, outAt = rightAt + Math.ceil(inner * columns / 4) * 4;
    memory.set(left, 0);
    memory.set(right, rightAt);
    memory.fill(1, outAt, outAt + rows * columns);
    simd.matMulRows(0, rightAt, outAt, rows, inner, columns);
    let worst = 0;
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        let sum = 1;
        for (let k = 0; k < inner; k++) sum += left[row * inner + k] * right[k * columns + column];
        worst = Math.max(worst, Math.abs(sum - memory[outAt + row * columns + column]));
      }
    }
    assert.ok(worst < 1e-5 * inner, `matMulRows ${rows}×${inner}×${columns}: ${worst}`);
    // Dot form: left' [rows, columns] × right' ᵀ where right' is [inner, columns]; inner dimension columns.
    simd.matMulDotRows(rightAt, rightAt, outAt, inner, columns, inner);
    worst = 0;
    for (let a = 0; a < inner; a++) {
      for (let b = 0; b < inner; b++) {
        let sum = 0;
        for (let k = 0; k < columns; k++) sum += right[a * columns + k] * right[b * columns + k];
        worst = Math.max(worst, Math.abs(sum - memory[outAt + a * inner + b]));
      }
    }
    assert.ok(worst < 1e-5 * columns, `matMulDotRows ${inner}×${columns}: ${worst}`);
  }
});

Deno.test("SIMD matMulTiles (4 × 8 register tiles, accumulating) matches the naive product, tails included", () => {
  const plain = instantiateSimdKernels(false);
  assert.ok(plain !== null, "the plain-SIMD variant assembles and validates");
  // Both variants: relaxed SIMD multiply-add (when this engine has it) and f32x4 mul + add.
  for (const simd of [plain, instantiateSimdKernels(true)]) {
    if (simd === null) continue;
    checkTiles(simd);
  }
});

function checkTiles(simd: SimdKernels): void {
  // Rows not multiples of 4 (row tails), columns ≡ 4 mod 8 (4-column tails), odd inner sizes, and the
  // LSTM's per-step products at hidden 64 ([32×64]·[64×256] forward, [32×256]·[256×64] backward).
  const shapes = [
    [1, 1, 4],
    [3, 5, 4],
    [5, 7, 12],
    [7, 3, 20],
    [6, 13, 8],
    [32, 64, 256],
    [32, 256, 64],
    [33, 63, 260],
  ];
  for (const [rows, inner, columns] of shapes) {
    const left = Float32Array.from({ length: rows * inner }, (_, index) => Math.sin(index));
    const right = Float32Array.from({ length: inner * columns }, (_, index) => Math.cos(0.7 * index));
    const initial = Float32Array.from({ length: rows * columns }, (_, index) => 0.01 * (index % 17) - 0.05);
    const rightAt = Math.ceil(rows * inner / 4) * 4 + 4, outAt = rightAt + Math.ceil(inner * columns / 4) * 4;
    const guard = outAt + rows * columns;
    const memory = simd.reserve(guard + 8);
    memory.set(left, 0);
    memory.set(right, rightAt);
    memory.set(initial, outAt);
    memory.fill(123, guard, guard + 8);
    simd.matMulTiles(0, rightAt, outAt, rows, inner, columns);
    // Tolerance: float32 sums of `inner` terms of magnitude ≤ 1, against float64 naive loops.
    let worst = 0;
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        let sum = initial[row * columns + column];
        for (let k = 0; k < inner; k++) sum += left[row * inner + k] * right[k * columns + column];
        worst = Math.max(worst, Math.abs(sum - memory[outAt + row * columns + column]));
      }
    }
    assert.ok(worst < 1e-6 * (inner + 1), `matMulTiles ${rows}×${inner}×${columns}: max error ${worst}`);
    assert.deepEqual(
      [...memory.subarray(guard, guard + 8)],
      new Array(8).fill(123),
      "nothing written past out",
    );
    assert.deepEqual(memory.subarray(0, rows * inner), left, "left unchanged");
  }
}

Deno.test("SIMD LSTM gate passes (forward and backward) match the plain float64 loops, in both variants", () => {
  for (const simd of [instantiateSimdKernels(false), instantiateSimdKernels(true)]) {
    if (simd === null) continue;
    // [windows, hidden]: one window of one vector, odd window counts, the hybrid's and the paper's sizes.
    for (const [windows, hidden] of [[1, 4], [3, 8], [5, 12], [32, 64]]) checkGates(simd, windows, hidden);
  }
});

function checkGates(simd: SimdKernels, windows: number, hidden: number): void {
  const random = createRandom(windows * 100 + hidden);
  const values = (count: number, scale: number) =>
    Float32Array.from({ length: count }, () => scale * random.normal());
  const gateWidth = 4 * hidden, block = windows * hidden;
  const preactivation = values(windows * gateWidth, 3);
  const previousCell = values(block, 1);
  const hiddenGradient = values(block, 1);
  const cellGradient = values(block, 1);
  // The plain loops, with two steps per window (row = window · 2 + step) so that step 1 reads step 0's
  // cell: forward at step 1 from c_0 = previousCell, backward at step 1.
  const shape = { batch: windows, steps: 2, hidden };
  const gates = new Float32Array(2 * windows * gateWidth);
  const cells = new Float32Array(2 * block), cellTanhs = new Float32Array(2 * block);
  const hiddens = new Float32Array(2 * block);
  const cellState = previousCell.slice(), hiddenState = new Float32Array(block);
  for (let window = 0; window < windows; window++) {
    cells.set(previousCell.subarray(window * hidden, (window + 1) * hidden), 2 * window * hidden);
  }
  forwardGates(shape, 1, preactivation, gates, cells, cellTanhs, hiddens, cellState, hiddenState);
  const expectedCellGradient = cellGradient.slice();
  const expectedGateGradient = new Float32Array(windows * gateWidth);
  backwardGates(
    shape,
    1,
    gates,
    cells,
    cellTanhs,
    hiddenGradient,
    expectedCellGradient,
    new Float32Array(2 * windows * gateWidth),
    expectedGateGradient,
  );
  const stepRows = (rows: Float32Array, width: number) => {
    const out = new Float32Array(windows * width);
    for (let window = 0; window < windows; window++) {
      out.set(rows.subarray((2 * window + 1) * width, (2 * window + 2) * width), window * width);
    }
    return out;
  };
  // The SIMD passes on one step-major block, with a guard after every region.
  const at = (index: number) => index * (windows * gateWidth + 8);
  const [gatesAt, previousAt, cellAt, tanhAt, hiddenAt, hiddenGradientAt, cellGradientAt, gateGradientAt] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ].map(at);
  const memory = simd.reserve(at(8));
  memory.fill(123);
  memory.set(preactivation, gatesAt);
  memory.set(previousCell, previousAt);
  memory.set(hiddenGradient, hiddenGradientAt);
  memory.set(cellGradient, cellGradientAt);
  simd.lstmGatesForward(gatesAt, previousAt, cellAt, tanhAt, hiddenAt, windows, hidden);
  simd.lstmGatesBackward(
    gatesAt,
    previousAt,
    tanhAt,
    hiddenGradientAt,
    cellGradientAt,
    gateGradientAt,
    windows,
    hidden,
  );
  const read = (offset: number, count: number) => memory.subarray(offset, offset + count);
  const label = `${windows} windows × hidden ${hidden}`;
  const tolerance = { absolute: 1e-6, relative: 1e-6 };
  assertClose(read(gatesAt, windows * gateWidth), stepRows(gates, gateWidth), {
    ...tolerance,
    label: `${label}: gates`,
  });
  assertClose(read(cellAt, block), stepRows(cells, hidden), { ...tolerance, label: `${label}: cell` });
  assertClose(read(tanhAt, block), stepRows(cellTanhs, hidden), {
    ...tolerance,
    label: `${label}: tanh(cell)`,
  });
  assertClose(read(hiddenAt, block), hiddenState, { ...tolerance, label: `${label}: hidden state` });
  assertClose(read(gateGradientAt, windows * gateWidth), expectedGateGradient, {
    ...tolerance,
    label: `${label}: gate gradient`,
  });
  assertClose(read(cellGradientAt, block), expectedCellGradient, {
    ...tolerance,
    label: `${label}: cell gradient`,
  });
  assert.deepEqual(read(previousAt, block), previousCell, "previous cell unchanged");
  for (let region = 0; region < 8; region++) {
    const end = region === 0 || region === 7 ? at(region) + windows * gateWidth : at(region) + block;
    assert.deepEqual(
      [...read(end, 8)],
      new Array(8).fill(123),
      `${label}: nothing written past region ${region}`,
    );
  }
}
