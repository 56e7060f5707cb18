/** TransformerClassifier's fused path (lib/kernels) against its op-by-op path. */
import assert from "node:assert/strict";
import { type BackendName, selectBackend, tf } from "../../lib/backend/mod.ts";
import { TransformerClassifier, type TransformerClassifierArgs } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";

const TOLERANCE = 2e-5;

function tinyBatch(): WindowBatch {
  const random = createRandom(4);
  // 8 steps and head depths of 4: multiples of 4, so the wasm SIMD kernel runs every product
  const size = 3, steps = 8;
  return {
    size,
    steps,
    features: 8,
    inputs: Float32Array.from({ length: size * steps * 8 }, () => random.normal()),
    // item 0 has 3 padded days, item 1 one, item 2 none
    mask: Float32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    lengths: Int32Array.from([5, 7, 8]),
    labels: Int32Array.from([0, 2, 1]),
    futureReturns: Float32Array.from([0.03, -0.02, 0.01]),
    futureVolatility: Float32Array.from([0.02, 0.01, 0.015]),
    refs: [],
  };
}

/** Loss and every variable's gradient (by name) of one training step's loss, dropout seeded. */
async function lossAndGradients(
  args: TransformerClassifierArgs,
  batch: WindowBatch,
): Promise<{ loss: number; gradients: Map<string, Float32Array>; logits: Float32Array }> {
  const model = new TransformerClassifier(args);
  try {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, createRandom(11)), [
      ...model.namedVariables.values(),
    ]);
    const gradients = new Map<string, Float32Array>();
    for (const [name, variable] of model.namedVariables) {
      gradients.set(name, (await grads[variable.name].data()) as Float32Array);
    }
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    const inputs = tf.tensor3d(batch.inputs, [batch.size, batch.steps, 8]);
    const mask = tf.tensor2d(batch.mask, [batch.size, batch.steps]);
    const outputs = model.apply(inputs, mask, {}, batch.lengths);
    const logits = (await outputs.logits.data()) as Float32Array;
    tf.dispose([inputs, mask, ...Object.values(outputs)]);
    return { loss, gradients, logits };
  } finally {
    model.dispose();
  }
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length);
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index] - expected[index]) / Math.max(1, Math.abs(expected[index]));
    assert.ok(error <= TOLERANCE, `${label}[${index}]: ${actual[index]} vs ${expected[index]}`);
  }
}

const configurations: [string, TransformerClassifierArgs][] = [
  ["padding, dropout 0.2, last pooling", { dModel: 8, heads: 2, layers: 2, dropout: 0.2, seed: 5 }],
  ["multi-scale restrict, embedding dropout, mean pooling, multi-task, time-aware", {
    dModel: 12,
    heads: 3,
    layers: 1,
    dropout: 0.1,
    embeddingDropout: 0.2,
    multiScaleDays: [2, Infinity],
    pooling: "mean",
    multiTask: true,
    headHiddenUnits: 4,
    positionalEncoding: "time-aware",
    seed: 6,
  }],
  ["multi-scale original-additive, original-time-aware", {
    dModel: 8,
    heads: 2,
    layers: 1,
    dropout: 0.1,
    multiScaleDays: [3],
    multiScaleMask: "original-additive",
    positionalEncoding: "original-time-aware",
    seed: 7,
  }],
  // "last" pooling: the last layer computes the newest day only (sliced masks and dropout draws)
  ["multi-scale restrict, last pooling, multi-task, 3 layers", {
    dModel: 8,
    heads: 2,
    layers: 3,
    dropout: 0.2,
    multiScaleDays: [2, Infinity],
    multiTask: true,
    seed: 8,
  }],
];

// webgpu runs on Deno's software adapter here; EQUILAB_SKIP_WEBGPU=1 opts out (README)
const BACKENDS: BackendName[] = Deno.env.get("EQUILAB_SKIP_WEBGPU") === "1" ? ["cpu", "wasm"] : [
  "cpu",
  "wasm",
  "webgpu",
];

for (const backend of BACKENDS) {
  for (const [label, args] of configurations) {
    Deno.test(`TransformerClassifier (${backend}, ${label}): fused = ops: logits, loss and every gradient within ${TOLERANCE}`, async () => {
      await selectBackend(backend);
      // tiny shapes: without this, tfjs would run many webgpu ops on the cpu backend instead
      if (backend === "webgpu") tf.env().set("WEBGPU_CPU_FORWARD", false);
      const before = tf.memory().numTensors;
      const batch = tinyBatch();
      const fused = await lossAndGradients({ ...args, implementation: "fused" }, batch);
      const ops = await lossAndGradients({ ...args, implementation: "ops" }, batch);
      assertClose([fused.loss], [ops.loss], "loss");
      assertClose(fused.logits, ops.logits, "logits");
      assert.deepEqual([...fused.gradients.keys()], [...ops.gradients.keys()]);
      for (const [name, gradient] of ops.gradients) {
        assert.ok(gradient.some((entry) => entry !== 0), `zero gradient for ${name}`);
        assertClose(fused.gradients.get(name)!, gradient, name);
      }
      assert.equal(tf.memory().numTensors, before);
      await selectBackend("cpu");
    });
  }
}

Deno.test("TransformerClassifier fused: same seed, bit-identical loss and gradients; dropout changes them", async () => {
  await selectBackend("wasm");
  const batch = tinyBatch();
  const args = configurations[0][1];
  const a = await lossAndGradients(args, batch);
  const b = await lossAndGradients(args, batch);
  assert.equal(a.loss, b.loss);
  for (const [name, gradient] of a.gradients) assert.deepEqual(b.gradients.get(name), gradient, name);
  const noDropout = await lossAndGradients({ ...args, dropout: 0 }, batch);
  assert.notEqual(noDropout.loss, a.loss);
  await selectBackend("cpu");
});

Deno.test("TransformerClassifier: implementation defaults to fused and rejects unknown values", () => {
  const model = new TransformerClassifier({ dModel: 8, heads: 2, layers: 1 });
  assert.equal(model.args.implementation, "fused");
  model.dispose();
  assert.throws(
    () => new TransformerClassifier({ implementation: "fast" as "fused" }),
    /implementation must be "fused" or "ops", got "fast"/,
  );
});
