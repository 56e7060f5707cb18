/**
 * Fused kernels: ops with hand-written gradients that replace long chains of tfjs ops where those
 * are slow (wasm's transposed and batched matmuls, per-op overhead), and a WebAssembly SIMD
 * batched matmul for the wasm backend. Each is tested against the plain tfjs computation, forward
 * and gradients, on the cpu, wasm and webgpu backends.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { dense, layerNorm } from "./mod.ts";
 * const y = layerNorm(dense(tf.ones([4, 3]), tf.ones([3, 2]), tf.zeros([2])), tf.ones([2]), tf.zeros([2]));
 * ```
 * @module
 */
export * from "./attention.ts";
export * from "./dense.ts";
export * from "./dropout_mask.ts";
export * from "./layer_norm.ts";
export * from "./batch_mat_mul.ts";
