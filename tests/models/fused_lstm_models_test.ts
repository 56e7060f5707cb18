/**
 * The fused LSTM op (default) against stock tf.layers.lstm inside the two LSTM models: same seeded
 * initial weights, and after a few epochs of training the same predictions within PREDICTION_TOLERANCE
 * (both float32; they differ by summation order, and Adam carries the rounding through every step).
 */
import assert from "node:assert/strict";
import { selectBackend } from "../../lib/backend/mod.ts";
import {
  buildTwoBranchLstm,
  fitTwoBranchLstm,
  type HybridWindows,
  LstmRegressor,
  predictTwoBranchLstm,
} from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const PREDICTION_TOLERANCE = 1e-4;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs(a[index] - b[index]));
  return worst;
}

function windows(seed: number, count: number, windowDays: number, featureCount: number) {
  const random = createRandom(seed);
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal());
  const targets = Float64Array.from(
    { length: count },
    (_, index) => 0.5 * inputs[index * windowDays * featureCount],
  );
  return { inputs, targets, count };
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`LstmRegressor (${backend}): fused ≡ layers — initial weights, and predictions after 3 epochs`, async () => {
    await selectBackend(backend);
    const data = windows(3, 48, 6, 3);
    const run = async (implementation: "fused" | "layers") => {
      const model = new LstmRegressor({
        featureCount: 3,
        windowDays: 6,
        hiddenSize: 5,
        layers: 2,
        dropout: 0.2,
        epochs: 3,
        batchSize: 16,
        seed: 9,
        implementation,
      });
      const initial = model.getWeights();
      const history = await model.fit(data);
      const predictions = model.predict(data.inputs, data.count);
      model.dispose();
      return { initial, history, predictions };
    };
    const fused = await run("fused");
    const layers = await run("layers");
    assert.deepEqual(fused.initial, layers.initial);
    const difference = maxDifference(fused.predictions, layers.predictions);
    assert.ok(difference <= PREDICTION_TOLERANCE, `predictions differ by ${difference}`);
    assert.ok(maxDifference(fused.history.loss, layers.history.loss) <= PREDICTION_TOLERANCE);
    // Training moved the predictions far more than the tolerance (the comparison has teeth).
    const untrained = new LstmRegressor({
      featureCount: 3,
      windowDays: 6,
      hiddenSize: 5,
      layers: 2,
      seed: 9,
    });
    assert.ok(
      maxDifference(untrained.predict(data.inputs, data.count), fused.predictions) >
        100 * PREDICTION_TOLERANCE,
    );
    untrained.dispose();
  });

  Deno.test(`two-branch LSTM (${backend}): fused ≡ layers — initial weights, and predictions after training`, async () => {
    await selectBackend(backend);
    const random = createRandom(5);
    const make = (samples: number): HybridWindows => {
      const fundamental = Float32Array.from({ length: samples * 4 * 2 }, () => random.normal());
      const technical = Float32Array.from({ length: samples * 4 * 3 }, () => random.normal());
      const target = Float32Array.from({ length: samples }, (_, sample) => 0.5 * fundamental[sample * 8 + 6]);
      return {
        fundamental,
        technical,
        target,
        endDay: new Int32Array(samples),
        shape: { samples, windowDays: 4, fundamentalFeatures: 2, technicalFeatures: 3 },
      };
    };
    const train = make(48), validation = make(16);
    const run = async (implementation: "fused" | "layers") => {
      const model = buildTwoBranchLstm({
        seed: 1,
        windowDays: 4,
        fundamentalFeatures: 2,
        technicalFeatures: 3,
        lstmUnits: 6,
        denseUnits: 3,
        implementation,
      });
      const initial = model.getWeights().map((weight) => Array.from(weight.dataSync()));
      await fitTwoBranchLstm(model, train, validation, {
        seed: 2,
        epochs: 3,
        batchSize: 16,
        patience: 5,
        learningRate: 0.01,
      });
      const predicted = predictTwoBranchLstm(model, validation);
      model.dispose();
      return { initial, predicted };
    };
    const fused = await run("fused");
    const layers = await run("layers");
    assert.deepEqual(fused.initial, layers.initial);
    const difference = maxDifference(fused.predicted, layers.predicted);
    assert.ok(difference <= PREDICTION_TOLERANCE, `predictions differ by ${difference}`);
  });
}

Deno.test("LstmRegressor trains on webgpu (software adapter) like on cpu: same per-epoch losses", async () => {
  const data = windows(4, 24, 4, 2);
  const losses = async (backend: "cpu" | "webgpu") => {
    await selectBackend(backend);
    const model = new LstmRegressor({
      featureCount: 2,
      windowDays: 4,
      hiddenSize: 3,
      layers: 2,
      epochs: 3,
      batchSize: 8,
      seed: 1,
    });
    const history = await model.fit(data);
    model.dispose();
    return history.loss;
  };
  try {
    const cpu = await losses("cpu");
    const webgpu = await losses("webgpu");
    // Porting note: predict() and getWeights() read with dataSync(), which Deno's webgpu backend
    // cannot do (its readSync needs OffscreenCanvas); training reads asynchronously and works.
    assert.ok(maxDifference(cpu, webgpu) <= PREDICTION_TOLERANCE, `${cpu} vs ${webgpu}`);
    assert.ok(maxDifference(cpu, [cpu[0], cpu[0], cpu[0]]) > 0, "the loss changes between epochs");
  } finally {
    await selectBackend("cpu");
  }
});
