/**
 * Batched matmul `[batch, m, k] · [batch, k, n]` that runs on a WebAssembly SIMD kernel on the
 * wasm backend (tfjs's own falls back to a scalar loop for batch > 1) and on `tf.matMul` elsewhere.
 */
import { tf } from "../backend/mod.ts";
import { simdBatchMatMul } from "./_wasm_simd.ts";
import { nativeGemm, nativeGemmAvailable } from "./_native_gemm.ts";

const KERNEL_NAME = "EquiLabBatchMatMul";

/** What the kernel needs from tfjs's wasm backend (internal API of tfjs-backend-wasm 4.22). */
interface WasmBackendInternals {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

let registered: boolean | undefined;

/** Registers the wasm kernel once; false when the backend or SIMD is not there. */
function registerWasmKernel(): boolean {
  if (registered !== undefined) return registered;
  const backend = tf.findBackend("wasm") as unknown as WasmBackendInternals | null;
  const memory = backend?.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || !simdBatchMatMul(memory)) {
    registered = false;
    return false;
  }
  tf.registerKernel({
    kernelName: KERNEL_NAME,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendInternals;
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const transposeA = (attrs as { transposeA: boolean }).transposeA;
      const [batch, rowsOrInner, innerOrRows] = a.shape;
      const [m, k] = transposeA ? [innerOrRows, rowsOrInner] : [rowsOrInner, innerOrRows];
      const n = b.shape[2];
      const out = wasm.makeOutput([batch, m, n], "float32");
      // strides of A in elements: [batch][row i][column p]
      const [rowStride, columnStride] = transposeA ? [1, m] : [k, 1];
      simdBatchMatMul(wasm.wasm.asm.memory)!(
        wasm.dataIdMap.get(a.dataId).memoryOffset,
        wasm.dataIdMap.get(b.dataId).memoryOffset,
        wasm.dataIdMap.get(out.dataId).memoryOffset,
        batch,
        m,
        k,
        n,
        m * k,
        rowStride,
        columnStride,
      );
      return out;
    },
  });
  registered = true;
  return true;
}

/**
 * `a · b` per batch item: `a` `[batch, m, k]` (or `[batch, k, m]` with `transposeA`), `b`
 * `[batch, k, n]` (or `[batch, n, k]` with `transposeB`) → `[batch, m, n]`. Not differentiable by
 * itself: it is a building block for ops with their own gradient (see `multiHeadAttention`).
 *
 * With the system BLAS (`matmulPath().kind === "native"`, wasm or cpu backend) it is one
 * `cblas_sgemm` per batch item on the tensors' memory, transposes by flag (no copies).
 *
 * Perf note: on the wasm backend, when n is a multiple of 4, this runs a WebAssembly SIMD kernel
 * inside the backend's memory (no copies); tfjs's BatchMatMul runs any batch > 1 on a scalar loop.
 * Elsewhere (cpu, webgpu, or n not a multiple of 4) it is `tf.matMul(a, b, transposeA, false)`.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { batchMatMul } from "./batch_mat_mul.ts";
 * const c = batchMatMul(tf.ones([2, 3, 4]), tf.ones([2, 4, 8])); // [2, 3, 8] of 4s
 * ```
 */
export function batchMatMul(
  a: tf.Tensor3D,
  b: tf.Tensor3D,
  transposeA = false,
  transposeB = false,
): tf.Tensor3D {
  if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== b.shape[0]) {
    throw new Error(
      `batchMatMul: expected a [batch, m, k] and b [batch, k, n], got ${JSON.stringify([a.shape, b.shape])}`,
    );
  }
  const k = transposeA ? a.shape[1] : a.shape[2];
  if (k !== (transposeB ? b.shape[2] : b.shape[1])) {
    throw new Error(
      `batchMatMul: inner sizes differ: a ${JSON.stringify(a.shape)}${transposeA ? " (transposed)" : ""}, b ${
        JSON.stringify(b.shape)
      }${transposeB ? " (transposed)" : ""}`,
    );
  }
  const [batch, m, n] = [
    a.shape[0],
    transposeA ? a.shape[2] : a.shape[1],
    transposeB ? b.shape[1] : b.shape[2],
  ];
  if (nativeGemmAvailable() && a.size > 0 && b.size > 0 && a.dtype === "float32" && b.dtype === "float32") {
    return nativeGemm(a, b, {
      transposeA,
      transposeB,
      m,
      n,
      k,
      groups: [batch, 1],
      aStrides: [m * k, 0],
      bStrides: [k * n, 0],
      outStrides: [m * n, 0],
      outShape: [batch, m, n],
    }) as tf.Tensor3D;
  }
  if (transposeB) {
    const bTransposed = tf.transpose(b, [0, 2, 1]);
    const out = batchMatMul(a, bTransposed, transposeA, false);
    bTransposed.dispose();
    return out;
  }
  const useSimd = tf.getBackend() === "wasm" && b.shape[2] % 4 === 0 && a.size > 0 && b.size > 0 &&
    a.dtype === "float32" && b.dtype === "float32" && registerWasmKernel();
  if (!useSimd) return tf.matMul(a, b, transposeA, false);
  return tf.engine().runKernel(KERNEL_NAME, { a, b }, { transposeA }) as tf.Tensor3D;
}
