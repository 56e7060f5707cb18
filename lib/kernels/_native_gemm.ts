/**
 * A tfjs kernel that runs `cblas_sgemm` of the system BLAS (`lib/backend/blas.ts`) straight on the tensors'
 * memory: on the wasm backend, inside its WebAssembly memory (no copies); on the cpu backend, on its
 * Float32Arrays. One call may run a grid of products (`groups`, e.g. every batch item and attention
 * head) whose operands are strided sub-matrices of the same tensors, so heads are addressed in place
 * instead of being split out by transposes.
 *
 * @module
 */
import { tf } from "../backend/mod.ts";
import { loadBlas, type NativeBlas } from "../backend/blas.ts";

const KERNEL_NAME = "EquiLabNativeGemm";
const NATIVE_BACKENDS = new Set(["wasm", "cpu"]);

/** Options of {@link nativeGemm}: the products `out_g = alpha · op(a_g) · op(b_g) (+ bias)`. */
export interface NativeGemmArgs {
  /** op(a) = aᵀ. Default false. */
  transposeA?: boolean;
  /** op(b) = bᵀ. Default false. */
  transposeB?: boolean;
  /** Rows of op(a) and of the output. */
  m: number;
  /** Columns of op(b) and of the output. */
  n: number;
  /** Columns of op(a) = rows of op(b). */
  k: number;
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Leading dimensions (elements between stored rows). Default: contiguous (as stored, k or m / n or k, n). */
  lda?: number;
  ldb?: number;
  ldc?: number;
  /**
   * Grid of products `[outer, inner]`; product (i, j) reads a at `i·aStrides[0] + j·aStrides[1]`, b and
   * out likewise. Default `[1, 1]`.
   */
  groups?: [number, number];
  aStrides?: [number, number];
  bStrides?: [number, number];
  outStrides?: [number, number];
  /** Shape of the output tensor (its size must hold every product). */
  outShape: number[];
  /** Added to every output row (`[n]`); only with one group and a contiguous output. */
  bias?: tf.Tensor;
}

interface GemmAttrs {
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  lda: number;
  ldb: number;
  ldc: number;
  groups: number[];
  aStrides: number[];
  bStrides: number[];
  outStrides: number[];
  outShape: number[];
}

/** What the kernel needs from tfjs's wasm backend (internal API of tfjs-backend-wasm 4.22). */
interface WasmBackendInternals {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

/** What the kernel needs from tfjs's cpu backend. */
interface CpuBackendInternals {
  data: { get(dataId: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
}

/** Runs the grid of products on arrays: each operand an array and the element offset of its start. */
function runProducts(
  blas: NativeBlas,
  attrs: GemmAttrs,
  a: Float32Array,
  aStart: number,
  b: Float32Array,
  bStart: number,
  out: Float32Array,
  outStart: number,
  size: number,
  bias: Float32Array | null,
): void {
  const { transposeA, transposeB, m, n, k, alpha, lda, ldb, ldc, groups, aStrides, bStrides, outStrides } =
    attrs;
  let beta = 0;
  if (bias) {
    // out = 1 · biasᵀ (a rank-1 product: ~10x faster than filling the rows from JS), then += a · b
    blas.sgemm(false, false, m, n, 1, 1, ones(m), 0, 1, bias, 0, n, 0, out, outStart, ldc);
    beta = 1;
  } else if (k === 0) {
    out.fill(0, outStart, outStart + size);
    return;
  }
  // Byte addresses once per call; each product's are offsets from them (4 bytes per element).
  const aAt = blas.address(a, aStart), bAt = blas.address(b, bStart), outAt = blas.address(out, outStart);
  for (let outer = 0; outer < groups[0]; outer++) {
    for (let inner = 0; inner < groups[1]; inner++) {
      blas.sgemmAt(
        transposeA,
        transposeB,
        m,
        n,
        k,
        alpha,
        aAt + 4 * (outer * aStrides[0] + inner * aStrides[1]),
        lda,
        bAt + 4 * (outer * bStrides[0] + inner * bStrides[1]),
        ldb,
        beta,
        outAt + 4 * (outer * outStrides[0] + inner * outStrides[1]),
        ldc,
      );
    }
  }
}

let onesCache = new Float32Array(0);

/** A column of at least `count` ones (kept between calls). */
function ones(count: number): Float32Array {
  if (onesCache.length < count) onesCache = new Float32Array(Math.max(count, 2 * onesCache.length)).fill(1);
  return onesCache;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL_NAME,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendInternals;
      const gemm = attrs as unknown as GemmAttrs;
      const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
      const out = wasm.makeOutput(gemm.outShape, "float32");
      // Views after the output's allocation: it may have grown (and so replaced) the memory's buffer.
      const heap = new Float32Array(wasm.wasm.asm.memory.buffer);
      const at = (info: tf.TensorInfo) => wasm.dataIdMap.get(info.dataId).memoryOffset / 4;
      const size = gemm.outShape.reduce((product, length) => product * length, 1);
      const biasStart = bias ? at(bias) : 0;
      runProducts(
        loadBlas()!,
        gemm,
        heap,
        at(a),
        heap,
        at(b),
        heap,
        at(out),
        size,
        bias ? heap.subarray(biasStart, biasStart + gemm.n) : null,
      );
      return out;
    },
  });
  tf.registerKernel({
    kernelName: KERNEL_NAME,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackendInternals;
      const gemm = attrs as unknown as GemmAttrs;
      const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
      const size = gemm.outShape.reduce((product, length) => product * length, 1);
      const values = new Float32Array(size);
      runProducts(
        loadBlas()!,
        gemm,
        cpu.data.get(a.dataId).values,
        0,
        cpu.data.get(b.dataId).values,
        0,
        values,
        0,
        size,
        bias ? cpu.data.get(bias.dataId).values : null,
      );
      return cpu.makeTensorInfo(gemm.outShape, "float32", values);
    },
  });
}

