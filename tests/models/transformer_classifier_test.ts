import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import {
  parameterCount,
  positionalEncodingValues,
  TransformerClassifier,
  type TransformerClassifierArgs,
} from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";

await selectBackend("cpu");

const tiny: TransformerClassifierArgs = { dModel: 8, heads: 2, layers: 1, dropout: 0 };

function randomInputs(seed: number, batch: number, steps: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: batch * steps * 8 }, () => random.normal());
}

function logitsOf(
  model: TransformerClassifier,
  inputs: Float32Array,
  mask: Float32Array,
  steps: number,
): Float32Array {
  const batch = mask.length / steps;
  return tf.tidy(() => {
    const { logits } = model.apply(tf.tensor3d(inputs, [batch, steps, 8]), tf.tensor2d(mask, [batch, steps]));
    return logits.dataSync() as Float32Array;
  });
}

Deno.test("parameterCount: hand count of a tiny model, and equal to the built variables", () => {
  // embedding 8·8+8 = 72; attention 4·(8·8+8) = 288; two norms 32; feed-forward 8·32+32 + 32·8+8 = 552;
  // head 8·3+3 = 27 → 971
  assert.equal(parameterCount(tiny), 971);
  for (
    const args of [
      tiny,
      { dModel: 24, heads: 4, layers: 2, headHiddenUnits: 16, multiTask: true },
      { dModel: 16, heads: 4, layers: 3, feedForwardUnits: 20 },
    ]
  ) {
    const model = new TransformerClassifier(args);
    let built = 0;
    for (const variable of model.namedVariables.values()) built += variable.size;
    assert.equal(parameterCount(args), built);
    model.dispose();
  }
  assert.throws(() => parameterCount({ dModel: 10, heads: 4 }), /not divisible/);
});

Deno.test("same seed, same weights; another seed, other weights", () => {
  const a = new TransformerClassifier({ ...tiny, seed: 3 });
  const b = new TransformerClassifier({ ...tiny, seed: 3 });
  const c = new TransformerClassifier({ ...tiny, seed: 4 });
  const kernel = (model: TransformerClassifier) => model.namedVariables.get("embedding/kernel")!.dataSync();
  assert.deepEqual(kernel(a), kernel(b));
  assert.notDeepEqual(kernel(a), kernel(c));
  [a, b, c].forEach((model) => model.dispose());
});

for (const positionalEncoding of ["none", "sinusoidal", "time-aware", "original-time-aware"] as const) {
  for (const pooling of ["last", "mean"] as const) {
    Deno.test(`padding is masked out (${positionalEncoding}, ${pooling} pooling): padded = unpadded, pad values ignored`, () => {
      const model = new TransformerClassifier({
        ...tiny,
        positionalEncoding,
        pooling,
        multiScaleDays: [3, Infinity],
      });
      const real = randomInputs(1, 1, 5);
      const alone = logitsOf(model, real, new Float32Array(5).fill(1), 5);
      // the same window left-padded to 9 steps, padding filled with garbage
      const padded = new Float32Array(9 * 8);
      padded.set(randomInputs(2, 1, 4).map((value) => value * 100));
      padded.set(real, 4 * 8);
      const mask = Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1]);
      assertClose(logitsOf(model, padded, mask, 9), alone, { absolute: 2e-5 });
      model.dispose();
    });
  }
}

Deno.test("multi-scale 'restrict' really restricts; the original's additive 0/1 mask does not", () => {
  const steps = 6;
  const base = randomInputs(5, 1, steps);
  const changed = base.slice();
  for (let feature = 0; feature < 8; feature++) changed[(steps - 3) * 8 + feature] += 5; // 3rd newest day
  const mask = new Float32Array(steps).fill(1);
  const restrict = new TransformerClassifier({ ...tiny, heads: 1, multiScaleDays: [2] });
  assertClose(logitsOf(restrict, changed, mask, steps), logitsOf(restrict, base, mask, steps), {
    absolute: 1e-6,
  });
  const nearer = base.slice();
  nearer[(steps - 2) * 8] += 5; // 2nd newest day is inside the 2-day window
  assert.notDeepEqual(logitsOf(restrict, nearer, mask, steps), logitsOf(restrict, base, mask, steps));
  const original = new TransformerClassifier({
    ...tiny,
    heads: 1,
    multiScaleDays: [2],
    multiScaleMask: "original-additive",
  });
  const difference = logitsOf(original, changed, mask, steps).map((value, index) =>
    Math.abs(value - logitsOf(original, base, mask, steps)[index])
  );
  assert.ok(Math.max(...difference) > 1e-4);
  restrict.dispose();
  original.dispose();
});

