/**
 * Trains the paper LSTM and the EquiNet Transformer with tiny shapes on one backend and prints what
 * `webgpu_training_test.ts` compares across backends, as one JSON line on stdout:
 *
 *   deno run -A tests/backend/_training_run.ts cpu|wasm|webgpu
 *
 * Run as a subprocess, one per backend, so nothing (tensors, variables, the tfjs engine's backend
 * state, a driver crash) can leak from one backend into the other. When the backend cannot start
 * (e.g. no WebGPU adapter) it prints `{"error": "..."}` and exits with status 3.
 */
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";
import { LstmRegressor, TransformerClassifier } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { trainModel } from "../../lib/train/mod.ts";

/** What one run reports (all numbers as JSON numbers, float32 values widened exactly). */
export interface TrainingRunResult {
  backend: string;
  summary: string;
  lstm: {
    loss: number[];
    predictions: number[];
    /** Final weights by name ("layer0/kernel", …, "head/bias"). */
    weights: Record<string, number[]>;
    /** The error of the synchronous `predict` (null where it worked). */
    syncPredictError: string | null;
  };
  transformer: {
    stepLoss: number[];
    gradientNorm: number[];
    probabilities: number[];
    /** Final weights by variable name. */
    weights: Record<string, number[]>;
  };
  /** Tensors still allocated after both models were disposed (0 unless something leaks). */
  leakedTensors: number;
}

const backend = Deno.args[0];
let summary: string;
try {
  summary = (await selectBackend(backend)).summary;
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).message }));
  Deno.exit(3);
}
// The webgpu backend runs an op on the CPU when every input is still CPU-resident and small (< 1000
// values) — most ops at these tiny shapes. Off, so that every op runs as a WebGPU shader, as at real sizes.
if (backend === "webgpu") tf.env().set("WEBGPU_CPU_FORWARD", false);
const tensorsBefore = tf.memory().numTensors;

/** Paper LSTM: 2 stacked layers of 4 units with dropout, 48 windows of 5 days × 3 features. */
async function trainLstm(): Promise<TrainingRunResult["lstm"]> {
  const random = createRandom(3);
  const count = 48, windowDays = 5, featureCount = 3;
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal(0, 1));
  const targets = Float32Array.from(
    { length: count },
    (_, index) => Math.tanh(inputs[index * windowDays * featureCount] + 0.5 * inputs[index * 15 + 4]),
  );
  const model = new LstmRegressor({
    featureCount,
    windowDays,
    hiddenSize: 4,
    layers: 2,
    dropout: 0.1,
    epochs: 3,
    batchSize: 16,
    seed: 9,
  });
  try {
    const history = await model.fit({ inputs, targets, count });
    const predictions = await model.predictAsync(inputs, count);
    const weights = await model.getWeightsAsync();
    const named: Record<string, number[]> = {
      "head/kernel": [...weights.head.kernel],
      "head/bias": [weights.head.bias],
    };
    weights.layers.forEach((layer, index) => {
      named[`layer${index}/kernel`] = [...layer.kernel];
      named[`layer${index}/recurrentKernel`] = [...layer.recurrentKernel];
      named[`layer${index}/bias`] = [...layer.bias];
    });
    let syncPredictError: string | null = null;
    try {
      model.predict(inputs, count);
    } catch (error) {
      syncPredictError = (error as Error).message;
    }
    return { loss: history.loss, predictions: [...predictions], weights: named, syncPredictError };
  } finally {
    model.dispose();
  }
}

/** A batch of `size` windows of up to `steps` days, left-padded (lengths vary), from the seeded stream. */
function syntheticBatch(random: ReturnType<typeof createRandom>, size: number, steps: number): WindowBatch {
  const features = 8;
  const inputs = new Float32Array(size * steps * features);
  const mask = new Float32Array(size * steps);
  const lengths = Int32Array.from({ length: size }, () => steps - random.int(3));
  const labels = new Int32Array(size);
  for (let item = 0; item < size; item++) {
    let drift = 0;
    for (let step = steps - lengths[item]; step < steps; step++) {
      mask[item * steps + step] = 1;
      for (let feature = 0; feature < features; feature++) {
        const value = random.normal();
        inputs[(item * steps + step) * features + feature] = value;
        if (feature === 0) drift += value;
      }
    }
    labels[item] = drift > 0.5 ? 0 : drift < -0.5 ? 1 : 2;
  }
  return {
    size,
    steps,
    features,
    inputs,
    mask,
    lengths,
    labels,
    futureReturns: Float32Array.from({ length: size }, () => 0.02 * random.normal()),
    futureVolatility: Float32Array.from({ length: size }, () => 0.01 + 0.01 * random.uniform()),
    refs: [],
  };
}

/**
 * EquiNet Transformer through the project's training loop (`trainModel`: dropout, global-norm
 * clipping, Adam, StepLR): dModel 8, 2 heads, 1 layer, sinusoidal encoding, multi-task heads,
 * padded windows of 6 days; 2 epochs × 2 batches of 8.
 */
async function trainTransformer(): Promise<TrainingRunResult["transformer"]> {
  const data = createRandom(5);
  const evaluationBatch = syntheticBatch(data.fork("evaluation"), 8, 6);
  const model = new TransformerClassifier({
    dModel: 8,
    heads: 2,
    layers: 1,
    dropout: 0.1,
    positionalEncoding: "sinusoidal",
    multiTask: true,
    seed: 4,
  });
  const stepLoss: number[] = [];
  let probabilities: Float32Array = new Float32Array();
  try {
    const result = await trainModel({
      model,
      epochs: 2,
      seed: 6,
      learningRate: 1e-2,
      drawBatches: (random) => [syntheticBatch(random, 8, 6), syntheticBatch(random, 8, 6)],
      evaluate: async () => {
        probabilities = await model.predictProbabilities(evaluationBatch);
        return { score: -probabilities[0], metrics: {} };
      },
      onBatchEnd: ({ loss }) => {
        stepLoss.push(loss);
      },
    });
    const weights: Record<string, number[]> = {};
    for (const [name, variable] of model.namedVariables) weights[name] = [...await variable.data()];
    return {
      stepLoss,
      gradientNorm: result.history.map((record) => record.gradientNorm),
      probabilities: [...probabilities],
      weights,
    };
  } finally {
    model.dispose();
  }
}

const lstm = await trainLstm();
const transformer = await trainTransformer();
const result: TrainingRunResult = {
  backend: tf.getBackend(),
  summary,
  lstm,
  transformer,
  leakedTensors: tf.memory().numTensors - tensorsBefore,
};
console.log(JSON.stringify(result));
