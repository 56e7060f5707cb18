import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { EquiNetWindows, randomWalkStocks } from "../../lib/features/mod.ts";
import { TransformerClassifier } from "../../lib/models/mod.ts";
import { createRandom, type Random } from "../../lib/random/mod.ts";
import {
  classifierEvaluation,
  crossEntropyLoss,
  type EpochRecord,
  readTensorFolder,
  resolveTensorFolder,
  type TrainableModel,
  TrainingStopped,
  trainModel,
} from "../../lib/train/mod.ts";

await selectBackend("cpu");

const windows = new EquiNetWindows(randomWalkStocks(createRandom(31), { stocks: 6, days: 90 }), {
  context: "random",
  minContextDays: 5,
  maxContextDays: 12,
});
const fixedSet = windows.batch(windows.drawWindows("test", 60, createRandom(32)));

function tinyModel(): TransformerClassifier {
  return new TransformerClassifier({
    dModel: 8,
    heads: 2,
    layers: 1,
    dropout: 0.1,
    positionalEncoding: "time-aware",
    seed: 5,
  });
}

async function run(
  folder: string,
  epochs: number,
  stopAfter?: number,
  keepBestBy?: Record<string, (metrics: Record<string, number>) => number>,
) {
  const model = tinyModel();
  try {
    const result = await trainModel({
      model,
      epochs,
      seed: 9,
      learningRate: 3e-3,
      stepEpochs: 2,
      gamma: 0.5,
      clipNorm: 0.5,
      adam: { weightDecay: 1e-5 },
      drawBatches: (random) => windows.drawEpoch(random, 24, 8),
      evaluate: classifierEvaluation(model, fixedSet),
      checkpointFolder: folder,
      metadata: { model: model.args },
      keepBestBy,
      onEpochEnd: (record) => {
        if (record.epoch === stopAfter) throw new Error("killed");
      },
    });
    const weights = [...model.namedVariables].map(([name, variable]) => [name, variable.dataSync().slice()]);
    return { result, weights };
  } finally {
    model.dispose();
  }
}

const withoutSeconds = (history: readonly EpochRecord[]) => history.map(({ seconds: _, ...rest }) => rest);

