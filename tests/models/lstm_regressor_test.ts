import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { LstmRegressor, type LstmRegressorWeights } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

await selectBackend("cpu");

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A hand-built LSTM (float64, true sigmoid gates, gate order i, f, c, o) with a TensorFlow-1-style
 * constant `forgetOffset` added to the forget gate's pre-activation at every step, then the linear head.
 */
function handForward(
  weights: LstmRegressorWeights,
  window: Float32Array,
  windowDays: number,
  featureCount: number,
  forgetOffset: number,
): number {
  let input: number[][] = [];
  for (let day = 0; day < windowDays; day++) {
    input.push(Array.from(window.subarray(day * featureCount, (day + 1) * featureCount)));
  }
  for (const layer of weights.layers) {
    const hidden = layer.bias.length / 4;
    const inputSize = input[0].length;
    let h = new Array(hidden).fill(0);
    let c = new Array(hidden).fill(0);
    const outputs: number[][] = [];
    for (const x of input) {
      const z = Array.from(layer.bias, Number);
      for (let gate = 0; gate < 4 * hidden; gate++) {
        for (let i = 0; i < inputSize; i++) z[gate] += x[i] * layer.kernel[i * 4 * hidden + gate];
        for (let j = 0; j < hidden; j++) z[gate] += h[j] * layer.recurrentKernel[j * 4 * hidden + gate];
      }
      const nextC = [];
      const nextH = [];
      for (let unit = 0; unit < hidden; unit++) {
        const inputGate = sigmoid(z[unit]);
        const forgetGate = sigmoid(z[hidden + unit] + forgetOffset);
        const candidate = Math.tanh(z[2 * hidden + unit]);
        const outputGate = sigmoid(z[3 * hidden + unit]);
        nextC.push(forgetGate * c[unit] + inputGate * candidate);
        nextH.push(outputGate * Math.tanh(nextC[unit]));
      }
      c = nextC;
      h = nextH;
      outputs.push(h);
    }
    input = outputs;
  }
  const last = input[input.length - 1];
  let y = weights.head.bias;
  for (let j = 0; j < last.length; j++) y += last[j] * weights.head.kernel[j];
  return y;
}

function randomWindows(seed: number, count: number, windowDays: number, featureCount: number) {
  const random = createRandom(seed);
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal());
  // A learnable target: the mean of the first feature over the window.
  const targets = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    let sum = 0;
    for (let day = 0; day < windowDays; day++) sum += inputs[(index * windowDays + day) * featureCount];
    targets[index] = sum / windowDays;
  }
  return { inputs, targets, count };
}

Deno.test("forget bias is written into the forget slice of every layer's bias (gates i, f, c, o)", () => {
  const model = new LstmRegressor({
    featureCount: 2,
    windowDays: 3,
    hiddenSize: 3,
    layers: 2,
    forgetBias: 0.4,
  });
  const b = Math.fround(0.4);
  for (const layer of model.getWeights().layers) {
    assert.deepEqual(Array.from(layer.bias), [0, 0, 0, b, b, b, 0, 0, 0, 0, 0, 0]);
  }
  model.dispose();
});

Deno.test("constant forget offset with zero bias ≡ bias initialised to b (hand-built cell vs tfjs)", () => {
  const shape = { featureCount: 2, windowDays: 4, hiddenSize: 3, layers: 2, seed: 7 };
  const withBias = new LstmRegressor({ ...shape, forgetBias: 0.4 });
  const zeroBias = new LstmRegressor({ ...shape, forgetBias: 0 });
  const data = randomWindows(3, 5, shape.windowDays, shape.featureCount);
  const tfjsPredictions = withBias.predict(data.inputs, data.count);
  const biasWeights = withBias.getWeights();
  const zeroWeights = zeroBias.getWeights();
  // Same seed: every kernel is identical; only the bias differs.
  assert.deepEqual(zeroWeights.layers[0].kernel, biasWeights.layers[0].kernel);
  const stride = shape.windowDays * shape.featureCount;
  for (let index = 0; index < data.count; index++) {
    const window = data.inputs.subarray(index * stride, (index + 1) * stride);
    // TF1 BasicLSTMCell style: trainable bias 0, constant 0.4 added to the forget gate of every cell
    // (each layer of a TF1 stack adds its own forget_bias), vs our bias initialised to 0.4.
    const offsetStyle = handForward(
      zeroWeights,
      window,
      shape.windowDays,
      shape.featureCount,
      Math.fround(0.4),
    );
    const initialisedStyle = handForward(biasWeights, window, shape.windowDays, shape.featureCount, 0);
    assertClose(offsetStyle, initialisedStyle, { absolute: 1e-12 });
    // The tfjs layer (with recurrentActivation sigmoid) computes the same cell.
    assert.ok(
      Math.abs(tfjsPredictions[index] - initialisedStyle) < 1e-5,
      `${tfjsPredictions[index]} vs ${initialisedStyle}`,
    );
    // The check has teeth: without the offset the output differs.
    const noOffset = handForward(zeroWeights, window, shape.windowDays, shape.featureCount, 0);
    assert.ok(Math.abs(noOffset - initialisedStyle) > 1e-6);
  }
  withBias.dispose();
  zeroBias.dispose();
});

