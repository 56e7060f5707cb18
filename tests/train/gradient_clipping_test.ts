import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { clipByGlobalNorm } from "../../lib/train/mod.ts";

await selectBackend("cpu");

Deno.test("clipByGlobalNorm: norm over all gradients; only scales down (exactly unchanged below the limit)", async () => {
  const gradients = new Map([["a", tf.tensor1d([3, 4])], ["b", tf.tensor1d([12])]]);
  const { gradients: clipped, norm } = clipByGlobalNorm(gradients, 1);
  assertClose((await norm.data())[0], 13, { absolute: 1e-5 });
  const scale = 1 / (13 + 1e-6);
  assertClose(clipped.get("a")!.dataSync()[1], 4 * scale, { absolute: 1e-6 });
  assertClose(clipped.get("b")!.dataSync()[0], 12 * scale, { absolute: 1e-6 });
  const loose = clipByGlobalNorm(gradients, 100);
  assert.deepEqual(loose.gradients.get("b")!.dataSync(), Float32Array.from([12]));
});
