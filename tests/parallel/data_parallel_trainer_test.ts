import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { DataParallelTrainer, sliceWindowBatch } from "../../lib/parallel/mod.ts";
import { TransformerClassifier, type TransformerClassifierArgs } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { Adam, clipByGlobalNorm } from "../../lib/train/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";

await selectBackend("cpu");

const modelsWorker = new URL("../../lib/models/_replica_worker.ts", import.meta.url).href;
const noDropout: TransformerClassifierArgs = {
  dModel: 8,
  heads: 2,
  layers: 1,
  dropout: 0,
  embeddingDropout: 0,
  headDropout: 0,
};

function makeBatch(seed: number, size: number, steps = 5): WindowBatch {
  const random = createRandom(seed);
  const lengths = Int32Array.from({ length: size }, () => steps - random.int(2));
  const mask = new Float32Array(size * steps);
  lengths.forEach((length, window) => mask.fill(1, window * steps + steps - length, (window + 1) * steps));
  return {
    size,
    steps,
    features: 8,
    inputs: Float32Array.from(
      { length: size * steps * 8 },
      (_, at) => random.normal() * mask[Math.floor(at / 8)],
    ),
    mask,
    lengths,
    labels: Int32Array.from({ length: size }, () => random.int(3)),
    futureReturns: Float32Array.from({ length: size }, () => random.normal() * 0.01),
    futureVolatility: Float32Array.from({ length: size }, () => random.uniform() * 0.01),
    refs: [],
  };
}

function create(model: TransformerClassifier, args: TransformerClassifierArgs, workers: number) {
  return DataParallelTrainer.create({
    model,
    replica: { worker: modelsWorker, name: "TransformerClassifier", args },
    workers,
    slice: sliceWindowBatch,
  });
}

/** Trains `steps` steps (global-norm clipping 1, Adam 1e-2); returns the losses and final weights. */
async function train(args: TransformerClassifierArgs, workers: number, steps: number) {
  const model = new TransformerClassifier(args);
  using trainer = await create(model, args, workers);
  const adam = new Adam(model.namedVariables);
  const random = createRandom(7);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { loss, gradients } = await trainer.gradients(makeBatch(step, 7), random);
    const clipped = clipByGlobalNorm(gradients, 1);
    adam.apply(clipped.gradients, 1e-2);
    tf.dispose([clipped.norm, ...gradients.values(), ...clipped.gradients.values()]);
    losses.push(loss);
  }
  const weights = [...model.namedVariables].map(([name, variable]) =>
    [name, variable.dataSync().slice()] as const
  );
  model.dispose();
  return { losses, weights: new Map(weights) };
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let at = 0; at < expected.length; at++) {
    worst = Math.max(worst, Math.abs(actual[at] - expected[at]) / (1e-3 + Math.abs(expected[at])));
  }
  return worst;
}

Deno.test("DataParallelTrainer: the 2-worker gradient is the full-batch gradient (within 1e-4 relative)", async () => {
  const model = new TransformerClassifier({ ...noDropout, multiTask: true });
  const batch = makeBatch(1, 7); // odd: parts of 4 and 3, so the size weighting matters
  const variables = [...model.namedVariables.values()];
  const { value, grads } = tf.variableGrads(() => model.loss(batch, createRandom(1)), variables);
  const expectedLoss = value.dataSync()[0];
  {
    using trainer = await create(model, { ...noDropout, multiTask: true }, 2);
    assert.equal(trainer.workers, 2);
    const { loss, gradients } = await trainer.gradients(batch, createRandom(1));
    assertClose(loss, expectedLoss, { absolute: 1e-5 * Math.abs(expectedLoss) });
    assert.deepEqual([...gradients.keys()], [...model.namedVariables.keys()]);
    for (const [name, variable] of model.namedVariables) {
      const error = maxRelativeError(gradients.get(name)!.dataSync(), grads[variable.name].dataSync());
      assert.ok(error <= 1e-4, `${name}: relative error ${error}`);
    }
    tf.dispose([...gradients.values()]);
  }
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
});

Deno.test("DataParallelTrainer: replicas stay in sync — 4 steps with 2 workers track 1 worker", async () => {
  const one = await train(noDropout, 1, 4);
  const two = await train(noDropout, 2, 4);
  // If the worker kept stale weights, its gradients (hence the losses after step 1) would drift.
  one.losses.forEach((loss, step) =>
    assertClose(loss, two.losses[step], { absolute: 1e-4, label: `step ${step}` })
  );
  for (const [name, expected] of one.weights) {
    // The key bias's true gradient is zero (softmax ignores a per-query constant): both runs see
    // float noise there, which Adam scales up to full-size steps of arbitrary sign. Not comparable.
    if (name.endsWith("/attention/key/bias")) continue;
    const actual = two.weights.get(name)!;
    for (let at = 0; at < expected.length; at++) {
      assert.ok(
        Math.abs(actual[at] - expected[at]) <= 1e-4,
        `${name}[${at}]: ${actual[at]} vs ${expected[at]}`,
      );
    }
  }
  assert.ok(one.losses[3] !== one.losses[0]); // the weights did move
});

