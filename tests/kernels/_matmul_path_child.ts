/**
 * Child of `native_blas_test.ts`: selects a backend, runs a dense layer (forward and gradients) and a
 * batched product, and prints one JSON line `{ matmul, summary, dense, gradient, batch }` — so that a
 * test can start it with a missing library (`EQUILAB_BLAS=/nonexistent/…`), with the library turned off,
 * or without `--allow-ffi`, and check that it falls back to WebAssembly without an error.
 *
 *   deno run --allow-read --allow-env tests/kernels/_matmul_path_child.ts wasm
 */
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { matmulPath } from "../../lib/backend/mod.ts";
import { batchMatMul, dense } from "../../lib/kernels/mod.ts";

const info = await selectBackend(Deno.args[0] ?? "wasm");
const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
const kernel = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
const bias = tf.tensor1d([0.5, -0.5]);
const y = dense(x, kernel, bias, "relu");
const gradient = tf.grad((k: tf.Tensor) => tf.sum(dense(x, k as tf.Tensor2D, bias)))(kernel);
const batch = batchMatMul(tf.ones([2, 3, 4]), tf.ones([2, 5, 4]), false, true);
console.log(JSON.stringify({
  matmul: matmulPath(),
  summary: info.summary,
  dense: [...await y.data()],
  gradient: [...await gradient.data()],
  batch: [...await batch.data()],
}));
