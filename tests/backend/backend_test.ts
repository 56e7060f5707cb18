import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";

Deno.test("selectBackend activates the requested cpu backend and states versions", async () => {
  const info = await selectBackend("cpu");
  assert.equal(info.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(info.versions.tfjs, "4.22.0");
  assert.match(info.summary, /TensorFlow.js 4.22.0 on backend "cpu"/);
  // the matrix-product path (lib/kernels' matmulPath) is stated and recorded
  assert.ok(["native", "wasm"].includes(info.matmul.kind));
  assert.match(info.summary, /; matrix products: (native BLAS \(.+\)|WebAssembly \(.+\)); Deno /);
});

Deno.test("selectBackend runs the wasm backend with the same arithmetic", async () => {
  await selectBackend("wasm");
  const result = await tf.tensor([1, 2, 3]).square().sum().data();
  assert.equal(result[0], 14);
  await selectBackend("cpu");
});

Deno.test("selectBackend rejects unknown names with a clear message", async () => {
  await assert.rejects(
    () => selectBackend("cuda"),
    /EQUILAB_BACKEND="cuda" is not a backend; use one of cpu, wasm/,
  );
});

Deno.test("selectBackend without tfjs-node installed refuses 'tensorflow' with install advice", async () => {
  await assert.rejects(() => selectBackend("tensorflow"), /needs @tensorflow\/tfjs-node/);
});

Deno.test("automatic selection never picks a software WebGPU adapter unless allowed", async () => {
  const info = await selectBackend(undefined);
  if (info.name === "webgpu") assert.ok(!/llvmpipe|swiftshader/i.test(info.adapter ?? ""));
  else assert.equal(info.name, "wasm", "without a GPU the fastest CPU backend, wasm, is chosen");
  await selectBackend("cpu");
});

Deno.test("the cpu backend prints no tfjs-node banner", async () => {
  const warnings: unknown[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  // A fresh cpu backend instance: its first tensor write is what prints the banner.
  const registry = (tf.engine() as unknown as {
    registryFactory: Record<string, { factory: () => tf.KernelBackend; priority: number }>;
  })
    .registryFactory;
  const { factory, priority } = registry["cpu"];
  await selectBackend("wasm");
  tf.removeBackend("cpu");
  tf.registerBackend("cpu", factory, priority);
  try {
    await selectBackend("cpu");
    await tf.tensor([1]).add(1).data();
  } finally {
    console.warn = original;
  }
  assert.equal(warnings.filter((args) => String(args).includes("tfjs-node")).length, 0);
});