Deno.test("same seed → identical training and predictions (with shuffling and dropout); other seed differs", async () => {
  const data = randomWindows(11, 24, 3, 2);
  const run = async (seed: number) => {
    const model = new LstmRegressor({
      featureCount: 2,
      windowDays: 3,
      hiddenSize: 2,
      epochs: 3,
      batchSize: 8,
      dropout: 0.3,
      seed,
    });
    const history = await model.fit(data);
    const predictions = model.predict(data.inputs, data.count);
    model.dispose();
    return { history, predictions };
  };
  const first = await run(5);
  const second = await run(5);
  const other = await run(6);
  assert.deepEqual(second.history.loss, first.history.loss);
  assert.deepEqual(second.predictions, first.predictions);
  assert.notDeepEqual(other.predictions, first.predictions);
  assert.equal(first.history.steps, 9);
});

Deno.test("a tiny training run reduces the loss and reports every epoch", async () => {
  const data = randomWindows(21, 32, 3, 1);
  const seen: [number, number][] = [];
  const model = new LstmRegressor({
    featureCount: 1,
    windowDays: 3,
    hiddenSize: 4,
    epochs: 25,
    batchSize: 16,
    learningRate: 0.03,
    seed: 1,
    onEpochEnd: (epoch, loss) => {
      seen.push([epoch, loss]);
    },
  });
  const history = await model.fit(data);
  model.dispose();
  assert.equal(history.loss.length, 25);
  assert.deepEqual(seen.map(([epoch]) => epoch), Array.from({ length: 25 }, (_, index) => index + 1));
  assert.deepEqual(seen.map(([, loss]) => loss), history.loss);
  const first = history.loss[0];
  const last = history.loss[history.loss.length - 1];
  assert.ok(last < 0.5 * first, `loss ${first} → ${last}`);
});

Deno.test("LstmRegressor refuses bad arguments and mismatched data", async () => {
  assert.throws(() => new LstmRegressor({ featureCount: 0 }), /featureCount/);
  assert.throws(() => new LstmRegressor({ featureCount: 1, dropout: 1 }), /dropout/);
  const model = new LstmRegressor({ featureCount: 1, windowDays: 2, epochs: 1 });
  await assert.rejects(
    () => model.fit({ inputs: new Float32Array(3), targets: [1], count: 1 }),
    /not 1 windows/,
  );
  assert.throws(() => model.predict(new Float32Array(3), 1), /not 1 windows of 2 days/);
  model.dispose();
  assert.throws(() => model.predict(new Float32Array(2), 1), /after dispose/);
});

Deno.test("training equivalence: Adam on (zero bias + constant offset) tracks (bias initialised to offset)", () => {
  // A one-layer cell unrolled over 3 steps in tfjs ops, trained 5 Adam steps both ways. The effective
  // forget pre-activation bias (trainable bias + constant) must stay equal, and so must the kernels.
  const hidden = 2;
  const offset = 0.4;
  const random = createRandom(9);
  const values = (count: number, scale: number) =>
    Array.from({ length: count }, () => scale * random.normal());
  const kernelInit = values(1 * 4 * hidden, 0.5);
  const recurrentInit = values(hidden * 4 * hidden, 0.5);
  const xs = values(4 * 3, 1); // batch 4, 3 steps, 1 feature
  const ys = values(4, 1);
  const forgetMask = tf.tensor1d([0, 0, 1, 1, 0, 0, 0, 0]);
  const train = (biasStart: number, constant: number) => {
    const kernel = tf.variable(tf.tensor2d(kernelInit, [1, 4 * hidden]));
    const recurrent = tf.variable(tf.tensor2d(recurrentInit, [hidden, 4 * hidden]));
    const bias = tf.variable(tf.mul(forgetMask, biasStart) as tf.Tensor1D);
    const optimizer = tf.train.adam(0.05);
    const x = tf.tensor3d(xs, [4, 3, 1]);
    const y = tf.tensor1d(ys);
    for (let step = 0; step < 5; step++) {
      optimizer.minimize(
        () => {
          let h: tf.Tensor2D = tf.zeros([4, hidden]);
          let c: tf.Tensor2D = tf.zeros([4, hidden]);
          for (let t = 0; t < 3; t++) {
            const xt = tf.reshape(tf.slice(x, [0, t, 0], [4, 1, 1]), [4, 1]);
            const z = tf.add(
              tf.add(tf.matMul(xt, kernel), tf.matMul(h, recurrent)),
              tf.add(bias, tf.mul(forgetMask, constant)),
            );
            const [zi, zf, zc, zo] = tf.split(z, 4, 1);
            c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
            h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
          }
          return tf.losses.meanSquaredError(y, tf.sum(h, 1));
        },
        false,
        [kernel, recurrent, bias],
      );
    }
    const effectiveBias = tf.add(bias, tf.mul(forgetMask, constant)).arraySync() as number[];
    return { kernel: kernel.arraySync() as number[][], bias: effectiveBias };
  };
  const tf1Style = train(0, offset);
  const initialised = train(offset, 0);
  const untouched = train(0, 0);
  const near = (a: number[], b: number[]) => a.every((value, index) => Math.abs(value - b[index]) < 1e-5);
  assert.ok(near(tf1Style.bias, initialised.bias), `${tf1Style.bias} vs ${initialised.bias}`);
  assert.ok(near(tf1Style.kernel[0], initialised.kernel[0]));
  assert.ok(!near(untouched.kernel[0], initialised.kernel[0]), "the offset must matter");
});
