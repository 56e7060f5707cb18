/** The wasm backend's copy-free `Identity` (lib/backend/_wasm_identity.ts). */
import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";

Deno.test("wasm Identity: a clone shares its input's buffer, outlives the input, and keeps its values", async () => {
  await selectBackend("wasm");
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const buffers = tf.memory().numDataBuffers;
  const clone = tf.clone(x);
  assert.equal(tf.memory().numDataBuffers, buffers, "no new buffer");
  assert.notEqual(clone.id, x.id, "a tensor of its own");
  assert.deepEqual(clone.shape, [2, 3]);
  x.dispose();
  assert.deepEqual([...clone.dataSync()], [1, 2, 3, 4, 5, 6], "the buffer lives while the clone does");
  clone.dispose();
  assert.equal(tf.memory().numDataBuffers, buffers - 1, "freed with the last reference");
  const flags = tf.clone(tf.tensor1d([true, false], "bool"));
  assert.deepEqual([...flags.dataSync()], [1, 0]);
  assert.equal(flags.dtype, "bool");
  const words = tf.clone(tf.tensor1d(["a", "b"], "string"));
  assert.deepEqual(words.arraySync(), ["a", "b"], "strings go to tfjs' own kernel");
  tf.dispose([flags, words]);
});

Deno.test("wasm Identity: a custom-gradient op's saved inputs stay right when the inputs are freed before the backward pass", async () => {
  await selectBackend("wasm");
  const square = tf.customGrad(
    ((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return {
        value: tf.mul(x, x),
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, tf.mul(saved, 2)),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  const gradient = tf.grad((x: tf.Tensor) => {
    const input = tf.add(x, 1); // an intermediate the engine may free once its consumers ran
    return tf.sum(square(input));
  })(tf.tensor1d([1, 2, 3]));
  assert.deepEqual([...gradient.dataSync()], [4, 6, 8]);
});