Deno.test("resume (断点续训): a run killed after epoch 2 and restarted ends bit-identical to an uninterrupted run", async () => {
  const root = await Deno.makeTempDir();
  try {
    const straight = await run(`${root}/straight`, 4);
    await assert.rejects(() => run(`${root}/killed`, 4, 2), /killed/);
    const partial = await readTensorFolder(`${root}/killed/last`);
    assert.equal(partial.metadata.epoch, 2);
    const resumed = await run(`${root}/killed`, 4);
    assert.equal(resumed.result.resumedFromEpoch, 2);
    assert.deepEqual(resumed.weights, straight.weights);
    assert.deepEqual(withoutSeconds(resumed.result.history), withoutSeconds(straight.result.history));
    assert.equal(resumed.result.bestScore, straight.result.bestScore);
    assert.equal(resumed.result.bestEpoch, straight.result.bestEpoch);
    const bestA = await readTensorFolder(`${root}/straight/best`);
    const bestB = await readTensorFolder(`${root}/killed/best`);
    assert.deepEqual(bestB.weights, bestA.weights);
    assert.equal(bestA.metadata.epoch, straight.result.bestEpoch);
    // the history is real: learning rates follow StepLR(2, 0.5), metrics are present
    const history = straight.result.history;
    assert.deepEqual(history.map((record) => record.learningRate), [3e-3, 3e-3, 1.5e-3, 1.5e-3]);
    assert.ok(
      history.every((record) => Number.isFinite(record.trainingLoss) && record.metrics.accuracy >= 0),
    );
    assert.ok(history.every((record) => record.score === record.metrics.points));
    // the best checkpoint rebuilds the model (options from model.json, weights from weights.bin)
    const loaded = await TransformerClassifier.fromCheckpoint(`${root}/straight/best`);
    const reference = tinyModel();
    assert.deepEqual(loaded.args, reference.args);
    reference.dispose();
    assert.deepEqual(
      [...loaded.namedVariables.values()].map((variable) => variable.dataSync()),
      [...bestA.weights.values()].map((weight) => weight.values),
    );
    loaded.dispose();
    // a finished run resumed again does nothing more
    const again = await run(`${root}/straight`, 4);
    assert.equal(again.result.resumedFromEpoch, 4);
    assert.deepEqual(again.weights, straight.weights);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resume refuses a checkpoint written with other settings", async () => {
  const root = await Deno.makeTempDir();
  try {
    await run(`${root}/a`, 1);
    const model = tinyModel();
    await assert.rejects(
      () =>
        trainModel({
          model,
          epochs: 2,
          seed: 10,
          drawBatches: (random) => windows.drawEpoch(random, 8, 8),
          evaluate: () => ({ score: 0, metrics: {} }),
          checkpointFolder: `${root}/a`,
        }),
      /written with other settings/,
    );
    // same optimiser settings, other metadata (e.g. another model or data configuration)
    await assert.rejects(
      () =>
        trainModel({
          model,
          epochs: 2,
          seed: 9,
          learningRate: 3e-3,
          stepEpochs: 2,
          gamma: 0.5,
          clipNorm: 0.5,
          adam: { weightDecay: 1e-5 },
          drawBatches: (random) => windows.drawEpoch(random, 8, 8),
          evaluate: () => ({ score: 0, metrics: {} }),
          checkpointFolder: `${root}/a`,
          metadata: { model: { ...model.args, dropout: 0.3 } },
        }),
      /written with other settings/,
    );
    model.dispose();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** A softmax regression on two separable blobs, as a generic TrainableModel. */
class TinySoftmax implements TrainableModel<{ x: Float32Array; y: Int32Array }> {
  readonly namedVariables = new Map([
    ["kernel", tf.tidy(() => tf.variable(tf.zeros([2, 3])))],
    ["bias", tf.tidy(() => tf.variable(tf.zeros([3])))],
  ]);
  loss(batch: { x: Float32Array; y: Int32Array }, _random: Random): tf.Scalar {
    return tf.tidy(() => {
      const logits = tf.add(
        tf.matMul(tf.tensor2d(batch.x, [batch.y.length, 2]), this.namedVariables.get("kernel")!),
        this.namedVariables.get("bias")!,
      ) as tf.Tensor2D;
      return crossEntropyLoss(logits, batch.y);
    });
  }
}

Deno.test("the loop trains any TrainableModel: loss falls on a separable toy problem", async () => {
  const before = tf.memory().numTensors;
  const model = new TinySoftmax();
  const draw = (random: Random) => {
    const y = Int32Array.from({ length: 32 }, () => random.int(3));
    const x = Float32Array.from(
      { length: 64 },
      (_, index) => (index % 2 === 0 ? y[index >> 1] : -y[index >> 1]) + 0.1 * random.normal(),
    );
    return [{ x, y }];
  };
  const losses: number[] = [];
  let batchCalls = 0;
  const result = await trainModel({
    model,
    epochs: 30,
    learningRate: 0.1,
    drawBatches: draw,
    evaluate: () => ({ score: -losses.at(-1)!, metrics: {} }),
    onEpochEnd: (record) => {
      losses.push(record.trainingLoss);
    },
    clipNorm: null,
    onBatchEnd: (progress) => {
      batchCalls++;
      assert.equal(progress.batches, 1);
    },
  });
  assert.equal(batchCalls, 30);
  assert.equal(result.history.length, 30);
  assert.equal(tf.memory().numTensors - before - 2, 0, "the loop leaked tensors");
  assert.ok(losses[0] > 1 && losses[29] < losses[0] / 2, `losses ${losses[0]} → ${losses[29]}`);
});

Deno.test("keepBestBy: each further rule keeps its own best checkpoint, the same after a kill and resume", async () => {
  const root = await Deno.makeTempDir();
  const rules = {
    loss: (metrics: Record<string, number>) => -metrics.loss,
    "up-recall": (metrics: Record<string, number>) => metrics.upRecall,
  };
  try {
    const straight = await run(`${root}/straight`, 5, undefined, rules);
    await assert.rejects(() => run(`${root}/killed`, 5, 3, rules), /killed/);
    const resumed = await run(`${root}/killed`, 5, undefined, rules);
    assert.equal(resumed.result.resumedFromEpoch, 3);
    assert.deepEqual(resumed.result.alsoBest, straight.result.alsoBest);
    const history = straight.result.history;
    for (const [name, rule] of Object.entries(rules)) {
      // the rule's best epoch is the first epoch of its highest score in the history
      const scores = history.map((record) => rule(record.metrics));
      const expected = scores.indexOf(Math.max(...scores)) + 1;
      assert.equal(straight.result.alsoBest[name].epoch, expected, name);
      assert.equal(straight.result.alsoBest[name].score, Math.max(...scores));
      const kept = await readTensorFolder(`${root}/straight/best-${name}`);
      assert.equal(kept.metadata.epoch, expected);
      assert.equal(kept.metadata.rule, name);
      assert.deepEqual((await readTensorFolder(`${root}/killed/best-${name}`)).weights, kept.weights);
    }
    // the main rule (points) is untouched by the further rules
    const plain = await run(`${root}/plain`, 5);
    assert.equal(plain.result.bestEpoch, straight.result.bestEpoch);
    assert.deepEqual(plain.result.alsoBest, {});
    // a checkpoint written with other rules is not resumed silently
    await assert.rejects(() => run(`${root}/straight`, 6, undefined, { loss: rules.loss }), /other settings/);
    await assert.rejects(
      () => run(`${root}/bad`, 1, undefined, { "Best/Loss": rules.loss }),
      /lower-case words/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("patience: the run ends after that many epochs without a new best score, and a resumed run ends there too", async () => {
  const scores = [1, 3, 2, 2, 2, 5, 1];
  const model: TrainableModel<number> = {
    namedVariables: new Map([["w", tf.variable(tf.scalar(1), true, `patience-w-${crypto.randomUUID()}`)]]),
    loss: () => tf.tidy(() => tf.square(model.namedVariables.get("w")!) as tf.Scalar),
  };
  const root = await Deno.makeTempDir();
  const train = (folder: string, stopAfter?: number) =>
    trainModel({
      model,
      epochs: scores.length,
      patience: 3,
      drawBatches: () => [0],
      evaluate: (epoch) => ({ score: scores[epoch - 1], metrics: {} }),
      checkpointFolder: `${root}/${folder}`,
      onEpochEnd: (record) => {
        if (record.epoch === stopAfter) throw new Error("killed");
      },
    });
  try {
    // best at epoch 2 (score 3); epochs 3, 4, 5 bring nothing better: the run ends after epoch 5
    const straight = await train("straight");
    assert.equal(straight.stoppedEarly, true);
    assert.equal(straight.history.length, 5);
    assert.equal(straight.bestEpoch, 2);
    await assert.rejects(() => train("killed", 4), /killed/);
    const resumed = await train("killed");
    assert.equal(resumed.resumedFromEpoch, 4);
    assert.equal(resumed.history.length, 5);
    assert.equal(resumed.stoppedEarly, true);
    // without patience every epoch runs
    const all = await trainModel({
      model,
      epochs: scores.length,
      drawBatches: () => [0],
      evaluate: (epoch) => ({ score: scores[epoch - 1], metrics: {} }),
    });
    assert.equal(all.history.length, scores.length);
    assert.equal(all.stoppedEarly, false);
    await assert.rejects(
      () =>
        trainModel({
          model,
          epochs: 2,
          patience: 0,
          drawBatches: () => [0],
          evaluate: () => ({ score: 0, metrics: {} }),
        }),
      /patience must be a positive integer/,
    );
  } finally {
    tf.dispose([...model.namedVariables.values()]);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("stopWhen: a rule read from the history ends the run (a pruner), and a resumed run ends there too", async () => {
  const scores = [1, 2, 3, 4, 5, 6];
  const model: TrainableModel<number> = {
    namedVariables: new Map([["w", tf.variable(tf.scalar(1), true, `stop-when-w-${crypto.randomUUID()}`)]]),
    loss: () => tf.tidy(() => tf.square(model.namedVariables.get("w")!) as tf.Scalar),
  };
  const root = await Deno.makeTempDir();
  const seen: number[] = [];
  const train = (folder: string, killAfter?: number) =>
    trainModel({
      model,
      epochs: scores.length,
      drawBatches: () => [0],
      evaluate: (epoch) => ({ score: scores[epoch - 1], metrics: { score: scores[epoch - 1] } }),
      checkpointFolder: `${root}/${folder}`,
      // stop once the best score so far reaches 3: after epoch 3, before epoch 4
      stopWhen: (history) => {
        seen.push(history.length);
        return Math.max(...history.map((record) => record.metrics.score)) >= 3;
      },
      onEpochEnd: (record) => {
        if (record.epoch === killAfter) throw new Error("killed");
      },
    });
  try {
    const straight = await train("straight");
    assert.equal(straight.history.length, 3);
    assert.equal(straight.stoppedByRule, true);
    assert.equal(straight.stoppedEarly, false);
    assert.deepEqual(seen, [1, 2, 3]); // never asked before the first epoch
    await assert.rejects(() => train("killed", 2), /killed/);
    const resumed = await train("killed");
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.equal(resumed.history.length, 3);
    assert.equal(resumed.stoppedByRule, true);
    const never = await trainModel({
      model,
      epochs: 2,
      drawBatches: () => [0],
      evaluate: () => ({ score: 0, metrics: {} }),
      stopWhen: () => false,
    });
    assert.equal(never.history.length, 2);
    assert.equal(never.stoppedByRule, false);
  } finally {
    tf.dispose([...model.namedVariables.values()]);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a long epoch lets timers run (a results-store claim's renewal must not starve)", async () => {
  const model: TrainableModel<number> = {
    namedVariables: new Map([["w", tf.variable(tf.scalar(1), true, `yield-w-${crypto.randomUUID()}`)]]),
    loss: () => {
      const until = performance.now() + 20; // a batch that computes synchronously for 20 ms
      while (performance.now() < until) { /* busy */ }
      return tf.tidy(() => tf.square(model.namedVariables.get("w")!) as tf.Scalar);
    },
  };
  let ticks = 0;
  const timer = setInterval(() => ticks++, 50);
  const ticksAt: number[] = [];
  try {
    await trainModel({
      model,
      epochs: 1,
      drawBatches: () => Array.from({ length: 100 }, (_, index) => index), // ≈ 2 s of batches
      evaluate: () => ({ score: 0, metrics: {} }),
      onBatchEnd: (progress) => {
        if (progress.batch === progress.batches) ticksAt.push(ticks);
      },
    });
  } finally {
    clearInterval(timer);
    tf.dispose([...model.namedVariables.values()]);
  }
  // With a turn of the event loop every half second, the 50 ms timer fired during the epoch.
  assert.ok(ticksAt[0] >= 2, `the timer fired ${ticksAt[0]} times during a 2 s epoch`);
});

/** Two batches of the toy problem per epoch, from the loop's stream. */
function drawToy(random: Random) {
  return [0, 1].map(() => {
    const y = Int32Array.from({ length: 16 }, () => random.int(3));
    const x = Float32Array.from(
      { length: 32 },
      (_, index) => (index % 2 === 0 ? y[index >> 1] : -y[index >> 1]) + 0.3 * random.normal(),
    );
    return { x, y };
  });
}

async function toyRun(args: Partial<Parameters<typeof trainModel<{ x: Float32Array; y: Int32Array }>>[0]>) {
  const model = new TinySoftmax();
  try {
    const result = await trainModel({
      model,
      epochs: 8,
      seed: 3,
      learningRate: 0.05,
      gamma: 1,
      clipNorm: null,
      drawBatches: drawToy,
      ...args,
    });
    const weights = [...model.namedVariables].map(([name, variable]) => [name, variable.dataSync().slice()]);
    return { result, weights };
  } finally {
    tf.dispose([...model.namedVariables.values()]);
  }
}

Deno.test("without evaluate: scores are NaN, no best/ is kept, patience is refused", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { result } = await toyRun({ checkpointFolder: root });
    assert.equal(result.history.length, 8);
    assert.ok(result.history.every((record) => Number.isNaN(record.score) && !record.best));
    assert.equal(result.bestEpoch, 0);
    assert.equal(await resolveTensorFolder(`${root}/best`), undefined);
    assert.equal((await readTensorFolder(`${root}/last`)).metadata.epoch, 8);
    await assert.rejects(() => toyRun({ patience: 2 }), /patience needs an evaluate function/);
    await assert.rejects(() => toyRun({ checkpointEverySeconds: -1 }), /checkpointEverySeconds must be ≥ 0/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("shouldStop saves last/ and throws TrainingStopped; with rare checkpoints the resumed run still ends bit-identical", async () => {
  const root = await Deno.makeTempDir();
  try {
    const straight = await toyRun({});
    let epochsSeen = 0;
    // Checkpoints only when forced (a stop, the final epoch): a periodic write never comes due.
    const stopped = toyRun({
      checkpointFolder: root,
      checkpointEverySeconds: 3600,
      onEpochEnd: () => {
        epochsSeen++;
      },
      shouldStop: () => epochsSeen === 3,
    });
    await assert.rejects(
      () => stopped,
      (error: Error) => error instanceof TrainingStopped && error.epoch === 3,
    );
    assert.equal((await readTensorFolder(`${root}/last`)).metadata.epoch, 3);
    const resumed = await toyRun({ checkpointFolder: root, checkpointEverySeconds: 3600 });
    assert.equal(resumed.result.resumedFromEpoch, 3);
    assert.deepEqual(resumed.weights, straight.weights);
    assert.deepEqual(withoutSeconds(resumed.result.history), withoutSeconds(straight.result.history));
    // Asked to stop at the last epoch there is nothing left to continue: the run simply ends.
    const last = await toyRun({ shouldStop: () => true, epochs: 1 });
    assert.equal(last.result.history.length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("computeGradients: gradients computed elsewhere train exactly like the loop's own; unknown names are refused", async () => {
  const own = await toyRun({});
  const model = new TinySoftmax();
  try {
    const variables = [...model.namedVariables.values()];
    const names = [...model.namedVariables.keys()];
    await trainModel({
      model,
      epochs: 8,
      seed: 3,
      learningRate: 0.05,
      gamma: 1,
      clipNorm: null,
      drawBatches: drawToy,
      // deno-lint-ignore require-await
      computeGradients: async (batch, random) => {
        const { value, grads } = tf.variableGrads(() => model.loss(batch, random), variables);
        const loss = value.dataSync()[0];
        value.dispose();
        return { loss, gradients: new Map(names.map((name, index) => [name, grads[variables[index].name]])) };
      },
    });
    const weights = [...model.namedVariables].map(([name, variable]) => [name, variable.dataSync().slice()]);
    assert.deepEqual(weights, own.weights);
  } finally {
    tf.dispose([...model.namedVariables.values()]);
  }
  await assert.rejects(
    () =>
      toyRun({
        // deno-lint-ignore require-await
        computeGradients: async () => ({ loss: 0, gradients: new Map([["nothing", tf.scalar(1)]]) }),
      }),
    /computeGradients gave a gradient for nothing, which is no variable/,
  );
});
