import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import {
  buildTwoBranchLstm,
  fitTwoBranchLstm,
  hybridWindows,
  predictTwoBranchLstm,
} from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

await selectBackend("cpu");
const TINY = { windowDays: 4, fundamentalFeatures: 2, technicalFeatures: 3, lstmUnits: 3, denseUnits: 2 };

Deno.test("two-branch LSTM: shapes, sigmoid recurrent activation, seeded initialisers", () => {
  const model = buildTwoBranchLstm({ seed: 3, ...TINY });
  assert.deepEqual(model.inputs.map((input) => input.shape), [[null, 4, 2], [null, 4, 3]]);
  assert.deepEqual(model.outputs[0].shape, [null, 1]);
  const lstm = model.getLayer("fundamental_lstm").getConfig();
  assert.equal(lstm.recurrentActivation, "sigmoid");
  assert.equal(lstm.returnSequences, false);
  const again = buildTwoBranchLstm({ seed: 3, ...TINY });
  const other = buildTwoBranchLstm({ seed: 4, ...TINY });
  const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(weights(model), weights(again));
  assert.notDeepEqual(weights(model), weights(other));
  const out = model.predict([tf.zeros([5, 4, 2]), tf.ones([5, 4, 3])]) as tf.Tensor;
  assert.deepEqual(out.shape, [5, 1]);
  tf.dispose([out]);
  for (const m of [model, again, other]) m.dispose();
});

Deno.test("hybridWindows: window ending on day t pairs with close[t + 5] / close[t] − 1; NaN windows counted", () => {
  const days = 12;
  const fundamental = [Float64Array.from({ length: days }, (_, d) => (d === 1 ? NaN : d))];
  const technical = [Float64Array.from({ length: days }, (_, d) => 100 + d)];
  const close = Float64Array.from({ length: days }, (_, d) => 10 + d);
  const { windows, skipped } = hybridWindows(fundamental, technical, close, {
    windowDays: 3,
    horizonDays: 5,
  });
  // ends 2..6 possible; ends 2 and 3 contain day 1 (NaN)
  assert.equal(skipped, 2);
  assert.deepEqual(Array.from(windows.endDay), [4, 5, 6]);
  assert.deepEqual(Array.from(windows.fundamental.slice(0, 3)), [2, 3, 4]);
  assert.deepEqual(Array.from(windows.technical.slice(3, 6)), [103, 104, 105]);
  assertClose(windows.target[0], 19 / 14 - 1, { absolute: 1e-6 });
});

Deno.test("fitTwoBranchLstm: learns a toy target, deterministic, restores the best epoch", async () => {
  const random = createRandom(5);
  const make = (samples: number) => {
    const fundamental = new Float32Array(samples * 4 * 2), technical = new Float32Array(samples * 4 * 3);
    const target = new Float32Array(samples);
    for (let sample = 0; sample < samples; sample++) {
      for (let index = 0; index < 8; index++) fundamental[sample * 8 + index] = random.normal();
      for (let index = 0; index < 12; index++) technical[sample * 12 + index] = random.normal();
      target[sample] = 0.5 * fundamental[sample * 8 + 6] - 0.3 * technical[sample * 12 + 11];
    }
    return {
      fundamental,
      technical,
      target,
      endDay: new Int32Array(samples),
      shape: { samples, windowDays: 4, fundamentalFeatures: 2, technicalFeatures: 3 },
    };
  };
  const train = make(64), validation = make(32);
  const run = async () => {
    const model = buildTwoBranchLstm({ seed: 1, ...TINY });
    const result = await fitTwoBranchLstm(model, train, validation, {
      seed: 2,
      epochs: 12,
      batchSize: 16,
      patience: 3,
      learningRate: 0.02,
    });
    const predicted = predictTwoBranchLstm(model, validation);
    model.dispose();
    return { result, predicted };
  };
  const first = await run();
  const second = await run();
  assert.deepEqual(first.result, second.result);
  assert.deepEqual(first.predicted, second.predicted);
  const { validationLoss, bestEpoch, bestValidationLoss } = first.result;
  assert.ok(bestValidationLoss < validationLoss[0], `validation loss ${validationLoss.join(", ")}`);
  assert.equal(bestValidationLoss, Math.min(...validationLoss));
  assert.equal(validationLoss[bestEpoch], bestValidationLoss);
  // the restored weights give the best epoch's validation loss
  let mse = 0;
  for (let index = 0; index < 32; index++) mse += (first.predicted[index] - validation.target[index]) ** 2;
  assertClose(mse / 32, bestValidationLoss, {
    absolute: 1e-5,
    label: `${mse / 32} vs ${bestValidationLoss}`,
  });
});

