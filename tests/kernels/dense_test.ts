import assert from "node:assert/strict";
import { tf } from "../../lib/backend/mod.ts";
import { dense } from "../../lib/kernels/mod.ts";
import { assertSameValueAndGradients, KERNEL_BACKENDS, normalTensor, useBackend } from "./_compare.ts";

const TOLERANCE = 1e-5;

function reference(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, relu: boolean): tf.Tensor {
  const z = tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias);
  return relu ? tf.relu(z) : z;
}

for (const backend of KERNEL_BACKENDS) {
  for (const activation of ["linear", "relu"] as const) {
    // wide→narrow and narrow→wide take different gradient branches
    for (const [rows, inputs, units] of [[7, 3, 5], [6, 5, 2]]) {
      Deno.test(`dense (${backend}, ${activation}, ${inputs}→${units}): value and gradients = plain ops within ${TOLERANCE}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const tensors = [
          normalTensor(1, [rows, inputs]),
          normalTensor(2, [inputs, units]),
          normalTensor(3, [units]),
        ];
        await assertSameValueAndGradients(
          (x, kernel, bias) =>
            dense(x as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D, activation),
          (x, kernel, bias) => reference(x, kernel, bias, activation === "relu"),
          tensors,
          TOLERANCE,
          `dense ${backend} ${activation}`,
        );
        tf.dispose(tensors);
        assert.equal(tf.memory().numTensors, before);
      });
    }
  }
}

Deno.test("dense rejects shapes that do not fit, naming them", async () => {
  await useBackend("cpu");
  assert.throws(() => dense(tf.zeros([2, 3]), tf.zeros([4, 5]), tf.zeros([5])), /shapes do not fit.*\[2,3\]/);
  assert.throws(
    () => dense(tf.zeros([2, 3, 1]) as tf.Tensor as tf.Tensor2D, tf.zeros([3, 5]), tf.zeros([5])),
    /expected x/,
  );
});
