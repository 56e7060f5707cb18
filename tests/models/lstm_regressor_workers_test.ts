import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend } from "../../lib/backend/mod.ts";
import { LstmRegressor, type LstmRegressorArgs, sliceLstmTrainingBatch } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

await selectBackend("cpu");

function windows(count: number, windowDays: number, featureCount: number) {
  const random = createRandom(3);
  return {
    inputs: Float32Array.from({ length: count * windowDays * featureCount }, () => random.uniform()),
    targets: Float64Array.from({ length: count }, () => random.uniform()),
    count,
  };
}

async function fitWith(workers: number) {
  const args: LstmRegressorArgs = {
    featureCount: 3,
    windowDays: 4,
    hiddenSize: 5,
    layers: 2,
    dropout: 0.2,
    batchSize: 4,
    epochs: 3,
    seed: 9,
    workers,
  };
  const model = new LstmRegressor(args);
  const history = await model.fit(windows(10, 4, 3)); // batches of 4, 4, 2
  const weights = model.getWeights();
  model.dispose();
  return { history, weights };
}

Deno.test("LstmRegressor workers: 2 workers train to 1 worker's weights (within 1e-5), dropout included", async () => {
  const one = await fitWith(1);
  const two = await fitWith(2);
  assert.equal(two.history.steps, one.history.steps);
  one.history.loss.forEach((loss, epoch) => assertClose(loss, two.history.loss[epoch], { absolute: 1e-5 }));
  const flat = (weights: typeof one.weights) => [
    ...weights.layers.flatMap((layer) => [...layer.kernel, ...layer.recurrentKernel, ...layer.bias]),
    ...weights.head.kernel,
    weights.head.bias,
  ];
  const expected = flat(one.weights), actual = flat(two.weights);
  expected.forEach((value, at) =>
    assertClose(actual[at], value, { absolute: 1e-5, label: `${at}: ${actual[at]} vs ${value}` })
  );
  const again = await fitWith(2);
  assert.deepEqual(again.history.loss, two.history.loss); // deterministic run to run
});

Deno.test("LstmRegressor workers: must be an integer ≥ 1", () => {
  assert.throws(
    () => new LstmRegressor({ featureCount: 1, workers: 0 }),
    /workers must be an integer ≥ 1, got 0/,
  );
});

Deno.test("sliceLstmTrainingBatch: cuts inputs, targets and masks along the window axis", () => {
  const batch = {
    size: 3,
    inputs: Float32Array.from({ length: 6 }, (_, at) => at),
    targets: new Float32Array([7, 8, 9]),
    masks: [{ values: Float32Array.from({ length: 12 }, (_, at) => at), shape: [3, 2, 2] }],
  };
  const part = sliceLstmTrainingBatch(batch, 1, 3);
  assert.deepEqual(part.inputs, new Float32Array([2, 3, 4, 5]));
  assert.deepEqual(part.targets, new Float32Array([8, 9]));
  assert.deepEqual(part.masks![0].shape, [2, 2, 2]);
  assert.deepEqual(part.masks![0].values, Float32Array.from({ length: 8 }, (_, at) => at + 4));
  assert.throws(() => sliceLstmTrainingBatch(batch, 0, 4), /0 ≤ start ≤ end ≤ 3, got 0\.\.4/);
});
