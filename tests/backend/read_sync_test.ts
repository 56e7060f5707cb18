import assert from "node:assert/strict";
import { readSync, selectBackend, tf } from "../../lib/backend/mod.ts";

Deno.test("readSync returns a tensor's values on a backend that reads synchronously", async () => {
  await selectBackend("cpu");
  const tensor = tf.tensor1d([1.5, -2]);
  try {
    assert.deepEqual([...readSync(tensor, "test", "await tensor.data()")], [1.5, -2]);
  } finally {
    tensor.dispose();
  }
  // Its webgpu error (naming caller and alternative) is checked on a real adapter by
  // webgpu_training_test.ts, which runs LstmRegressor.predict there.
});
