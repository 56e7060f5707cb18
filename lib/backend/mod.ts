/**
 * TensorFlow.js backend selection, in one place.
 *
 * `EQUILAB_BACKEND` = `cpu` | `wasm` | `webgpu` | `tensorflow` picks one; unset picks the best
 * available (see {@link selectBackend}). On webgpu, read tensors with `await tensor.data()`:
 * {@link readSync} explains the failure where code reads synchronously.
 *
 * Layer 0 of the flow in lib/README.md: imports no other lib folder.
 *
 * @example
 * ```ts
 * import { selectBackend } from "./mod.ts";
 * const info = await selectBackend("cpu");
 * console.log(info.summary);
 * ```
 * @module
 */
export { BACKEND_NAMES, describeBackend, selectBackend, tf } from "./backend.ts";
export { readSync } from "./read_sync.ts";
export { tensorFromScratch } from "./tensor_from_scratch.ts";
export {
  blasCandidates,
  describeMatmulPath,
  loadBlas,
  type MatmulPath,
  matmulPath,
  type NativeBlas,
  requestedBlasThreads,
  setMatmulThreads,
  setNativeMatmul,
} from "./blas.ts";
export type { BackendInfo, BackendName, SelectBackendArgs } from "./backend.ts";