Deno.test("time-aware encoding weighs the newest day most; the original's gives it e^-4 ≈ 0.018", () => {
  const norm = (values: Float32Array, row: number, width: number) =>
    Math.hypot(...values.subarray(row * width, (row + 1) * width));
  const ours = positionalEncodingValues({ dModel: 16, positionalEncoding: "time-aware" }, 60);
  assert.ok(norm(ours, 59, 16) > norm(ours, 0, 16) * 100);
  assertClose(norm(ours, 59, 16), Math.sqrt(8), { absolute: 1e-5 }); // sin² + cos² per pair, weight 1
  const original = positionalEncodingValues({ dModel: 16, positionalEncoding: "original-time-aware" }, 60);
  const weightOfNewest = norm(original, 59, 16) / Math.sqrt(8);
  assertClose(weightOfNewest, Math.exp(-4), { absolute: 1e-6 });
  assertClose(weightOfNewest, 0.018, { absolute: 0.001 });
});

Deno.test("every variable gets a gradient; multi-task heads train too; nothing leaks", async () => {
  const before = tf.memory().numTensors;
  const model = new TransformerClassifier({ ...tiny, dropout: 0.1, headHiddenUnits: 4, multiTask: true });
  const batch = {
    size: 2,
    steps: 4,
    features: 8,
    inputs: randomInputs(9, 2, 4),
    mask: Float32Array.from([0, 1, 1, 1, 1, 1, 1, 1]),
    lengths: Int32Array.from([3, 4]),
    labels: Int32Array.from([0, 2]),
    futureReturns: Float32Array.from([0.05, -0.01]),
    futureVolatility: Float32Array.from([0.02, 0.01]),
    refs: [],
  };
  const { value, grads } = tf.variableGrads(() => model.loss(batch, createRandom(1)), [
    ...model.namedVariables.values(),
  ]);
  assert.ok(Number.isFinite(value.dataSync()[0]));
  for (const [name, variable] of model.namedVariables) {
    const gradient = grads[variable.name];
    assert.ok(gradient, `no gradient for ${name}`);
    assert.ok(gradient.dataSync().some((entry) => entry !== 0), `zero gradient for ${name}`);
  }
  tf.dispose([value, ...Object.values(grads)]);
  const probabilities = await model.predictProbabilities(batch);
  assert.equal(probabilities.length, 6);
  assertClose(probabilities[0] + probabilities[1] + probabilities[2], 1, { absolute: 1e-6 });
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

function constantBatch(labels: number[]): WindowBatch {
  const size = labels.length;
  return {
    size,
    steps: 3,
    features: 8,
    inputs: randomInputs(12, size, 3),
    mask: new Float32Array(size * 3).fill(1),
    lengths: new Int32Array(size).fill(3),
    labels: Int32Array.from(labels),
    futureReturns: new Float32Array(size).fill(0.05),
    futureVolatility: new Float32Array(size).fill(0.02),
    refs: [],
  };
}

async function lossOf(model: TransformerClassifier, batch: WindowBatch): Promise<number> {
  const loss = model.loss(batch, createRandom(0));
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

Deno.test("the loss option selects the classification loss; multi-task adds weighted auxiliary errors", async () => {
  const batch = constantBatch([0, 1, 2, 1]);
  const plain = new TransformerClassifier({ ...tiny, seed: 7 });
  const focal = new TransformerClassifier({ ...tiny, seed: 7, loss: { kind: "focal", gamma: 2 } });
  const multi = new TransformerClassifier({ ...tiny, seed: 7, multiTask: true, auxiliaryLossWeight: 0.5 });
  const crossEntropy = await lossOf(plain, batch);
  // same weights (same seed), so focal < cross-entropy (every factor (1 − p)² < 1)
  assert.ok((await lossOf(focal, batch)) < crossEntropy);
  // multi-task: cross-entropy + 0.5 · (MSE(vol·10) + MSE(return·10)); the heads' outputs are not zero,
  // so the total must exceed the plain cross-entropy
  assert.ok((await lossOf(multi, batch)) > crossEntropy);
  [plain, focal, multi].forEach((model) => model.dispose());
});

Deno.test("originalDoubleSoftmax reproduces the published bug: cross-entropy can never fall below 0.551", async () => {
  const model = new TransformerClassifier({ ...tiny, originalDoubleSoftmax: true });
  // make the model certain of class 0: a huge output bias
  model.namedVariables.get("head/output/bias")!.assign(tf.tensor1d([100, 0, 0]));
  const loss = await lossOf(model, constantBatch([0, 0]));
  // softmax of [1, 0, 0] gives e / (e + 2) at best: −log(e / (e + 2)) = 0.5514
  assertClose(loss, -Math.log(Math.E / (Math.E + 2)), { absolute: 1e-4 });
  const probabilities = await model.predictProbabilities(constantBatch([0]));
  assert.ok(probabilities[0] > 0.999);
  model.dispose();
});