Deno.test("fitTwoBranchLstm resumes (断点续训): a run killed after epoch 2 ends as an uninterrupted one", async () => {
  const random = createRandom(9);
  const make = (samples: number) => {
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
  const root = await Deno.makeTempDir();
  const run = async (folder?: string, stopAfter?: number) => {
    const model = buildTwoBranchLstm({ seed: 1, ...TINY });
    try {
      const result = await fitTwoBranchLstm(model, train, validation, {
        seed: 2,
        epochs: 5,
        batchSize: 16,
        patience: 10,
        learningRate: 0.02,
        checkpointFolder: folder,
        onEpoch: (epoch) => {
          if (epoch + 1 === stopAfter) throw new Error("killed");
        },
      });
      return { result, predicted: predictTwoBranchLstm(model, validation) };
    } finally {
      model.dispose();
    }
  };
  try {
    const straight = await run();
    await assert.rejects(() => run(`${root}/run`, 2), /killed/);
    const resumed = await run(`${root}/run`);
    assert.equal(resumed.result.resumedFromEpoch, 2);
    assert.deepEqual(resumed.result.trainLoss, straight.result.trainLoss);
    assert.deepEqual(resumed.result.validationLoss, straight.result.validationLoss);
    assert.equal(resumed.result.bestEpoch, straight.result.bestEpoch);
    assert.deepEqual(resumed.predicted, straight.predicted);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("fitTwoBranchLstm: each batch is its own samples (the epoch's training loss is their MSE), and a pruning rule stops it", async () => {
  const random = createRandom(11);
  const samples = 48;
  const windows = {
    fundamental: Float32Array.from({ length: samples * 4 * 2 }, () => random.normal()),
    technical: Float32Array.from({ length: samples * 4 * 3 }, () => random.normal()),
    target: Float32Array.from({ length: samples }, () => 1 + random.normal()),
    endDay: new Int32Array(samples),
    shape: { samples, windowDays: 4, fundamentalFeatures: 2, technicalFeatures: 3 },
  };
  const model = buildTwoBranchLstm({ seed: 3, ...TINY });
  try {
    // Before any step the model predicts the same as after a step of rate 0: the first epoch's training loss,
    // the mean of 3 equal batches' MSEs, is the MSE over every window. (A batch padded to every sample with
    // zeros, as a bug once made it, would mix in zero targets and give another number.)
    const predicted = predictTwoBranchLstm(model, windows);
    let mse = 0;
    for (let sample = 0; sample < samples; sample++) mse += (predicted[sample] - windows.target[sample]) ** 2;
    const asked: number[] = [];
    const result = await fitTwoBranchLstm(model, windows, windows, {
      seed: 1,
      epochs: 5,
      batchSize: 16,
      learningRate: 0,
      stopWhen: (losses) => {
        asked.push(losses.length);
        return losses.length >= 2;
      },
    });
    assertClose(result.trainLoss[0], mse / samples, { relative: 1e-5 });
    assertClose(result.validationLoss[0], mse / samples, { relative: 1e-5 });
    assert.equal(result.trainLoss.length, 2);
    assert.equal(result.pruned, true);
    assert.deepEqual(asked, [1, 2]);
  } finally {
    model.dispose();
  }
});

Deno.test("predictTwoBranchLstm: chunked prediction equals one predict call over every window, bit for bit", () => {
  const model = buildTwoBranchLstm({ seed: 9, ...TINY });
  const random = createRandom(11);
  const samples = 1024 + 45; // crosses a chunk boundary; the last batch is partial
  const fundamental = Float32Array.from({ length: samples * 4 * 2 }, () => random.normal());
  const technical = Float32Array.from({ length: samples * 4 * 3 }, () => random.normal());
  const windows = {
    fundamental,
    technical,
    target: new Float32Array(samples),
    endDay: new Int32Array(samples),
    shape: { samples, windowDays: 4, fundamentalFeatures: 2, technicalFeatures: 3 },
  };
  const inputs = [tf.tensor3d(fundamental, [samples, 4, 2]), tf.tensor3d(technical, [samples, 4, 3])];
  const whole = model.predict(inputs) as tf.Tensor;
  const expected = whole.dataSync() as Float32Array;
  const predicted = predictTwoBranchLstm(model, windows);
  assert.equal(predicted.length, samples);
  assert.deepEqual(Array.from(predicted), Array.from(expected));
  tf.dispose([...inputs, whole]);
  model.dispose();
});
