import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { tf } from "../../lib/backend/mod.ts";
import { dropoutMask, multiHeadAttention } from "../../lib/kernels/mod.ts";
import { assertSameValueAndGradients, KERNEL_BACKENDS, normalTensor, useBackend } from "./_compare.ts";

const TOLERANCE = 1e-5;
// steps and depth multiples of 4, so every product runs on wasm's SIMD kernel
const BATCH = 2, STEPS = 8, WIDTH = 8, HEADS = 2;

/** Multi-head attention op by op, as TransformerClassifier's "ops" path computes it. */
function reference(
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  bias: tf.Tensor | undefined,
  multiplier: tf.Tensor | undefined,
): tf.Tensor {
  const depth = WIDTH / HEADS;
  const split = (t: tf.Tensor) => t.reshape([BATCH, STEPS, HEADS, depth]).transpose([0, 2, 1, 3]);
  let scores = tf.mul(tf.matMul(split(query), split(key), false, true), 1 / Math.sqrt(depth));
  if (bias) scores = tf.add(scores, bias);
  let weights = tf.softmax(scores);
  if (multiplier) weights = tf.mul(weights, multiplier);
  return tf.matMul(weights, split(value)).transpose([0, 2, 1, 3]).reshape([BATCH, STEPS, WIDTH]);
}

/** Bias of the model's masks: padding (−1e9 on padded keys) and/or a multi-scale head mask. */
function maskBias(kind: "none" | "padding" | "restrict" | "original-additive"): tf.Tensor | undefined {
  if (kind === "none") return undefined;
  // item 0 has 2 padded days, item 1 none
  const padding = () =>
    tf.tensor4d([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1].map((real) => (1 - real) * -1e9), [
      BATCH,
      1,
      1,
      STEPS,
    ]);
  if (kind === "padding") return padding();
  // head 0 sees itself and 1 day before (scale 2), head 1 is unrestricted
  const values = new Float32Array(HEADS * STEPS * STEPS);
  for (let query = 0; query < STEPS; query++) {
    for (let key = 0; key < STEPS; key++) {
      const allowed = key <= query && query - key < 2;
      values[query * STEPS + key] = kind === "restrict" ? (allowed ? 0 : -1e9) : (allowed ? 1 : 0);
      values[STEPS * STEPS + query * STEPS + key] = kind === "restrict" ? 0 : 1;
    }
  }
  return tf.tidy(() => tf.add(padding(), tf.tensor4d(values, [1, HEADS, STEPS, STEPS])));
}

for (const backend of KERNEL_BACKENDS) {
  for (const mask of ["none", "padding", "restrict", "original-additive"] as const) {
    for (const dropout of [false, true]) {
      const label = `multiHeadAttention (${backend}, mask ${mask}, dropout ${dropout ? "0.3" : "off"})`;
      Deno.test(`${label}: value and gradients of q, k, v = plain ops within ${TOLERANCE}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const bias = maskBias(mask);
        const multiplier = dropout ? dropoutMask([BATCH, HEADS, STEPS, STEPS], 0.3, 17) : undefined;
        const inputs = [1, 2, 3].map((seed) => normalTensor(seed, [BATCH, STEPS, WIDTH]));
        await assertSameValueAndGradients(
          (query, key, value) =>
            multiHeadAttention(query as tf.Tensor3D, key as tf.Tensor3D, value as tf.Tensor3D, {
              heads: HEADS,
              bias,
              dropoutMultiplier: multiplier,
            }),
          (query, key, value) => reference(query, key, value, bias, multiplier),
          inputs,
          TOLERANCE,
          label,
        );
        tf.dispose([...inputs, ...(bias ? [bias] : []), ...(multiplier ? [multiplier] : [])]);
        assert.equal(tf.memory().numTensors, before);
      });
    }
  }
}

for (const backend of KERNEL_BACKENDS) {
  Deno.test(`multiHeadAttention (${backend}): only the newest query = the last row of full attention, value and gradients`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const bias = maskBias("restrict")!;
    const multiplier = dropoutMask([BATCH, HEADS, STEPS, STEPS], 0.3, 17);
    const lastRow = (t: tf.Tensor) => t.slice([0, 0, STEPS - 1, 0], [t.shape[0], HEADS, 1, STEPS]);
    const [biasLast, multiplierLast] = [lastRow(bias), lastRow(multiplier)];
    const inputs = [1, 2, 3].map((seed) => normalTensor(seed, [BATCH, STEPS, WIDTH]));
    await assertSameValueAndGradients(
      (query, key, value) =>
        multiHeadAttention(
          query.slice([0, STEPS - 1, 0], [BATCH, 1, WIDTH]) as tf.Tensor3D,
          key as tf.Tensor3D,
          value as tf.Tensor3D,
          { heads: HEADS, bias: biasLast, dropoutMultiplier: multiplierLast },
        ),
      (query, key, value) =>
        reference(query, key, value, bias, multiplier).slice([0, STEPS - 1, 0], [BATCH, 1, WIDTH]),
      inputs,
      TOLERANCE,
      `multiHeadAttention (${backend}, newest query only)`,
    );
    tf.dispose([...inputs, bias, multiplier, biasLast, multiplierLast]);
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("multiHeadAttention: padded keys get no weight, so padded values cannot change the output", async () => {
  await useBackend("cpu");
  const bias = maskBias("padding")!;
  const query = normalTensor(1, [BATCH, STEPS, WIDTH]) as tf.Tensor3D;
  const value = normalTensor(3, [BATCH, STEPS, WIDTH]) as tf.Tensor3D;
  // change item 0's two padded days (keys and values)
  const changed = tf.tidy(() =>
    tf.add(
      value,
      tf.mul(tf.tensor3d([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [BATCH, STEPS, 1]), 100),
    )
  ) as tf.Tensor3D;
  const a = await multiHeadAttention(query, value, value, { heads: HEADS, bias }).data();
  const b = await multiHeadAttention(query, changed, changed, { heads: HEADS, bias }).data();
  for (let index = 0; index < a.length; index++) {
    assertClose(a[index], b[index], { absolute: 1e-5, label: `${index}` });
  }
  tf.dispose([bias, query, value, changed]);
});

Deno.test("multiHeadAttention rejects mismatched shapes and head counts", async () => {
  await useBackend("cpu");
  const x = tf.zeros([2, 5, 8]) as tf.Tensor3D;
  assert.throws(() => multiHeadAttention(x, x, tf.zeros([2, 4, 8]), { heads: 2 }), /value must be/);
  assert.throws(() => multiHeadAttention(x, x, tf.zeros([2, 5, 6]), { heads: 2 }), /value must be/);
  assert.throws(() => multiHeadAttention(x, x, x, { heads: 3 }), /divisor of width 8/);
  assert.throws(
    () => multiHeadAttention(x, x, x, { heads: 2, dropoutMultiplier: tf.ones([2, 2, 5]) }),
    /dropoutMultiplier must be \[2,2,5,5\]/,
  );
  x.dispose();
});
