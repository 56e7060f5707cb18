import assert from "node:assert/strict";
import { tf } from "../../lib/backend/mod.ts";
import { dropoutMask } from "../../lib/kernels/mod.ts";
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

Deno.test("dropoutMask rejects rates outside [0, 1)", () => {
  assert.throws(() => dropoutMask([2], 1, 0), /rate must be in \[0, 1\)/);
});
