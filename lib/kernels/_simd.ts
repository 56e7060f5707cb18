/**
 * A small WebAssembly SIMD module for the hot loops of `lib/kernels`: an in-place float32 sigmoid, two
 * row-by-row matrix products and a register-tiled one, one LSTM step's gate pass forward and backward,
 * layer normalisation forward and backward, and Adam's update, four lanes at a time. The module is assembled here from its
 * instructions (no build step, no binary in the repository); `simdKernels()` returns null where
 * WebAssembly SIMD is unavailable, and the callers fall back to the plain loops of `_lstm_loops.ts`.
 *
 * Porting note: where the engine has relaxed SIMD, `matMulTiles` and the sigmoid's polynomial
 * accumulate with `f32x4.relaxed_madd`, which is fused (one rounding) on hardware with FMA and unfused
 * elsewhere, and the sigmoid clamps with the relaxed min/max (NaN kept, tested): results agree across
 * machines to float32 rounding, and bit for bit on one machine.
 *
 * Porting note: the sigmoid uses Cephes' float32 `expf` polynomial (relative error ~1e-7 over the
 * clamped range ±87), not the platform's `exp`; tfjs computes its sigmoid in float32 as well.
 *
 * @module
 */

import { MODULE_HEADER, name, section, signedLeb, unsignedLeb, vector } from "./_wasm_encoding.ts";

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