/**
 * True when {@link nativeGemm} runs here: a BLAS is loaded and enabled, and the active backend is wasm
 * or cpu.
 */
export function nativeGemmAvailable(): boolean {
  return NATIVE_BACKENDS.has(tf.getBackend()) && loadBlas() !== null;
}

/**
 * The products described by `args` on the system BLAS, as one tfjs op (not differentiable by itself:
 * a building block for ops with their own gradient). Null when {@link nativeGemmAvailable} is false
 * (the caller then takes its WebAssembly path).
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { nativeGemm } from "./_native_gemm.ts";
 * // xᵀ · y for x [5, 3], y [5, 2] → [3, 2], without a transposed copy of x
 * const product = nativeGemm(tf.ones([5, 3]), tf.ones([5, 2]), { transposeA: true, m: 3, n: 2, k: 5, outShape: [3, 2] });
 * ```
 */
export function nativeGemm(a: tf.Tensor, b: tf.Tensor, args: NativeGemmArgs): tf.Tensor | null {
  if (!nativeGemmAvailable()) return null;
  const transposeA = args.transposeA ?? false, transposeB = args.transposeB ?? false;
  const { m, n, k } = args;
  const attrs: GemmAttrs = {
    transposeA,
    transposeB,
    m,
    n,
    k,
    alpha: args.alpha ?? 1,
    lda: args.lda ?? (transposeA ? m : k),
    ldb: args.ldb ?? (transposeB ? k : n),
    ldc: args.ldc ?? n,
    groups: args.groups ?? [1, 1],
    aStrides: args.aStrides ?? [0, 0],
    bStrides: args.bStrides ?? [0, 0],
    outStrides: args.outStrides ?? [0, 0],
    outShape: args.outShape,
  };
  if (a.dtype !== "float32" || b.dtype !== "float32" || (args.bias && args.bias.dtype !== "float32")) {
    throw new TypeError(`nativeGemm: operands must be float32, got ${a.dtype}, ${b.dtype}`);
  }
  if (args.bias && (attrs.groups[0] * attrs.groups[1] !== 1 || args.bias.size !== n || attrs.ldc !== n)) {
    throw new RangeError(`nativeGemm: a bias [${n}] needs one product with a contiguous output`);
  }
  // Bounds: the last element every operand reaches must lie inside its tensor.
  const reach = (rows: number, columns: number, ld: number, strides: number[]) =>
    (attrs.groups[0] - 1) * strides[0] + (attrs.groups[1] - 1) * strides[1] + (rows - 1) * ld + columns;
  const [aRows, aColumns] = transposeA ? [k, m] : [m, k];
  const [bRows, bColumns] = transposeB ? [n, k] : [k, n];
  const outSize = attrs.outShape.reduce((product, length) => product * length, 1);
  if (
    m < 1 || n < 1 || k < 0 || (k > 0 && reach(aRows, aColumns, attrs.lda, attrs.aStrides) > a.size) ||
    (k > 0 && reach(bRows, bColumns, attrs.ldb, attrs.bStrides) > b.size) ||
    reach(m, n, attrs.ldc, attrs.outStrides) > outSize
  ) {
    throw new RangeError(
      `nativeGemm: products ${
        JSON.stringify({ m, n, k, groups: attrs.groups })
      } reach outside a [${a.shape}], b [${b.shape}] or the output [${attrs.outShape}]`,
    );
  }
  register();
  const inputs: tf.NamedTensorMap = args.bias ? { a, b, bias: args.bias } : { a, b };
  return tf.engine().runKernel(KERNEL_NAME, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
