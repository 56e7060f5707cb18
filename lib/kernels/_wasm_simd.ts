/**
 * A WebAssembly SIMD batched-matmul kernel, assembled here from readable instructions (no
 * toolchain, no binary blob), that runs inside the tfjs wasm backend's own memory.
 *
 * Perf note: tfjs's wasm backend sends every matmul with a batch dimension > 1 to a scalar loop
 * (~2 GFLOP/s on this machine). Attention does many small per-head products ([60 × 16] · [16 × 60]
 * at EquiNet's shapes), too small for one call each; this kernel runs them all in one call with
 * f32x4 lanes along the output row.
 */

import {
  MODULE_HEADER,
  name as text,
  section,
  signedLeb as signed,
  unsignedLeb as unsigned,
  vector,
} from "./_wasm_encoding.ts";

// The few instructions the kernel needs (WebAssembly 2.0 opcodes).
const get = (index: number) => [0x20, ...unsigned(index)];
const set = (index: number) => [0x21, ...unsigned(index)];
const constant = (value: number) => [0x41, ...signed(value)];
const I32_ADD = 0x6a, I32_MUL = 0x6c, I32_SHL = 0x74, I32_LT_U = 0x49, I32_GT_U = 0x4b;
const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
const branch = (depth: number) => [0x0c, ...unsigned(depth)];
const branchIf = (depth: number, condition: number[]) => [...condition, 0x0d, ...unsigned(depth)];
const compare = (operation: number, left: number[], right: number[]) => [...left, ...right, operation];
const add = (...terms: number[][]) => [...terms[0], ...terms.slice(1).flatMap((term) => [...term, I32_ADD])];
const multiply = (left: number[], right: number[]) => [...left, ...right, I32_MUL];
const times4 = (value: number[]) => [...value, ...constant(2), I32_SHL];
const increment = (index: number, by: number[]) => [...get(index), ...by, I32_ADD, ...set(index)];
const F32_LOAD = [0x2a, 0x02, 0x00];
const v128Load = (offset: number) => [0xfd, 0x00, 0x04, ...unsigned(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 0x04, ...unsigned(offset)];
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const F32X4_SPLAT = [0xfd, 0x13];
const F32X4_ADD = [0xfd, ...unsigned(228)];
const F32X4_MUL = [0xfd, ...unsigned(230)];

// Parameters (i32): byte addresses of A, B, C; batch, m, k, n; A's strides in elements.
const A = 0, B = 1, C = 2, BATCH = 3, M = 4, K = 5, N = 6, A_BATCH = 7, A_ROW = 8, A_COLUMN = 9;
// Locals: i32 first, then v128.
const ITEM = 10, ROW = 11, INNER = 12, A_BASE = 13, B_BASE = 14, C_ROW = 15, ROW_BYTES = 16, COLUMN = 17;
const A_AT = 18, B_AT = 19, A_STEP = 20, A_ROW_BASE = 21;
const I32_LOCALS = 12;
const SPLAT = 22, ACCUMULATORS = [23, 24, 25, 26, 27, 28, 29, 30];

/** acc_q += splat(A[i][p]) · B[p][j + 4q … j + 4q + 3] for q < lanes, over p < k. */
function accumulate(vectors: number): number[] {
  const accumulators = ACCUMULATORS.slice(0, vectors);
  return [
    ...accumulators.flatMap((index) => [...V128_ZERO, ...set(index)]),
    ...constant(0),
    ...set(INNER),
    ...get(A_ROW_BASE),
    ...set(A_AT),
    ...add(get(B_BASE), get(COLUMN)),
    ...set(B_AT),
    ...loop(
      get(A_AT),
      F32_LOAD,
      F32X4_SPLAT,
      set(SPLAT),
      ...accumulators.map((index, lane) => [
        ...get(index),
        ...get(SPLAT),
        ...get(B_AT),
        ...v128Load(16 * lane),
        ...F32X4_MUL,
        ...F32X4_ADD,
        ...set(index),
      ]),
      increment(A_AT, get(A_STEP)),
      increment(B_AT, get(ROW_BYTES)),
      increment(INNER, constant(1)),
      branchIf(0, compare(I32_LT_U, get(INNER), get(K))),
    ),
    ...accumulators.flatMap((
      index,
      lane,
    ) => [...add(get(C_ROW), get(COLUMN)), ...get(index), ...v128Store(16 * lane)]),
    ...increment(COLUMN, constant(16 * vectors)),
  ];
}

/**
 * C[b] = A[b] · B[b] for b < batch: A[b][i][p] at element `b·aBatch + i·aRow + p·aColumn` (so a
 * transposed A is just other strides), B[b] `[k × n]` and C[b] `[m × n]` row-major and packed.
 * Needs batch, m, k, n ≥ 1 and n a multiple of 4. Each output row is computed 32 columns at a
 * time in eight f32x4 registers over the whole inner loop (one store per block), then the last
 * n mod 32 columns in at most two narrower blocks.
 */
const kernelBody = [
  ...times4(get(N)),
  ...set(ROW_BYTES),
  ...times4(get(A_COLUMN)),
  ...set(A_STEP),
  ...constant(0),
  ...set(ITEM),
  ...loop(
    add(get(A), times4(multiply(get(ITEM), get(A_BATCH)))),
    set(A_BASE),
    add(get(B), times4(multiply(multiply(get(ITEM), get(K)), get(N)))),
    set(B_BASE),
    constant(0),
    set(ROW),
    loop(
      add(get(C), times4(multiply(add(multiply(get(ITEM), get(M)), get(ROW)), get(N)))),
      set(C_ROW),
      add(get(A_BASE), times4(multiply(get(ROW), get(A_ROW)))),
      set(A_ROW_BASE),
      constant(0),
      set(COLUMN),
      // 32 columns at a time, then one block each of 16, 12, 8 or 4 for the rest
      block(loop(
        branchIf(1, compare(I32_GT_U, add(get(COLUMN), constant(128)), get(ROW_BYTES))),
        accumulate(8),
        branch(0),
      )),
      ...[4, 3, 2, 1].map((vectors) =>
        block(
          branchIf(0, compare(I32_GT_U, add(get(COLUMN), constant(16 * vectors)), get(ROW_BYTES))),
          accumulate(vectors),
        )
      ),
      increment(ROW, constant(1)),
      branchIf(0, compare(I32_LT_U, get(ROW), get(M))),
    ),
    increment(ITEM, constant(1)),
    branchIf(0, compare(I32_LT_U, get(ITEM), get(BATCH))),
  ),
  0x0b,
];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f, V128 = 0x7b;
  const type = [0x60, ...vector(new Array(10).fill([I32])), 0x00];
  const locals = vector([[...unsigned(I32_LOCALS), I32], [...unsigned(1 + ACCUMULATORS.length), V128]]);
  const body = [...locals, ...kernelBody];
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, vector([type])),
    // import env.memory, limits: minimum 0, no maximum (fits any memory)
    ...section(2, vector([[...text("env"), ...text("memory"), 0x02, 0x00, 0x00]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...text("batchMatMul"), 0x00, 0x00]])),
    ...section(10, vector([[...unsigned(body.length), ...body]])),
  ]);
}

/** The kernel bound to one memory: arguments as described at {@link kernelBody}. */
export type SimdBatchMatMul = (
  a: number,
  b: number,
  c: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  aBatch: number,
  aRow: number,
  aColumn: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdBatchMatMul>();

/**
 * The kernel instantiated on `memory`, or null where it cannot run (no WebAssembly SIMD, or a
 * memory it cannot import): callers then fall back to tfjs's own ops.
 */
export function simdBatchMatMul(memory: WebAssembly.Memory): SimdBatchMatMul | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return null;
  let kernel = instances.get(memory);
  if (!kernel) {
    try {
      const instance = new WebAssembly.Instance(compiled, { env: { memory } });
      kernel = instance.exports.batchMatMul as SimdBatchMatMul;
    } catch {
      // e.g. the threaded build's shared memory, which this module's import does not declare
      return null;
    }
    instances.set(memory, kernel);
  }
  return kernel;
}
