/**
 * Fused kernels: single tfjs ops with hand-written gradients that replace long chains of tiny or
 * slow tfjs ops — the LSTM recurrence (per-op overhead once per layer instead of once per step),
 * dense layers, layer norm and multi-head attention (wasm's transposed and batched matmuls) — plus
 * WebAssembly SIMD kernels for the hot loops, Adam's update among them. Each is tested
 * against the plain tfjs computation, forward and gradients, on the cpu, wasm and webgpu backends.
 * On cpu and wasm the matrix products run on the system BLAS through Deno's FFI where one is found
 * (`matmulPath()` of lib/backend says which path is in use; `EQUILAB_BLAS` names or disables the library).
 *
 * Layer 1 of the flow in lib/README.md: imports backend.
 *
 * @example
 * ```ts
 * import { matmulPath, tf } from "../backend/mod.ts";
 * import { dense, fusedLstm, layerNorm } from "./mod.ts";
 * const layer = fusedLstm({ units: 2, recurrentActivation: "sigmoid" });
 * const y = layerNorm(dense(tf.ones([4, 3]), tf.ones([3, 2]), tf.zeros([2])), tf.ones([2]), tf.zeros([2]));
 * console.log(matmulPath()); // { kind: "native", library: "…/libopenblasp-r0.3.21.so", threads: 2 } or { kind: "wasm", … }
 * ```
 * @module
 */
export * from "./lstm_sequence.ts";
export * from "./fused_lstm.ts";
export * from "./attention.ts";
export * from "./dense.ts";
export * from "./dropout_mask.ts";
export * from "./layer_norm.ts";
export * from "./batch_mat_mul.ts";
export * from "./adam_update.ts";
