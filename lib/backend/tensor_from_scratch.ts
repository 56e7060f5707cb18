import * as tf from "@tensorflow/tfjs";

/**
 * A float32 tensor of `values` that the caller goes on reusing (a view of scratch memory): the tensor
 * never shares the caller's array. Perf note: the wasm backend copies a new tensor's values into its own
 * memory anyway, so there the array is passed as it is; other backends (cpu) keep the array they are
 * given, so they get a copy.
 *
 * @example
 * ```ts
 * import { tensorFromScratch } from "./tensor_from_scratch.ts";
 * const scratch = new Float32Array([1, 2, 3, 4]);
 * const tensor = tensorFromScratch(scratch, [2, 2]);
 * scratch.fill(0); // the tensor still holds 1, 2, 3, 4
 * ```
 */
export function tensorFromScratch(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === "wasm" ? values : values.slice(), shape, "float32");
}
