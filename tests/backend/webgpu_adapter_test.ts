import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";

/** Runs `body` with `navigator.gpu` replaced by `gpu` (undefined: no WebGPU at all), then restores it. */
async function withGpu(gpu: unknown, body: () => Promise<void>): Promise<void> {
  Object.defineProperty(navigator, "gpu", { value: gpu, configurable: true });
  try {
    await body();
  } finally {
    // The own property shadowed Deno's getter on Navigator.prototype; deleting it restores that.
    delete (navigator as unknown as { gpu?: unknown }).gpu;
  }
}

Deno.test("selectBackend('webgpu') without an adapter says so and what to install, and keeps the backend", async () => {
  await selectBackend("cpu");
  await withGpu({ requestAdapter: () => Promise.resolve(null) }, async () => {
    await assert.rejects(
      () => selectBackend("webgpu"),
      /EQUILAB_BACKEND=webgpu: navigator\.gpu\.requestAdapter\(\) found no adapter .*mesa-vulkan-drivers.*cpu or wasm/,
    );
  });
  assert.equal(tf.getBackend(), "cpu");
});

Deno.test("selectBackend('webgpu') reports a failing requestAdapter and a missing navigator.gpu", async () => {
  await withGpu({ requestAdapter: () => Promise.reject(new Error("driver exploded")) }, async () => {
    await assert.rejects(() => selectBackend("webgpu"), /requestAdapter\(\) failed: driver exploded/);
  });
  await withGpu(undefined, async () => {
    await assert.rejects(() => selectBackend("webgpu"), /this Deno has no navigator\.gpu/);
  });
  assert.ok("gpu" in navigator, "navigator.gpu is restored");
});

Deno.test("automatic selection falls back to wasm without an adapter", async () => {
  await withGpu({ requestAdapter: () => Promise.resolve(null) }, async () => {
    const info = await selectBackend(undefined);
    assert.equal(info.name, "wasm");
    assert.match(info.reason, /no GPU adapter/);
  });
  await selectBackend("cpu");
});
