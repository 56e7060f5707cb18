import * as tf from "@tensorflow/tfjs";

/**
 * Reads a tensor's values synchronously — or, on the webgpu backend, fails with an error that names
 * the caller and its asynchronous alternative.
 *
 * The webgpu backend cannot read synchronously under Deno: WebGPU buffers only map asynchronously,
 * and tfjs's synchronous workaround draws through a 2-D `OffscreenCanvas` context, which Deno lacks
 * (tfjs then fails with "Cannot read properties of null (reading 'clearRect')"). Code that must run
 * on every backend reads with `await tensor.data()` instead.
 *
 * @param tensor the tensor to read (not disposed).
 * @param caller what is reading, for the error (e.g. `"LstmRegressor.predict"`).
 * @param alternative what to call instead on webgpu (e.g. `"await model.predictAsync(…)"`).
 * @example
 * ```ts
 * import { readSync } from "./read_sync.ts";
 * import * as tf from "@tensorflow/tfjs";
 * const values = readSync(tf.tensor1d([1, 2]), "example", "await tensor.data()"); // Float32Array [1, 2]
 * ```
 */
export function readSync(tensor: tf.Tensor, caller: string, alternative: string): tf.TypedArray {
  if (tf.getBackend() === "webgpu") {
    throw new Error(
      `${caller} reads tensor values synchronously, which the webgpu backend cannot do under Deno ` +
        `(WebGPU buffers map asynchronously); use ${alternative}`,
    );
  }
  return tensor.dataSync() as tf.TypedArray;
}
