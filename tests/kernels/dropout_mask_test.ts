import assert from "node:assert/strict";
import { tf } from "../../lib/backend/mod.ts";
import { dropoutMask } from "../../lib/kernels/mod.ts";
import { keepThreshold } from "../../lib/kernels/_alea_wasm.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { KERNEL_BACKENDS, normalTensor, useBackend } from "./_compare.ts";

for (const backend of KERNEL_BACKENDS) {
  Deno.test(`dropoutMask (${backend}): x · mask is exactly tf.dropout(x) with the same seed`, async () => {
    await useBackend(backend);
    const x = normalTensor(1, [4, 3, 50]);
    const ours = tf.tidy(() => tf.mul(x, dropoutMask(x.shape, 0.25, 123)));
    const theirs = tf.dropout(x, 0.25, undefined, 123);
    assert.deepEqual(await ours.data(), await theirs.data());
    const mask = dropoutMask([600], 0.25, 123);
    const values = Array.from(await mask.data());
    assert.ok(values.every((entry) => entry === 0 || Math.abs(entry - 1 / 0.75) < 1e-6));
    const kept = values.filter((entry) => entry !== 0).length / values.length;
    assert.ok(kept > 0.65 && kept < 0.85, `kept ${kept}`);
    // another seed, another mask
    const other = dropoutMask([600], 0.25, 124);
    assert.notDeepEqual(await other.data(), await mask.data());
    tf.dispose([x, ours, theirs, mask, other]);
  });
}

Deno.test("dropoutMask: bit for bit the op-by-op draw (tf.randomUniform, add, floor, div) for many seeds, rates, sizes", async () => {
  await useBackend("cpu");
  const cases: [number, number, number[]][] = [
    [0.1, 0, [5]],
    [0.1, 7, [64, 4, 6, 6]],
    [0.5, 123456789, [999]],
    [0.3, 2 ** 31 - 1, [3, 1, 7]],
    [0, 42, [10]],
    [0.999, 5, [200]],
    [0.25, -3, [17]],
    [0.1, 0.5, [33]],
    [0.1, 4242, [0]],
  ];
  for (const [rate, seed, shape] of cases) {
    const keep = 1 - rate;
    const reference = tf.tidy(() =>
      tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, "float32", seed), keep)), keep)
    );
    const ours = dropoutMask(shape, rate, seed);
    assert.deepEqual(ours.shape, shape);
    assert.deepEqual(await ours.data(), await reference.data(), `rate ${rate}, seed ${seed}`);
    tf.dispose([reference, ours]);
  }
});

Deno.test("dropoutMask rejects rates outside [0, 1)", () => {
  assert.throws(() => dropoutMask([2], 1, 0), /rate must be in \[0, 1\)/);
});

Deno.test("keepThreshold: the generator outputs from the threshold on, and only they, pass tf.dropout's float32 test", async () => {
  await useBackend("cpu");
  const random = createRandom(5);
  const rates = [
    0,
    1e-7,
    0.1,
    0.25,
    0.3,
    0.5,
    0.75,
    0.999,
    ...Array.from({ length: 20 }, () => random.uniform()),
  ];
  for (const rate of rates) {
    const keep = Math.fround(1 - rate);
    const threshold = keepThreshold(keep);
    assert.ok(
      Number.isInteger(threshold) && threshold >= 0 && threshold <= 2 ** 32,
      `rate ${rate}: ${threshold}`,
    );
    // Outputs around the threshold and at the ends, as tfjs turns them into a mask: u = fround(S) · 2⁻³²
    // (float32), then floor(u + keep) in float32 ops.
    const outputs = [0, 1, threshold - 2, threshold - 1, threshold, threshold + 1, 2 ** 32 - 1]
      .filter((output) => output >= 0 && output < 2 ** 32);
    const uniforms = tf.tensor1d(outputs.map((output) => Math.fround(output) * 2 ** -32), "float32");
    const passes = tf.tidy(() => tf.floor(tf.add(uniforms, keep)).dataSync());
    outputs.forEach((output, index) =>
      assert.equal(
        passes[index] >= 1,
        output >= threshold,
        `rate ${rate}, output ${output}, threshold ${threshold}`,
      )
    );
    uniforms.dispose();
  }
});
