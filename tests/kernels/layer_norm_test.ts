import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { tf } from "../../lib/backend/mod.ts";
import { layerNorm } from "../../lib/kernels/mod.ts";
import {
  assertSameValueAndGradients,
  KERNEL_BACKENDS,
  normalTensor,
  useBackend,
  valueAndGradients,
} from "./_compare.ts";

const TOLERANCE = 1e-5;

/** The op-by-op layer norm TransformerClassifier's "ops" path uses. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

for (const backend of KERNEL_BACKENDS) {
  Deno.test(`layerNorm (${backend}): value and gradients = plain ops within ${TOLERANCE}`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    // rows with offsets and scales far from 0 and 1, so centring and scaling both matter
    const x = tf.tidy(() => tf.add(tf.mul(normalTensor(1, [6, 8]), 3), 2));
    const tensors = [x, tf.tidy(() => tf.add(normalTensor(2, [8], 0.5), 1)), normalTensor(3, [8], 0.5)];
    await assertSameValueAndGradients(
      (input, gamma, beta) => layerNorm(input as tf.Tensor2D, gamma as tf.Tensor1D, beta as tf.Tensor1D),
      reference,
      tensors,
      TOLERANCE,
      `layerNorm ${backend}`,
    );
    tf.dispose(tensors);
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("layerNorm normalises each row to mean 0, variance 1 before gamma and beta", async () => {
  await useBackend("cpu");
  const y = layerNorm(tf.tensor2d([[1, 2, 3, 4], [10, 10, 10, 14]]), tf.ones([4]), tf.zeros([4]));
  const values = await y.data();
  for (const row of [0, 1]) {
    const entries = Array.from(values.subarray(row * 4, row * 4 + 4));
    const mean = entries.reduce((sum, entry) => sum + entry, 0) / 4;
    const variance = entries.reduce((sum, entry) => sum + (entry - mean) ** 2, 0) / 4;
    assertClose(mean, 0, { absolute: 1e-6 });
    assertClose(variance, 1, { absolute: 1e-4 }); // epsilon 1e-5 shrinks it a little
  }
  y.dispose();
  assert.throws(() => layerNorm(tf.zeros([2, 3]), tf.ones([4]), tf.zeros([4])), /must match the width/);
});

Deno.test("layerNorm (wasm): the SIMD path gives the ops path's value and gradients bit for bit", async () => {
  await useBackend("wasm");
  const before = tf.memory().numTensors;
  // The Transformer's widths (d_model 24 … 128: 48 and 24 are not powers of 2, so the means' division
  // is exercised), its row count, a single row, and rows far from mean 0 / variance 1.
  for (const [rows, width, seed] of [[1, 4, 1], [7, 24, 2], [64, 48, 3], [3840, 128, 4], [960, 64, 5]]) {
    const tensors = [
      tf.tidy(() => tf.add(tf.mul(normalTensor(seed, [rows, width]), 3), 2)),
      tf.tidy(() => tf.add(normalTensor(seed + 10, [width], 0.5), 1)),
      normalTensor(seed + 20, [width], 0.5),
    ];
    const weights = normalTensor(seed + 30, [rows, width]);
    const run = (vectorized: boolean) =>
      valueAndGradients(
        (input, gamma, beta) =>
          layerNorm(input as tf.Tensor2D, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5, { vectorized }),
        tensors,
        weights,
      );
    const simd = await run(true);
    const ops = await run(false);
    const label = `${rows}×${width}`;
    assert.deepEqual(simd.value, ops.value, `${label}: value`);
    ["d input", "d gamma", "d beta"].forEach((name, index) =>
      assert.deepEqual(simd.gradients[index], ops.gradients[index], `${label}: ${name}`)
    );
    tf.dispose([...tensors, weights]);
  }
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
});
