/**
 * Replacing one of tfjs' wasm-backend kernels, for `_wasm_slice.ts` and `_wasm_identity.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

const replaced = new Set<string>();

/**
 * Registers `make(original)` as the wasm backend's kernel `kernelName` in place of tfjs' own, once per
 * process (later calls do nothing); nothing where the wasm backend has no such kernel. The replacement
 * gets the original to hand back the inputs it does not handle itself.
 *
 * @example
 * ```ts ignore
 * replaceWasmKernel("Identity", (original) => (args) => original.kernelFunc(args)); // a no-op replacement
 * ```
 */
export function replaceWasmKernel(
  kernelName: string,
  make: (original: tf.KernelConfig) => tf.KernelFunc,
): void {
  if (replaced.has(kernelName)) return;
  const original = tf.getKernel(kernelName, "wasm");
  if (!original) return;
  replaced.add(kernelName);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: make(original) });
}
