import assert from "node:assert/strict";
import { tf } from "../../lib/backend/mod.ts";
import { setNativeMatmul } from "../../lib/backend/mod.ts";
import { batchMatMul } from "../../lib/kernels/mod.ts";
import { assertClose, KERNEL_BACKENDS, normalTensor, useBackend } from "./_compare.ts";

const TOLERANCE = 1e-5;

// widths n cover every path of the SIMD kernel: 32-column blocks, then 16, 12, 8 or 4; 6 is not a
// multiple of 4 and must fall back to tf.matMul
const SHAPES: [number, number, number, number][] = [
  [3, 5, 7, 4],
  [2, 4, 3, 8],
  [2, 6, 5, 12],
  [2, 3, 16, 16],
  [2, 5, 9, 28],
  [1, 7, 4, 32],
  [2, 3, 6, 60],
  [2, 2, 3, 100],
  [2, 3, 4, 6],
];

for (const backend of KERNEL_BACKENDS) {
  Deno.test(`batchMatMul (${backend}): = tf.matMul within ${TOLERANCE}, with and without transposeA`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    for (const [batch, m, k, n] of SHAPES) {
      for (const transposeA of [false, true]) {
        const a = normalTensor(batch * 100 + m, transposeA ? [batch, k, m] : [batch, m, k]) as tf.Tensor3D;
        const b = normalTensor(n, [batch, k, n]) as tf.Tensor3D;
        const ours = batchMatMul(a, b, transposeA);
        const plain = tf.matMul(a, b, transposeA, false);
        assert.deepEqual(ours.shape, [batch, m, n]);
        assertClose(
          await ours.data(),
          await plain.data(),
          TOLERANCE,
          `${[batch, m, k, n]} transposeA ${transposeA}`,
        );
        tf.dispose([a, b, ours, plain]);
      }
    }
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("batchMatMul runs its own SIMD kernel on wasm (when n is a multiple of 4, native BLAS off), tf.matMul otherwise", async () => {
  setNativeMatmul(false);
  const kernelsOf = async (n: number) => {
    const profile = await tf.profile(() => batchMatMul(tf.ones([2, 3, 4]), tf.ones([2, 4, n])));
    return profile.kernels.map((kernel) => kernel.name);
  };
  await useBackend("wasm");
  assert.ok((await kernelsOf(8)).includes("EquiLabBatchMatMul"));
  assert.ok(!(await kernelsOf(6)).includes("EquiLabBatchMatMul"));
  await useBackend("cpu");
  assert.ok(!(await kernelsOf(8)).includes("EquiLabBatchMatMul"));
  setNativeMatmul(true);
});

Deno.test("batchMatMul rejects shapes that do not fit", async () => {
  await useBackend("cpu");
  assert.throws(() => batchMatMul(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 4])), /inner sizes differ/);
  assert.throws(() => batchMatMul(tf.zeros([2, 3, 4]), tf.zeros([3, 4, 4])), /expected a \[batch, m, k\]/);
});