Deno.test("DataParallelTrainer: with dropout, one seed and worker count give identical results", async () => {
  const withDropout = { ...noDropout, dropout: 0.3, embeddingDropout: 0.2 };
  const first = await train(withDropout, 2, 3);
  const second = await train(withDropout, 2, 3);
  assert.deepEqual(first.losses, second.losses);
  assert.deepEqual(first.weights, second.weights);
  const plain = await train(noDropout, 2, 3);
  assert.notDeepEqual(first.losses, plain.losses); // dropout is really on
});

Deno.test("DataParallelTrainer: 1 worker is the plain variableGrads path, bit for bit", async () => {
  const args = { ...noDropout, dropout: 0.2 };
  const model = new TransformerClassifier(args);
  const batch = makeBatch(3, 4);
  const { value, grads } = tf.variableGrads(() => model.loss(batch, createRandom(5)), [
    ...model.namedVariables.values(),
  ]);
  using trainer = await create(model, args, 1);
  const { loss, gradients } = await trainer.gradients(batch, createRandom(5));
  assert.equal(loss, value.dataSync()[0]);
  for (const [name, variable] of model.namedVariables) {
    assert.deepEqual(gradients.get(name)!.dataSync(), grads[variable.name].dataSync());
  }
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
});

Deno.test("DataParallelTrainer: dispose terminates the workers; later use is a clear error", async () => {
  const model = new TransformerClassifier(noDropout);
  const trainer = await create(model, noDropout, 3);
  assert.equal(trainer.workers, 3);
  trainer.dispose();
  trainer.dispose(); // idempotent
  await assert.rejects(trainer.gradients(makeBatch(1, 3), createRandom(1)), /used after dispose/);
  model.dispose();
  // The test sanitizers (on by default) fail this test if a worker were left running.
});

Deno.test("DataParallelTrainer: bad arguments and replicas are clear errors", async () => {
  const model = new TransformerClassifier(noDropout);
  await assert.rejects(create(model, noDropout, 0), /workers must be an integer ≥ 1, got 0/);
  await assert.rejects(
    DataParallelTrainer.create({ model, workers: 2, slice: sliceWindowBatch }),
    /needs a replica spec/,
  );
  await assert.rejects(
    DataParallelTrainer.create({
      model,
      replica: { worker: modelsWorker, name: "NoSuchModel", args: {} },
      workers: 2,
      slice: sliceWindowBatch,
    }),
    /worker 1 failed: worker .*models\/_replica_worker\.ts serves no replica named "NoSuchModel" \(it serves LstmRegressor, TransformerClassifier\)/,
  );
  await assert.rejects(
    create(model, { ...noDropout, dModel: 16 }, 2),
    /worker 1's replica .* does not match/,
  );
  model.dispose();
});

Deno.test("DataParallelTrainer: an error inside a worker's step rejects with the worker's message", async () => {
  const { FailingModel } = await import("./_failing_model.ts");
  const model = new FailingModel({ failOnSize: 2 });
  using trainer = await DataParallelTrainer.create({
    model,
    replica: {
      worker: new URL("./_failing_worker.ts", import.meta.url).href,
      name: "FailingModel",
      args: { failOnSize: 2 },
    },
    workers: 2,
    slice: sliceWindowBatch,
  });
  // A batch of 5 is cut into 3 (main, fine) and 2 (the worker, which throws).
  await assert.rejects(
    trainer.gradients(makeBatch(1, 5), createRandom(1)),
    /DataParallelTrainer: worker 1 failed: FailingModel: refusing a batch of 2/,
  );
  // The trainer stays failed rather than silently training on part of the batch.
  await assert.rejects(trainer.gradients(makeBatch(1, 4), createRandom(1)), /worker 1 failed/);
  tf.dispose([...model.namedVariables.values()]);
});

Deno.test("DataParallelTrainer: an error in the main thread's part surfaces, the workers' replies no harm", async () => {
  const { FailingModel } = await import("./_failing_model.ts");
  const model = new FailingModel({ failOnSize: 3 });
  using trainer = await DataParallelTrainer.create({
    model,
    replica: {
      worker: new URL("./_failing_worker.ts", import.meta.url).href,
      name: "FailingModel",
      args: { failOnSize: 3 },
    },
    workers: 2,
    slice: sliceWindowBatch,
  });
  await assert.rejects(
    trainer.gradients(makeBatch(1, 5), createRandom(1)),
    /FailingModel: refusing a batch of 3/,
  );
  const { gradients } = await trainer.gradients(makeBatch(1, 4), createRandom(1)); // parts of 2 and 2
  assert.deepEqual([...gradients.keys()], ["w"]);
  tf.dispose([...model.namedVariables.values(), ...gradients.values()]);
});

Deno.test("sliceWindowBatch: copies the windows start..end−1 and checks its bounds", () => {
  const batch = makeBatch(2, 4, 3);
  const part = sliceWindowBatch(batch, 1, 3);
  assert.equal(part.size, 2);
  assert.deepEqual(part.inputs, batch.inputs.slice(24, 72));
  assert.deepEqual(part.mask, batch.mask.slice(3, 9));
  assert.deepEqual(part.labels, batch.labels.slice(1, 3));
  assert.notEqual(part.inputs.buffer, batch.inputs.buffer);
  assert.throws(() => sliceWindowBatch(batch, 2, 5), /0 ≤ start ≤ end ≤ 4, got 2\.\.5/);
});
