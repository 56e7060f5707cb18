/**
 * A copy-free `Identity` for tfjs' wasm backend. Porting note: tfjs-backend-wasm 4.22's `Identity`
 * copies its input into a new buffer, and the engine runs it for every tensor a custom-gradient op
 * saves for its backward pass (`tf.customGrad`'s `save` keeps clones) — every fused kernel of
 * `lib/kernels` saves its inputs, so a training step of the EquiNet Transformer (d128, 4 layers) copied
 * ≈ 20 ms of tensors. Tensors are immutable in tfjs, so this kernel shares the input's buffer and counts
 * one more reference, exactly as the wasm backend's own `Reshape` does and as the cpu backend's
 * `Identity` does. Strings go to the original kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { replaceWasmKernel } from "./_replace_wasm_kernel.ts";

/** The part of tfjs' wasm backend this kernel uses. */
interface WasmBackendReferences {
  incRef(dataId: tf.DataId): void;
}

/**
 * Replaces the wasm backend's `Identity` kernel (once).
 *
 * @example
 * ```ts ignore
 * installWasmIdentity(); // then tf.clone on the wasm backend shares its input's buffer
 * ```
 */
export function installWasmIdentity(): void {
  replaceWasmKernel("Identity", (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return original.kernelFunc(args);
    (args.backend as unknown as WasmBackendReferences).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