/** The instructions the kernels use. */
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number) => [0x0d, ...unsignedLeb(depth)],
  get: (local: number) => [0x20, ...unsignedLeb(local)],
  set: (local: number) => [0x21, ...unsignedLeb(local)],
  tee: (local: number) => [0x22, ...unsignedLeb(local)],
  i32: (value: number) => [0x41, ...signedLeb(value)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32GtU: [0x4b],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Div: [0x95],
  f32Sqrt: [0x91],
  f32Const: (value: number) => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)],
  /** f32.convert_i32_u */
  f32FromI32: [0xb3],
  simd: (code: number) => [0xfd, ...unsignedLeb(code)],
  v128Load: [0xfd, 0x00, 0x04, 0x00],
  v128Store: [0xfd, 0x0b, 0x04, 0x00],
  v128LoadAt: (offset: number) => [0xfd, 0x00, 0x04, ...unsignedLeb(offset)],
  v128StoreAt: (offset: number) => [0xfd, 0x0b, 0x04, ...unsignedLeb(offset)],
  f32x4Const: (
    value: number,
  ) => [0xfd, 0x0c, ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  i32x4Const: (
    value: number,
  ) => [0xfd, 0x0c, ...new Uint8Array(new Int32Array([value, value, value, value]).buffer)],
  f32x4Splat: [0xfd, 0x13],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Nearest: [0xfd, 0x6a],
  i32x4Shl: [0xfd, 0xab, 0x01],
  i32x4Add: [0xfd, 0xae, 0x01],
  f32x4Neg: [0xfd, 0xe1, 0x01],
  f32x4Sqrt: [0xfd, 0xe3, 0x01],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Sub: [0xfd, 0xe5, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  f32x4Div: [0xfd, 0xe7, 0x01],
  f32x4Min: [0xfd, 0xe8, 0x01],
  f32x4Max: [0xfd, 0xe9, 0x01],
  /** Relaxed SIMD: a · b + c, fused where the hardware has FMA (then rounded once). */
  f32x4RelaxedMadd: [0xfd, 0x85, 0x02],
  /** Relaxed SIMD: minps/maxps on x64 (the second operand where one is NaN). */
  f32x4RelaxedMin: [0xfd, 0x8d, 0x02],
  f32x4RelaxedMax: [0xfd, 0x8e, 0x02],
  /** Relaxed SIMD: truncation without saturation (exact for |x| < 2³¹). */
  i32x4RelaxedTruncF32x4S: [0xfd, 0x81, 0x02],
  i32x4TruncSatF32x4S: [0xfd, 0xf8, 0x01],
};

/** `for (counter = from; counter < limit; counter += step) body` (unsigned compare). */
function forLoop(counter: number, from: number[], limit: number[], step: number[], body: number[]): number[] {
  return [
    ...from,
    ...op.set(counter),
    ...op.block,
    ...op.loop,
    ...op.get(counter),
    ...limit,
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.get(counter),
    ...step,
    ...op.i32Add,
    ...op.set(counter),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

// ---- Kernels ----------------------------------------------------------------------------------

/**
 * The vector constants of one function body, held in v128 locals that its prologue sets once. Perf
 * note: V8 builds every `v128.const` in the loop anew (a general-purpose move and inserts on x64); in
 * locals the sigmoid runs ~2x faster. Same values, same results.
 */
class VectorConstants {
  #locals = new Map<string, { local: number; code: number[] }>();
  /** Constants take the v128 locals from `firstLocal` on. */
  constructor(readonly firstLocal: number) {}
  /** Code pushing the float32 splat `value`. */
  f32(value: number): number[] {
    return this.#get(`f${Math.fround(value)}`, op.f32x4Const(value));
  }
  /** Code pushing the int32 splat `value`. */
  i32(value: number): number[] {
    return this.#get(`i${value}`, op.i32x4Const(value));
  }
  /** Locals used so far. */
  get count(): number {
    return this.#locals.size;
  }
  /** Sets every constant's local; put it before the body's loops. */
  prologue(): number[] {
    return [...this.#locals.values()].flatMap(({ local, code }) => [...code, ...op.set(local)]);
  }
  #get(key: string, code: number[]): number[] {
    let entry = this.#locals.get(key);
    if (!entry) {
      entry = { local: this.firstLocal + this.#locals.size, code };
      this.#locals.set(key, entry);
    }
    return op.get(entry.local);
  }
}

/** sigmoid(pointer, count): x ← σ(x) ({@link sigmoidOf}) for `count` floats (a multiple of 4) in place. */
function sigmoidBody(relaxed: boolean): { locals: number[][]; code: number[] } {
  const [pointer, count, end] = [0, 1, 2];
  const scratch: SigmoidScratch = { y: 3, k: 4, r: 5, p: 6 };
  const constants = new VectorConstants(7);
  const body = [
    ...op.get(pointer),
    ...sigmoidOf([...op.get(pointer), ...op.v128Load], relaxed, scratch, constants),
    ...op.v128Store,
  ];
  const code = [
    ...constants.prologue(),
    ...op.get(pointer),
    ...op.get(count),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.set(end),
    ...forLoop(pointer, op.get(pointer), op.get(end), op.i32(16), body),
  ];
  return { locals: [[1, I32], [4 + constants.count, V128]], code };
}

/** Four v128 locals {@link sigmoidOf} may overwrite. */
interface SigmoidScratch {
  y: number;
  k: number;
  r: number;
  p: number;
}

/**
 * Code that leaves σ(x) = 1 / (1 + e^{−x}) on the stack, four lanes, x pushed by `input`.
 * e^y: clamp y to ±87, k = nearest(y·log₂e), r = y − k·ln2 (Cephes' two-part ln2), Cephes' degree-6
 * polynomial for e^r, times 2^k built in the exponent bits.
 */
function sigmoidOf(
  input: number[],
  relaxed: boolean,
  scratch: SigmoidScratch,
  constants: VectorConstants,
): number[] {
  const { y, k, r, p } = scratch;
  const polynomial = [
    1.9875691500e-4,
    1.3981999507e-3,
    8.3334519073e-3,
    4.1665795894e-2,
    1.6666665459e-1,
    5.0000001201e-1,
  ];
  // p = ((((c0·r + c1)·r + c2)·r + c3)·r + c4)·r + c5
  let horner = [...constants.f32(polynomial[0])];
  for (const coefficient of polynomial.slice(1)) {
    horner = relaxed
      ? [...horner, ...op.get(r), ...constants.f32(coefficient), ...op.f32x4RelaxedMadd]
      : [...horner, ...op.get(r), ...op.f32x4Mul, ...constants.f32(coefficient), ...op.f32x4Add];
  }
  return [
    // y = clamp(−x, −87, 87). Perf note: wasm's f32x4.min/max (NaN- and −0-exact) are ~8 x64
    // instructions each; the relaxed ones are one, with y second so that a NaN x stays NaN on x64.
    ...(relaxed
      ? [
        ...constants.f32(87),
        ...input,
        ...op.f32x4Neg,
        ...op.f32x4RelaxedMin,
        ...op.set(y),
        ...constants.f32(-87),
        ...op.get(y),
        ...op.f32x4RelaxedMax,
      ]
      : [
        ...input,
        ...op.f32x4Neg,
        ...constants.f32(87),
        ...op.f32x4Min,
        ...constants.f32(-87),
        ...op.f32x4Max,
      ]),
    ...op.tee(y),
    // k = nearest(y · log2 e)
    ...constants.f32(1.44269504088896341),
    ...op.f32x4Mul,
    ...op.f32x4Nearest,
    ...op.set(k),
    // r = y − k·0.693359375 + k·2.12194440e−4
    ...op.get(y),
    ...op.get(k),
    ...constants.f32(0.693359375),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
    ...op.get(k),
    ...constants.f32(2.12194440e-4),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(r),
    // p = horner(r) · r² + r + 1
    ...horner,
    ...op.get(r),
    ...op.get(r),
    ...op.f32x4Mul,
    ...op.f32x4Mul,
    ...op.get(r),
    ...op.f32x4Add,
    ...constants.f32(1),
    ...op.f32x4Add,
    ...op.set(p),
    // 2^k = bits((int(k) + 127) << 23)
    ...op.get(p),
    ...op.get(k),
    ...(relaxed ? op.i32x4RelaxedTruncF32x4S : op.i32x4TruncSatF32x4S),
    ...constants.i32(127),
    ...op.i32x4Add,
    ...op.i32(23),
    ...op.i32x4Shl,
    ...op.f32x4Mul,
    // 1 / (1 + e^y)
    ...constants.f32(1),
    ...op.f32x4Add,
    ...op.set(y),
    ...constants.f32(1),
    ...op.get(y),
    ...op.f32x4Div,
  ];
}

/**
 * matMulRows(left, right, out, rows, inner, columns): out[r, :] += Σ_k left[r, k] · right[k, :], all
 * row-major float32 at byte addresses, `columns` a multiple of 4. Perf note: i-k-j order, the j loop
 * four lanes wide over contiguous rows of `right` and `out`.
 */
function matMulRowsBody(): { locals: number[][]; code: number[] } {
  const [left, right, out, rows, inner, columns] = [0, 1, 2, 3, 4, 5];
  const [row, k, column, scale, outRow, rightRow, rowBytes] = [6, 7, 8, 9, 10, 11, 12];
  const columnLoop = forLoop(column, op.i32(0), op.get(rowBytes), op.i32(16), [
    ...op.get(outRow),
    ...op.get(column),
    ...op.i32Add,
    ...op.get(outRow),
    ...op.get(column),
    ...op.i32Add,
    ...op.v128Load,
    ...op.get(scale),
    ...op.get(rightRow),
    ...op.get(column),
    ...op.i32Add,
    ...op.v128Load,
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.v128Store,
  ]);
  const kLoop = forLoop(k, op.i32(0), op.get(inner), op.i32(1), [
    // scale = splat(left[row·inner + k]); rightRow = right + k·rowBytes
    ...op.get(left),
    ...op.get(row),
    ...op.get(inner),
    ...op.i32Mul,
    ...op.get(k),
    ...op.i32Add,
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
    ...op.f32x4Splat,
    ...op.set(scale),
    ...op.get(right),
    ...op.get(k),
    ...op.get(rowBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.set(rightRow),
    ...columnLoop,
  ]);
  const rowLoop = forLoop(row, op.i32(0), op.get(rows), op.i32(1), [
    ...op.get(out),
    ...op.get(row),
    ...op.get(rowBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.set(outRow),
    ...kLoop,
  ]);
  const code = [...op.get(columns), ...op.i32(2), ...op.i32Shl, ...op.set(rowBytes), ...rowLoop];
  return { locals: [[3, I32], [1, V128], [3, I32]], code };
}

/**
 * matMulDotRows(left, right, out, rows, inner, columns): out[r, c] = Σ_k left[r, k] · right[c, k]
 * (right is [columns, inner], i.e. the product with rightᵀ), `inner` a multiple of 4: four-lane dot
 * products of contiguous rows, lanes summed at the end of each.
 */
function matMulDotRowsBody(): { locals: number[][]; code: number[] } {
  const [left, right, out, rows, inner, columns] = [0, 1, 2, 3, 4, 5];
  const [row, column, k, leftRow, rightRow, innerBytes, sum] = [6, 7, 8, 9, 10, 11, 12];
  const kLoop = forLoop(k, op.i32(0), op.get(innerBytes), op.i32(16), [
    ...op.get(sum),
    ...op.get(leftRow),
    ...op.get(k),
    ...op.i32Add,
    ...op.v128Load,
    ...op.get(rightRow),
    ...op.get(k),
    ...op.i32Add,
    ...op.v128Load,
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(sum),
  ]);
  const columnLoop = forLoop(column, op.i32(0), op.get(columns), op.i32(1), [
    ...op.f32x4Const(0),
    ...op.set(sum),
    ...op.get(right),
    ...op.get(column),
    ...op.get(innerBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.set(rightRow),
    ...kLoop,
    // out[row·columns + column] = (s0 + s1) + (s2 + s3)
    ...op.get(out),
    ...op.get(row),
    ...op.get(columns),
    ...op.i32Mul,
    ...op.get(column),
    ...op.i32Add,
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.get(sum),
    ...op.f32x4ExtractLane(0),
    ...op.get(sum),
    ...op.f32x4ExtractLane(1),
    ...op.f32Add,
    ...op.get(sum),
    ...op.f32x4ExtractLane(2),
    ...op.get(sum),
    ...op.f32x4ExtractLane(3),
    ...op.f32Add,
    ...op.f32Add,
    ...op.f32Store,
  ]);
  const rowLoop = forLoop(row, op.i32(0), op.get(rows), op.i32(1), [
    ...op.get(left),
    ...op.get(row),
    ...op.get(innerBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.set(leftRow),
    ...columnLoop,
  ]);
  const code = [...op.get(inner), ...op.i32(2), ...op.i32Shl, ...op.set(innerBytes), ...rowLoop];
  return { locals: [[6, I32], [1, V128]], code };
}

/** Rows × four-lane vectors of one register tile of {@link matMulTilesBody}. */
const TILE_ROWS = 4, TILE_VECTORS = 2;

/**
 * matMulTiles(left, right, out, rows, inner, columns): out[r, :] += Σ_k left[r, k] · right[k, :], all
 * row-major float32 at byte addresses, `columns` a multiple of 4, any `rows` and `inner`.
 * Perf note: register blocking — each tile of 4 rows × 8 columns keeps its 8 accumulators in v128
 * locals through the whole k loop (one splat of left per row and two vector loads of right per k), so
 * out is loaded and stored once per tile instead of once per k as in {@link matMulRowsBody}. Panels
 * of 8 columns run 4-row tiles, then single rows; a last 4-column panel the same. 8 accumulators + 2 right vectors + 1 splat
 * stay within x64's 16 vector registers.
 */
function matMulTilesBody(fused: boolean): { locals: number[][]; code: number[] } {
  const [left, right, out, rows, inner, columns] = [0, 1, 2, 3, 4, 5];
  const [row, column, k, rowBytes, innerBytes, rightAt] = [6, 7, 8, 9, 10, 11];
  const leftRow = (r: number) => 12 + r; // 4 locals
  const outRow = (r: number) => 16 + r; // 4 locals
  const vectorBase = 20;
  const accumulator = (r: number, v: number) => vectorBase + r * TILE_VECTORS + v;
  const rightVector = (v: number) => vectorBase + TILE_ROWS * TILE_VECTORS + v;
  const scale = vectorBase + TILE_ROWS * TILE_VECTORS + TILE_VECTORS;
  const tile = (tileRows: number, vectors: number): number[] => {
    const code: number[] = [];
    for (let r = 0; r < tileRows; r++) {
      // leftRow_r = left + (row + r)·innerBytes; outRow_r = out + (row + r)·rowBytes + column
      code.push(
        ...op.get(left),
        ...op.get(row),
        ...op.i32(r),
        ...op.i32Add,
        ...op.get(innerBytes),
        ...op.i32Mul,
        ...op.i32Add,
        ...op.set(leftRow(r)),
        ...op.get(out),
        ...op.get(row),
        ...op.i32(r),
        ...op.i32Add,
        ...op.get(rowBytes),
        ...op.i32Mul,
        ...op.i32Add,
        ...op.get(column),
        ...op.i32Add,
        ...op.tee(outRow(r)),
      );
      for (let v = 0; v < vectors; v++) {
        if (v > 0) code.push(...op.get(outRow(r)));
        code.push(...op.v128LoadAt(16 * v), ...op.set(accumulator(r, v)));
      }
    }
    code.push(...op.get(right), ...op.get(column), ...op.i32Add, ...op.set(rightAt));
    const kBody: number[] = [];
    for (let v = 0; v < vectors; v++) {
      kBody.push(...op.get(rightAt), ...op.v128LoadAt(16 * v), ...op.set(rightVector(v)));
    }
    for (let r = 0; r < tileRows; r++) {
      kBody.push(...op.get(leftRow(r)), ...op.get(k), ...op.i32Add, ...op.f32Load, ...op.f32x4Splat);
      kBody.push(...op.set(scale));
      for (let v = 0; v < vectors; v++) {
        kBody.push(
          ...(fused
            ? [
              ...op.get(scale),
              ...op.get(rightVector(v)),
              ...op.get(accumulator(r, v)),
              ...op.f32x4RelaxedMadd,
            ]
            : [
              ...op.get(accumulator(r, v)),
              ...op.get(scale),
              ...op.get(rightVector(v)),
              ...op.f32x4Mul,
              ...op.f32x4Add,
            ]),
          ...op.set(accumulator(r, v)),
        );
      }
    }
    kBody.push(...op.get(rightAt), ...op.get(rowBytes), ...op.i32Add, ...op.set(rightAt));
    code.push(...forLoop(k, op.i32(0), op.get(innerBytes), op.i32(4), kBody));
    for (let r = 0; r < tileRows; r++) {
      for (let v = 0; v < vectors; v++) {
        code.push(...op.get(outRow(r)), ...op.get(accumulator(r, v)), ...op.v128StoreAt(16 * v));
      }
    }
    return code;
  };
  /** Row loop over one panel of `vectors` × 4 columns: full row tiles while they fit, then single rows. */
  const rowPass = (vectors: number): number[] => [
    ...op.i32(0),
    ...op.set(row),
    ...whileFits(row, TILE_ROWS, rows, tile(TILE_ROWS, vectors)),
    ...whileFits(row, 1, rows, tile(1, vectors)),
  ];
  // Perf note: column panels outside, rows inside, so one panel of right (inner × 32 bytes) stays in
  // L1 while every row block passes over it (rows outside: 133 µs instead of 52 µs at [32×64]·[64×256]).
  const code = [
    ...op.get(columns),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(rowBytes),
    ...op.get(inner),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(innerBytes),
    ...op.i32(0),
    ...op.set(column),
    ...whileFits(column, 16 * TILE_VECTORS, rowBytes, rowPass(TILE_VECTORS)),
    ...whileFits(column, 16, rowBytes, rowPass(1)),
  ];
  return {
    locals: [[14, I32], [TILE_ROWS * TILE_VECTORS + TILE_VECTORS + 1, V128]],
    code,
  };
}

/** Byte address `base + offset + gate · gateBytes` (i32 locals) on the stack. */
function gateAddress(base: number, offset: number, gate: number, gateBytes: number): number[] {
  return [
    ...op.get(base),
    ...op.get(offset),
    ...op.i32Add,
    ...(gate === 0 ? [] : [...op.get(gateBytes), ...op.i32(gate), ...op.i32Mul, ...op.i32Add]),
  ];
}

/**
 * `for window < windows: for unit < hidden (4 at a time): body`, with `gateAt` / `stateAt` the byte
 * offsets of the 4 units in a [windows, 4·hidden] gate block and a [windows, hidden] state block.
 */
function gateLoops(
  locals: { windows: number; hidden: number; window: number; unit: number; gateBytes: number },
  rows: { gateRow: number; stateRow: number; gateAt: number; stateAt: number },
  body: number[],
): number[] {
  const { windows, hidden, window, unit, gateBytes } = locals;
  const { gateRow, stateRow, gateAt, stateAt } = rows;
  const unitLoop = forLoop(unit, op.i32(0), op.get(gateBytes), op.i32(16), [
    ...op.get(gateRow),
    ...op.get(unit),
    ...op.i32Add,
    ...op.set(gateAt),
    ...op.get(stateRow),
    ...op.get(unit),
    ...op.i32Add,
    ...op.set(stateAt),
    ...body,
  ]);
  return [
    ...op.get(hidden),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(gateBytes),
    ...op.i32(0),
    ...op.set(gateRow),
    ...op.i32(0),
    ...op.set(stateRow),
    ...forLoop(window, op.i32(0), op.get(windows), op.i32(1), [
      ...unitLoop,
      ...op.get(gateRow),
      ...op.get(gateBytes),
      ...op.i32(2),
      ...op.i32Shl,
      ...op.i32Add,
      ...op.set(gateRow),
      ...op.get(stateRow),
      ...op.get(gateBytes),
      ...op.i32Add,
      ...op.set(stateRow),
    ]),
  ];
}

/**
 * lstmGatesForward(gates, previousCell, cell, cellTanh, hiddenState, windows, hidden): one LSTM step's
 * gate pass for `windows` rows, all byte addresses, `hidden` a multiple of 4. `gates` [windows,
 * 4·hidden] holds the pre-activations (i, f, c, o blocks) and is overwritten by the activated gates σ(i),
 * σ(f), tanh(c), σ(o); `cell` ← σ(f)·previousCell + σ(i)·tanh(c), `cellTanh` ← tanh(cell), `hiddenState`
 * ← σ(o)·tanh(cell), each [windows, hidden]. tanh(z) = 2σ(2z) − 1 with {@link sigmoidOf}'s σ.
 */
function lstmGatesForwardBody(relaxed: boolean): { locals: number[][]; code: number[] } {
  const [gates, previousCell, cell, cellTanh, hiddenState, windows, hidden] = [0, 1, 2, 3, 4, 5, 6];
  const [window, unit, gateBytes, gateRow, stateRow, gateAt, stateAt] = [7, 8, 9, 10, 11, 12, 13];
  const [inputGate, forgetGate, candidate, outputGate, cellValue, tanhValue] = [14, 15, 16, 17, 18, 19];
  const scratch: SigmoidScratch = { y: 20, k: 21, r: 22, p: 23 };
  const constants = new VectorConstants(24);
  const gate = (index: number) => gateAddress(gates, gateAt, index, gateBytes);
  const state = (base: number) => [...op.get(base), ...op.get(stateAt), ...op.i32Add];
  const doubledSigmoidMinusOne = (input: number[]) => [
    ...sigmoidOf([...input, ...constants.f32(2), ...op.f32x4Mul], relaxed, scratch, constants),
    ...constants.f32(2),
    ...op.f32x4Mul,
    ...constants.f32(1),
    ...op.f32x4Sub,
  ];
  const body = [
    ...sigmoidOf([...gate(0), ...op.v128Load], relaxed, scratch, constants),
    ...op.set(inputGate),
    ...sigmoidOf([...gate(1), ...op.v128Load], relaxed, scratch, constants),
    ...op.set(forgetGate),
    ...doubledSigmoidMinusOne([...gate(2), ...op.v128Load]),
    ...op.set(candidate),
    ...sigmoidOf([...gate(3), ...op.v128Load], relaxed, scratch, constants),
    ...op.set(outputGate),
    ...gate(0),
    ...op.get(inputGate),
    ...op.v128Store,
    ...gate(1),
    ...op.get(forgetGate),
    ...op.v128Store,
    ...gate(2),
    ...op.get(candidate),
    ...op.v128Store,
    ...gate(3),
    ...op.get(outputGate),
    ...op.v128Store,
    // c = σ(f)·c_prev + σ(i)·tanh(z_c)
    ...op.get(forgetGate),
    ...state(previousCell),
    ...op.v128Load,
    ...op.f32x4Mul,
    ...op.get(inputGate),
    ...op.get(candidate),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(cellValue),
    ...state(cell),
    ...op.get(cellValue),
    ...op.v128Store,
    ...doubledSigmoidMinusOne(op.get(cellValue)),
    ...op.set(tanhValue),
    ...state(cellTanh),
    ...op.get(tanhValue),
    ...op.v128Store,
    ...state(hiddenState),
    ...op.get(outputGate),
    ...op.get(tanhValue),
    ...op.f32x4Mul,
    ...op.v128Store,
  ];
  const loops = gateLoops({ windows, hidden, window, unit, gateBytes }, {
    gateRow,
    stateRow,
    gateAt,
    stateAt,
  }, body);
  return { locals: [[7, I32], [10 + constants.count, V128]], code: [...constants.prologue(), ...loops] };
}

/**
 * lstmGatesBackward(gates, previousCell, cellTanh, hiddenGradient, cellGradient, gateGradient, windows,
 * hidden): one LSTM step's backward gate pass, byte addresses, `hidden` a multiple of 4. Reads the
 * activated `gates` [windows, 4·hidden] and `cellTanh`, `previousCell` and `hiddenGradient` (the gradient
 * reaching h_t) [windows, hidden]; writes the pre-activation gradient `gateGradient` [windows, 4·hidden]
 * and updates `cellGradient` [windows, hidden] in place from the gradient reaching c_t (from step t + 1)
 * to the one reaching c_{t−1}. The formulas of `_lstm_loops.ts`' `backwardGates`, in float32.
 */
function lstmGatesBackwardBody(): { locals: number[][]; code: number[] } {
  const [gates, previousCell, cellTanh, hiddenGradient, cellGradient, gateGradient, windows, hidden] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ];
  const [window, unit, gateBytes, gateRow, stateRow, gateAt, stateAt] = [8, 9, 10, 11, 12, 13, 14];
  const [inputGate, forgetGate, candidate, outputGate, tanhValue, dHidden, dCell] = [
    15,
    16,
    17,
    18,
    19,
    20,
    21,
  ];
  const constants = new VectorConstants(22);
  const gate = (index: number) => gateAddress(gates, gateAt, index, gateBytes);
  const gradient = (index: number) => gateAddress(gateGradient, gateAt, index, gateBytes);
  const state = (base: number) => [...op.get(base), ...op.get(stateAt), ...op.i32Add];
  /** s·(1 − s) of a sigmoid gate s, multiplied onto the value on the stack. */
  const timesSigmoidSlope = (local: number) => [
    ...op.get(local),
    ...op.f32x4Mul,
    ...constants.f32(1),
    ...op.get(local),
    ...op.f32x4Sub,
    ...op.f32x4Mul,
  ];
  /** 1 − v² of a local. */
  const oneMinusSquare = (local: number) => [
    ...constants.f32(1),
    ...op.get(local),
    ...op.get(local),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
  ];
  const body = [
    ...gate(0),
    ...op.v128Load,
    ...op.set(inputGate),
    ...gate(1),
    ...op.v128Load,
    ...op.set(forgetGate),
    ...gate(2),
    ...op.v128Load,
    ...op.set(candidate),
    ...gate(3),
    ...op.v128Load,
    ...op.set(outputGate),
    ...state(cellTanh),
    ...op.v128Load,
    ...op.set(tanhValue),
    ...state(hiddenGradient),
    ...op.v128Load,
    ...op.set(dHidden),
    // dc = dc_next + dh·o·(1 − tanh²c)
    ...state(cellGradient),
    ...op.v128Load,
    ...op.get(dHidden),
    ...op.get(outputGate),
    ...op.f32x4Mul,
    ...oneMinusSquare(tanhValue),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(dCell),
    // d z_i = dc·tanh(z_c)·σ'(z_i)
    ...gradient(0),
    ...op.get(dCell),
    ...op.get(candidate),
    ...op.f32x4Mul,
    ...timesSigmoidSlope(inputGate),
    ...op.v128Store,
    // d z_f = dc·c_prev·σ'(z_f)
    ...gradient(1),
    ...op.get(dCell),
    ...state(previousCell),
    ...op.v128Load,
    ...op.f32x4Mul,
    ...timesSigmoidSlope(forgetGate),
    ...op.v128Store,
    // d z_c = dc·σ(z_i)·(1 − tanh²z_c)
    ...gradient(2),
    ...op.get(dCell),
    ...op.get(inputGate),
    ...op.f32x4Mul,
    ...oneMinusSquare(candidate),
    ...op.f32x4Mul,
    ...op.v128Store,
    // d z_o = dh·tanh(c)·σ'(z_o)
    ...gradient(3),
    ...op.get(dHidden),
    ...op.get(tanhValue),
    ...op.f32x4Mul,
    ...timesSigmoidSlope(outputGate),
    ...op.v128Store,
    // the gradient reaching c_{t−1}
    ...state(cellGradient),
    ...op.get(dCell),
    ...op.get(forgetGate),
    ...op.f32x4Mul,
    ...op.v128Store,
  ];
  const loops = gateLoops({ windows, hidden, window, unit, gateBytes }, {
    gateRow,
    stateRow,
    gateAt,
    stateAt,
  }, body);
  return { locals: [[7, I32], [7 + constants.count, V128]], code: [...constants.prologue(), ...loops] };
}

/** `local = base + row · rowBytes` (i32 locals). */
function rowStart(base: number, row: number, rowBytes: number, local: number): number[] {
  return [...op.get(base), ...op.get(row), ...op.get(rowBytes), ...op.i32Mul, ...op.i32Add, ...op.set(local)];
}

/** `rowBytes = width · 4; for (row = 0; row < rows; row++) body` (i32 locals). */
function forEachRow(rows: number, width: number, row: number, rowBytes: number, body: number[]): number[] {
  return [
    ...op.get(width),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(rowBytes),
    ...forLoop(row, op.i32(0), op.get(rows), op.i32(1), body),
  ];
}

/** A row's mean as the wasm backend's Mean computes it: the in-order float32 sum / float32(width). */
function rowMean(sumLocal: number, width: number): number[] {
  return [...op.get(sumLocal), ...op.get(width), ...op.f32FromI32, ...op.f32Div];
}

/**
 * layerNormForward(x, gamma, beta, out, normalised, inverse, rows, width, epsilon): tfjs' layer norm
 * (`layer_norm.ts`'s forward ops) on `rows` rows of `width` (a multiple of 4) float32 values, byte
 * addresses. In the order and float32 rounding of the wasm backend's kernels, so bit for bit its result
 * (tested): mean = (Σ x, in order) / width; c = x − mean; variance = (Σ c·c, in order) / width;
 * inverse = 1 / sqrt(variance + epsilon); normalised = c · inverse; out = normalised · gamma + beta.
 */
function layerNormForwardBody(): { locals: number[][]; code: number[] } {
  const [x, gamma, beta, out, normalised, inverse, rows, width, epsilon] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [row, column, rowBytes, xRow, normalisedRow, outRow] = [9, 10, 11, 12, 13, 14];
  const [sum, mean, scale, centred] = [15, 16, 17, 18];
  const [scaleVector] = [19];
  const at = (base: number) => [...op.get(base), ...op.get(column), ...op.i32Add];
  const meanOf = (sumLocal: number) => rowMean(sumLocal, width);
  const body = [
    ...rowStart(x, row, rowBytes, xRow),
    ...rowStart(normalised, row, rowBytes, normalisedRow),
    ...rowStart(out, row, rowBytes, outRow),
    // mean = (Σ x) / width
    ...op.f32Const(0),
    ...op.set(sum),
    ...forLoop(column, op.i32(0), op.get(rowBytes), op.i32(4), [
      ...op.get(sum),
      ...at(xRow),
      ...op.f32Load,
      ...op.f32Add,
      ...op.set(sum),
    ]),
    ...meanOf(sum),
    ...op.set(mean),
    // c = x − mean (into normalised), Σ c·c
    ...op.f32Const(0),
    ...op.set(sum),
    ...forLoop(column, op.i32(0), op.get(rowBytes), op.i32(4), [
      ...at(xRow),
      ...op.f32Load,
      ...op.get(mean),
      ...op.f32Sub,
      ...op.set(centred),
      ...at(normalisedRow),
      ...op.get(centred),
      ...op.f32Store,
      ...op.get(sum),
      ...op.get(centred),
      ...op.get(centred),
      ...op.f32Mul,
      ...op.f32Add,
      ...op.set(sum),
    ]),
    // inverse = 1 / sqrt(variance + epsilon)
    ...op.f32Const(1),
    ...meanOf(sum),
    ...op.get(epsilon),
    ...op.f32Add,
    ...op.f32Sqrt,
    ...op.f32Div,
    ...op.set(scale),
    ...op.get(inverse),
    ...op.get(row),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.get(scale),
    ...op.f32Store,
    ...op.get(scale),
    ...op.f32x4Splat,
    ...op.set(scaleVector),
    // normalised = c · inverse; out = normalised · gamma + beta
    ...forLoop(column, op.i32(0), op.get(rowBytes), op.i32(16), [
      ...at(normalisedRow),
      ...at(normalisedRow),
      ...op.v128Load,
      ...op.get(scaleVector),
      ...op.f32x4Mul,
      ...op.v128Store,
      ...at(outRow),
      ...at(normalisedRow),
      ...op.v128Load,
      ...at(gamma),
      ...op.v128Load,
      ...op.f32x4Mul,
      ...at(beta),
      ...op.v128Load,
      ...op.f32x4Add,
      ...op.v128Store,
    ]),
  ];
  return { locals: [[6, I32], [4, F32], [1, V128]], code: forEachRow(rows, width, row, rowBytes, body) };
}

/**
 * layerNormBackward(outputGradient, normalised, inverse, gamma, inputGradient, gammaGradient,
 * betaGradient, rows, width): the gradients of {@link layerNormForwardBody} in the order and float32
 * rounding of `layer_norm.ts`' backward ops on the wasm backend (bit for bit, tested): g = dy · gamma;
 * dx = ((g − mean(g)) − normalised · mean(g · normalised)) · inverse, means over each row in order;
 * gammaGradient += Σ_rows dy · normalised and betaGradient += Σ_rows dy, row after row (both start at 0).
 */
function layerNormBackwardBody(): { locals: number[][]; code: number[] } {
  const [dy, normalised, inverse, gamma, dx, gammaGradient, betaGradient, rows, width] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
  ];
  const [row, column, rowBytes, dyRow, normalisedRow, dxRow] = [9, 10, 11, 12, 13, 14];
  const [projectionSum, gradientSum, scaled] = [15, 16, 17];
  const [scaledVector, gradientMean, projectionMean, inverseVector] = [18, 19, 20, 21];
  const at = (base: number) => [...op.get(base), ...op.get(column), ...op.i32Add];
  const meanOf = (sumLocal: number) => [...rowMean(sumLocal, width), ...op.f32x4Splat];
  const body = [
    ...rowStart(dy, row, rowBytes, dyRow),
    ...rowStart(normalised, row, rowBytes, normalisedRow),
    ...rowStart(dx, row, rowBytes, dxRow),
    // Σ g·normalised and Σ g, in order
    ...op.f32Const(0),
    ...op.set(projectionSum),
    ...op.f32Const(0),
    ...op.set(gradientSum),
    ...forLoop(column, op.i32(0), op.get(rowBytes), op.i32(4), [
      ...at(dyRow),
      ...op.f32Load,
      ...at(gamma),
      ...op.f32Load,
      ...op.f32Mul,
      ...op.set(scaled),
      ...op.get(projectionSum),
      ...op.get(scaled),
      ...at(normalisedRow),
      ...op.f32Load,
      ...op.f32Mul,
      ...op.f32Add,
      ...op.set(projectionSum),
      ...op.get(gradientSum),
      ...op.get(scaled),
      ...op.f32Add,
      ...op.set(gradientSum),
    ]),
    ...meanOf(gradientSum),
    ...op.set(gradientMean),
    ...meanOf(projectionSum),
    ...op.set(projectionMean),
    ...op.get(inverse),
    ...op.get(row),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
    ...op.f32x4Splat,
    ...op.set(inverseVector),
    ...forLoop(column, op.i32(0), op.get(rowBytes), op.i32(16), [
      // dx = ((g − mean g) − normalised · mean(g·normalised)) · inverse
      ...at(dyRow),
      ...op.v128Load,
      ...at(gamma),
      ...op.v128Load,
      ...op.f32x4Mul,
      ...op.set(scaledVector),
      ...at(dxRow),
      ...op.get(scaledVector),
      ...op.get(gradientMean),
      ...op.f32x4Sub,
      ...at(normalisedRow),
      ...op.v128Load,
      ...op.get(projectionMean),
      ...op.f32x4Mul,
      ...op.f32x4Sub,
      ...op.get(inverseVector),
      ...op.f32x4Mul,
      ...op.v128Store,
      // gammaGradient += dy · normalised; betaGradient += dy
      ...at(gammaGradient),
      ...at(gammaGradient),
      ...op.v128Load,
      ...at(dyRow),
      ...op.v128Load,
      ...at(normalisedRow),
      ...op.v128Load,
      ...op.f32x4Mul,
      ...op.f32x4Add,
      ...op.v128Store,
      ...at(betaGradient),
      ...at(betaGradient),
      ...op.v128Load,
      ...at(dyRow),
      ...op.v128Load,
      ...op.f32x4Add,
      ...op.v128Store,
    ]),
  ];
  return { locals: [[6, I32], [3, F32], [4, V128]], code: forEachRow(rows, width, row, rowBytes, body) };
}

/**
 * adamUpdate(value, gradient, first, second, count, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
 * rootCorrection2, epsilon, rate[, decay]): one Adam step (`lib/train`'s, PyTorch's formula) over `count`
 * (a multiple of 4) float32 values at byte addresses, in place: with g the gradient (plus decay · value
 * when `decayed`), m ← m·β₁ + g·(1−β₁), v ← v·β₂ + g²·(1−β₂), value ← value − (m·rate) / (√v / √(1−β₂ᵗ) +
 * ε). Every operation is one float32 operation in the host loop's order, so the bits are its bits.
 */
function adamUpdateBody(decayed: boolean): { locals: number[][]; code: number[] } {
  const [value, gradient, first, second, count] = [0, 1, 2, 3, 4];
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, rootCorrection2, epsilon, rate] = [
    5,
    6,
    7,
    8,
    9,
    10,
    11,
  ];
  const decay = 12;
  const firstLocal = decayed ? 13 : 12;
  const [at, end] = [firstLocal, firstLocal + 1];
  const [b1, c1, b2, c2, root, eps, step, decayVector, g, m, v] = Array.from(
    { length: 11 },
    (_, index) => firstLocal + 2 + index,
  );
  const address = (base: number) => [...op.get(base), ...op.get(at), ...op.i32Add];
  const splat = (scalar: number, vector: number) => [...op.get(scalar), ...op.f32x4Splat, ...op.set(vector)];
  const body = [
    // g (+ value · decay)
    ...address(gradient),
    ...op.v128Load,
    ...(decayed
      ? [...address(value), ...op.v128Load, ...op.get(decayVector), ...op.f32x4Mul, ...op.f32x4Add]
      : []),
    ...op.set(g),
    // m = m·β₁ + g·(1−β₁)
    ...address(first),
    ...op.v128Load,
    ...op.get(b1),
    ...op.f32x4Mul,
    ...op.get(g),
    ...op.get(c1),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(m),
    ...address(first),
    ...op.get(m),
    ...op.v128Store,
    // v = v·β₂ + (g·g)·(1−β₂)
    ...address(second),
    ...op.v128Load,
    ...op.get(b2),
    ...op.f32x4Mul,
    ...op.get(g),
    ...op.get(g),
    ...op.f32x4Mul,
    ...op.get(c2),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(v),
    ...address(second),
    ...op.get(v),
    ...op.v128Store,
    // value = value − (m·rate) / (√v / √(1−β₂ᵗ) + ε)
    ...address(value),
    ...address(value),
    ...op.v128Load,
    ...op.get(m),
    ...op.get(step),
    ...op.f32x4Mul,
    ...op.get(v),
    ...op.f32x4Sqrt,
    ...op.get(root),
    ...op.f32x4Div,
    ...op.get(eps),
    ...op.f32x4Add,
    ...op.f32x4Div,
    ...op.f32x4Sub,
    ...op.v128Store,
  ];
  return {
    locals: [[2, I32], [11, V128]],
    code: [
      ...splat(beta1, b1),
      ...splat(oneMinusBeta1, c1),
      ...splat(beta2, b2),
      ...splat(oneMinusBeta2, c2),
      ...splat(rootCorrection2, root),
      ...splat(epsilon, eps),
      ...splat(rate, step),
      ...(decayed ? splat(decay, decayVector) : []),
      ...op.get(count),
      ...op.i32(2),
      ...op.i32Shl,
      ...op.set(end),
      ...forLoop(at, op.i32(0), op.get(end), op.i32(16), body),
    ],
  };
}

/** `while (counter + step <= limit) { body; counter += step }` (unsigned compare). */
function whileFits(counter: number, step: number, limit: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(counter),
    ...op.i32(step),
    ...op.i32Add,
    ...op.get(limit),
    ...op.i32GtU,
    ...op.brIf(1),
    ...body,
    ...op.get(counter),
    ...op.i32(step),
    ...op.i32Add,
    ...op.set(counter),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

function assemble(fused: boolean): Uint8Array<ArrayBuffer> {
  const functions = [
    { name: "sigmoid", params: [I32, I32], ...sigmoidBody(fused) },
    { name: "matMulRows", params: [I32, I32, I32, I32, I32, I32], ...matMulRowsBody() },
    { name: "matMulDotRows", params: [I32, I32, I32, I32, I32, I32], ...matMulDotRowsBody() },
    { name: "matMulTiles", params: [I32, I32, I32, I32, I32, I32], ...matMulTilesBody(fused) },
    { name: "lstmGatesForward", params: [I32, I32, I32, I32, I32, I32, I32], ...lstmGatesForwardBody(fused) },
    {
      name: "lstmGatesBackward",
      params: [I32, I32, I32, I32, I32, I32, I32, I32],
      ...lstmGatesBackwardBody(),
    },
    {
      name: "layerNormForward",
      params: [I32, I32, I32, I32, I32, I32, I32, I32, F32],
      ...layerNormForwardBody(),
    },
    {
      name: "adamUpdate",
      params: [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
      ...adamUpdateBody(false),
    },
    {
      name: "adamUpdateDecayed",
      params: [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
      ...adamUpdateBody(true),
    },
    {
      name: "layerNormBackward",
      params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
      ...layerNormBackwardBody(),
    },
  ];
  const types = section(1, vector(functions.map((fn) => [0x60, ...vector(fn.params.map((t) => [t])), 0])));
  const declarations = section(3, vector(functions.map((_, index) => unsignedLeb(index))));
  const memory = section(5, vector([[0x00, ...unsignedLeb(1)]]));
  const exports = section(
    7,
    vector([
      ...functions.map((fn, index) => [...name(fn.name), 0x00, ...unsignedLeb(index)]),
      [...name("memory"), 0x02, 0x00],
    ]),
  );
  const code = section(
    10,
    vector(functions.map((fn) => {
      const body = [
        ...vector(fn.locals.map(([count, type]) => [...unsignedLeb(count), type])),
        ...fn.code,
        0x0b,
      ];
      return [...unsignedLeb(body.length), ...body];
    })),
  );
  return new Uint8Array([
    ...MODULE_HEADER,
    ...types,
    ...declarations,
    ...memory,
    ...exports,
    ...code,
  ]);
}

/** `count` rounded up to a multiple of 4: whole four-lane vectors (and 16-byte aligned float offsets). */
export function aligned(count: number): number {
  return Math.ceil(count / 4) * 4;
}

/** The float32 constants of one Adam step (see `SimdKernels.adamUpdate`). */
export interface AdamUpdateSettings {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** √(1 − β₂ᵗ) */
  rootCorrection2: number;
  epsilon: number;
  /** lr / (1 − β₁ᵗ) */
  rate: number;
  /** L2 penalty added to the gradient (0: none, and no operation for it). */
  weightDecay: number;
}

/** The module's exports, with float32 views that follow memory growth. */
export interface SimdKernels {
  /** In-place sigmoid of `count` floats (multiple of 4) at float index `offset`. */
  sigmoid(offset: number, count: number): void;
  /** out += left × right; `columns` a multiple of 4. Offsets are float indices. */
  matMulRows(left: number, right: number, out: number, rows: number, inner: number, columns: number): void;
  /** out = left × rightᵀ (right is [columns, inner]); `inner` a multiple of 4. Offsets are float indices. */
  matMulDotRows(left: number, right: number, out: number, rows: number, inner: number, columns: number): void;
  /**
   * out += left × right, register-blocked (4 × 8 tiles); `columns` a multiple of 4, any rows and inner.
   * Offsets are float indices.
   */
  matMulTiles(left: number, right: number, out: number, rows: number, inner: number, columns: number): void;
  /**
   * One LSTM step's gate pass over `windows` rows (float offsets; `hidden` a multiple of 4): the
   * pre-activations at `gates` [windows, 4·hidden] become the activated gates σ(i), σ(f), tanh(c), σ(o),
   * and `cell`, `cellTanh`, `hiddenState` [windows, hidden] get c_t, tanh(c_t) and h_t from
   * `previousCell` (c_{t−1}).
   */
  lstmGatesForward(
    gates: number,
    previousCell: number,
    cell: number,
    cellTanh: number,
    hiddenState: number,
    windows: number,
    hidden: number,
  ): void;
  /**
   * One LSTM step's backward gate pass (float offsets; `hidden` a multiple of 4): from the activated
   * `gates`, `previousCell`, `cellTanh` and the gradient reaching h_t (`hiddenGradient`), writes the
   * pre-activation gradient `gateGradient` [windows, 4·hidden] and turns `cellGradient` (reaching c_t from
   * step t + 1) into the gradient reaching c_{t−1}.
   */
  lstmGatesBackward(
    gates: number,
    previousCell: number,
    cellTanh: number,
    hiddenGradient: number,
    cellGradient: number,
    gateGradient: number,
    windows: number,
    hidden: number,
  ): void;
  /**
   * Layer normalisation of `rows` rows of `width` (a multiple of 4) values at `x` (float offsets), as
   * `layer_norm.ts`' ops compute it on the wasm backend, bit for bit: writes `out`, `normalised` [rows,
   * width] and `inverse` [rows] (1 / standard deviation).
   */
  layerNormForward(
    x: number,
    gamma: number,
    beta: number,
    out: number,
    normalised: number,
    inverse: number,
    rows: number,
    width: number,
    epsilon: number,
  ): void;
  /**
   * Its gradient, bit for bit the backward ops': writes `dx` [rows, width] and adds Σ_rows dy · normalised
   * to `gammaGradient` and Σ_rows dy to `betaGradient` [width] (zero them first).
   */
  layerNormBackward(
    dy: number,
    normalised: number,
    inverse: number,
    gamma: number,
    dx: number,
    gammaGradient: number,
    betaGradient: number,
    rows: number,
    width: number,
  ): void;
  /**
   * One Adam step in place over `count` (a multiple of 4) values at float offsets: `value`, its
   * `gradient` and the moments `first`, `second`; `settings` are float32 values. Bit for bit
   * `lib/train`'s host loop (every operation one float32 operation in its order).
   */
  adamUpdate(
    value: number,
    gradient: number,
    first: number,
    second: number,
    count: number,
    settings: AdamUpdateSettings,
  ): void;
  /** Grows memory to hold at least `floats` float32 values; returns the view of the whole memory. */
  reserve(floats: number): Float32Array;
}

let cached: SimdKernels | null | undefined;

/** The SIMD kernels, or null where WebAssembly SIMD is not available. Instantiated once. */
export function simdKernels(): SimdKernels | null {
  if (cached !== undefined) return cached;
  cached = simdWorkspace();
  return cached;
}

/** The compiled module of the variant {@link simdKernels} uses (null: no WebAssembly SIMD here). */
let compiled: WebAssembly.Module | null | undefined;

/**
 * Another instance of the module {@link simdKernels} uses (same variant, same results) with a memory of
 * its own, for data that must outlive other kernels' use of the shared scratch memory (the native LSTM's
 * forward pass keeps its gates there for the backward pass). Null where WebAssembly SIMD is unavailable.
 */
export function simdWorkspace(): SimdKernels | null {
  if (compiled === undefined) {
    // Relaxed SIMD (fused multiply-add in matMulTiles) where the engine validates it, else plain SIMD.
    compiled = compile(true) ?? compile(false);
  }
  return compiled ? instantiate(compiled) : null;
}

/**
 * A fresh instance of the module (own memory), with `matMulTiles` accumulating by relaxed SIMD's
 * multiply-add when `relaxed`, else by f32x4 mul + add; null where the engine rejects that variant.
 * For tests of both variants; {@link simdKernels} is the shared instance.
 */
export function instantiateSimdKernels(relaxed: boolean): SimdKernels | null {
  const module = compile(relaxed);
  return module ? instantiate(module) : null;
}

function compile(relaxed: boolean): WebAssembly.Module | null {
  if (typeof WebAssembly === "undefined") return null;
  const bytes = assemble(relaxed);
  if (!WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Module(bytes);
}

function instantiate(module: WebAssembly.Module): SimdKernels {
  const instance = new WebAssembly.Instance(module);
  const exported = instance.exports as {
    memory: WebAssembly.Memory;
    sigmoid: (pointer: number, count: number) => void;
    matMulRows: (...args: number[]) => void;
    matMulDotRows: (...args: number[]) => void;
    matMulTiles: (...args: number[]) => void;
    lstmGatesForward: (...args: number[]) => void;
    lstmGatesBackward: (...args: number[]) => void;
    layerNormForward: (...args: number[]) => void;
    layerNormBackward: (...args: number[]) => void;
    adamUpdate: (...args: number[]) => void;
    adamUpdateDecayed: (...args: number[]) => void;
  };
  let view = new Float32Array(exported.memory.buffer);
  return {
    sigmoid: (offset, count) => exported.sigmoid(offset * 4, count),
    matMulRows: (left, right, out, rows, inner, columns) =>
      exported.matMulRows(left * 4, right * 4, out * 4, rows, inner, columns),
    matMulDotRows: (left, right, out, rows, inner, columns) =>
      exported.matMulDotRows(left * 4, right * 4, out * 4, rows, inner, columns),
    matMulTiles: (left, right, out, rows, inner, columns) =>
      exported.matMulTiles(left * 4, right * 4, out * 4, rows, inner, columns),
    lstmGatesForward: (gates, previousCell, cell, cellTanh, hiddenState, windows, hidden) =>
      exported.lstmGatesForward(
        gates * 4,
        previousCell * 4,
        cell * 4,
        cellTanh * 4,
        hiddenState * 4,
        windows,
        hidden,
      ),
    lstmGatesBackward: (
      gates,
      previousCell,
      cellTanh,
      hiddenGradient,
      cellGradient,
      gateGradient,
      windows,
      hidden,
    ) =>
      exported.lstmGatesBackward(
        gates * 4,
        previousCell * 4,
        cellTanh * 4,
        hiddenGradient * 4,
        cellGradient * 4,
        gateGradient * 4,
        windows,
        hidden,
      ),
    layerNormForward: (x, gamma, beta, out, normalised, inverse, rows, width, epsilon) =>
      exported.layerNormForward(
        x * 4,
        gamma * 4,
        beta * 4,
        out * 4,
        normalised * 4,
        inverse * 4,
        rows,
        width,
        epsilon,
      ),
    layerNormBackward: (dy, normalised, inverse, gamma, dx, gammaGradient, betaGradient, rows, width) =>
      exported.layerNormBackward(
        dy * 4,
        normalised * 4,
        inverse * 4,
        gamma * 4,
        dx * 4,
        gammaGradient * 4,
        betaGradient * 4,
        rows,
        width,
      ),
    adamUpdate: (value, gradient, first, second, count, settings) => {
      const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, rootCorrection2, epsilon, rate, weightDecay } =
        settings;
      const shared = [
        value * 4,
        gradient * 4,
        first * 4,
        second * 4,
        count,
        beta1,
        oneMinusBeta1,
        beta2,
        oneMinusBeta2,
      ];
      if (weightDecay === 0) exported.adamUpdate(...shared, rootCorrection2, epsilon, rate);
      else exported.adamUpdateDecayed(...shared, rootCorrection2, epsilon, rate, weightDecay);
    },
    reserve(floats: number): Float32Array {
      const bytes = floats * 4;
      const current = exported.memory.buffer.byteLength;
      if (bytes > current) exported.memory.grow(Math.ceil((bytes - current) / 65536));
      if (view.buffer !== exported.memory.buffer) view = new Float32Array(exported.memory.buffer);
      return view;
    },
  };
}
