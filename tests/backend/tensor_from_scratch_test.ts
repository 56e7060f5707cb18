import assert from "node:assert/strict";
import { selectBackend, tensorFromScratch } from "../../lib/backend/mod.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`tensorFromScratch (${backend}): the tensor keeps its values when the scratch is reused`, async () => {
    await selectBackend(backend);
    const scratch = new Float32Array([1, 2, 3, 4, 5, 6]);
    const tensor = tensorFromScratch(scratch, [2, 3]);
    scratch.fill(-1);
    assert.deepEqual(tensor.shape, [2, 3]);
    assert.equal(tensor.dtype, "float32");
    assert.deepEqual([...tensor.dataSync()], [1, 2, 3, 4, 5, 6]);
    tensor.dispose();
  });
}
