import assert from "node:assert/strict";
import { assertClose as assertCloseShared } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { fusedLstm, lstmSequence, type LstmSequenceArgs } from "../../lib/kernels/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

/**
 * Tolerance of every comparison below: |fused − reference| ≤ ABSOLUTE + RELATIVE · max|reference|
 * over the whole tensor. Both sides are float32; they differ by evaluation order (and the fused loops
 * evaluate gates in float64), so errors are a few float32 ulps amplified by backpropagation through time.
 */
const ABSOLUTE = 1e-5;
const RELATIVE = 1e-4;

/** The plain tfjs computation (differentiated by tfjs's autodiff): one cell per step, gates i, f, c, o. */
function referenceLstm(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  const [batch, steps] = x.shape;
  const hidden = recurrentKernel.shape[0];
  let h: tf.Tensor2D = tf.zeros([batch, hidden]);
  let c: tf.Tensor2D = tf.zeros([batch, hidden]);
  const outputs: tf.Tensor2D[] = [];
  for (let step = 0; step < steps; step++) {
    const xt = tf.reshape(tf.slice(x, [0, step, 0], [batch, 1, x.shape[2]]), [batch, x.shape[2]]);
    const z = tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, recurrentKernel)), bias);
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    outputs.push(h);
  }
  return returnSequences ? tf.stack(outputs, 1) : h;
}

function assertCloseValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
): void {
  assertCloseShared(actual, expected, { absolute: ABSOLUTE, relative: RELATIVE, scale: "largest", label });
}

function assertClose(actual: tf.Tensor, expected: tf.Tensor, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assertCloseValues(actual.dataSync(), expected.dataSync(), label);
}

interface Case {
  batch: number;
  steps: number;
  features: number;
  hidden: number;
  returnSequences: boolean;
}

function makeCase(seed: number, { batch, steps, features, hidden }: Case) {
  const random = createRandom(seed);
  const values = (count: number, scale: number) =>
    Float32Array.from({ length: count }, () => scale * random.normal());
  return {
    x: tf.tensor3d(values(batch * steps * features, 1), [batch, steps, features]),
    kernel: tf.tensor2d(values(features * 4 * hidden, 0.5), [features, 4 * hidden]),
    recurrentKernel: tf.tensor2d(values(hidden * 4 * hidden, 0.5 / Math.sqrt(hidden)), [hidden, 4 * hidden]),
    bias: tf.tensor1d(values(4 * hidden, 0.3)),
    // Weights of the scalar loss Σ output ⊙ probe, so that every output element gets its own gradient.
    probe: values(batch * (0 + hidden) * steps, 1),
  };
}

/** Forward output and the gradients w.r.t. inputs, kernel, recurrent kernel and bias. */
function outputAndGradients(
  lstm: typeof referenceLstm,
  data: ReturnType<typeof makeCase>,
  spec: Case,
): tf.Tensor[] {
  const { batch, steps, hidden, returnSequences } = spec;
  const probeShape = returnSequences ? [batch, steps, hidden] : [batch, hidden];
  const probe = tf.tensor(data.probe.subarray(0, probeShape.reduce((a, b) => a * b, 1)), probeShape);
  const inputs = [data.x, data.kernel, data.recurrentKernel, data.bias];
  const output = lstm(data.x, data.kernel, data.recurrentKernel, data.bias, returnSequences);
  const gradients = tf.grads((x, kernel, recurrentKernel, bias) =>
    tf.sum(tf.mul(
      lstm(
        x as tf.Tensor3D,
        kernel as tf.Tensor2D,
        recurrentKernel as tf.Tensor2D,
        bias as tf.Tensor1D,
        returnSequences,
      ),
      probe,
    ))
  )(inputs);
  return [output, ...gradients];
}

const CASES: Case[] = [
  { batch: 3, steps: 1, features: 2, hidden: 1, returnSequences: false },
  { batch: 4, steps: 5, features: 3, hidden: 1, returnSequences: false },
  { batch: 4, steps: 6, features: 6, hidden: 2, returnSequences: false },
  { batch: 5, steps: 1, features: 6, hidden: 14, returnSequences: false },
  { batch: 5, steps: 8, features: 6, hidden: 14, returnSequences: false },
  { batch: 4, steps: 7, features: 6, hidden: 64, returnSequences: false },
  { batch: 3, steps: 4, features: 2, hidden: 3, returnSequences: true },
  { batch: 3, steps: 1, features: 2, hidden: 3, returnSequences: true },
  { batch: 2, steps: 5, features: 3, hidden: 64, returnSequences: true },
];
const NAMES = ["output", "d inputs", "d kernel", "d recurrentKernel", "d bias"];

function compareCase(spec: Case, seed: number, options: LstmSequenceArgs): void {
  tf.tidy(() => {
    const data = makeCase(seed, spec);
    const fused = (
      x: tf.Tensor3D,
      kernel: tf.Tensor2D,
      recurrentKernel: tf.Tensor2D,
      bias: tf.Tensor1D,
      returnSequences: boolean,
    ) => lstmSequence(x, kernel, recurrentKernel, bias, { ...options, returnSequences });
    const expected = outputAndGradients(referenceLstm, data, spec);
    const actual = outputAndGradients(fused, data, spec);
    actual.forEach((tensor, index) =>
      assertClose(
        tensor,
        expected[index],
        `${tf.getBackend()} ${JSON.stringify(options)} ${JSON.stringify(spec)} ${NAMES[index]}`,
      )
    );
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`lstmSequence (${backend}): output and gradients match the plain tfjs LSTM`, async () => {
    await selectBackend(backend);
    CASES.forEach((spec, index) => {
      for (const recurrentProduct of ["host", "backend", "auto"] as const) {
        for (const vectorized of [true, false]) {
          compareCase(spec, 100 + index, { recurrentProduct, vectorized });
        }
      }
    });
  });

  Deno.test(`FusedLstm layer (${backend}) ≡ tf.layers.lstm: same seeded weights, outputs and weight gradients`, async () => {
    await selectBackend(backend);
    for (const returnSequences of [false, true]) {
      const config = (seed: number) => ({
        units: 5,
        returnSequences,
        recurrentActivation: "sigmoid" as const,
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
        unitForgetBias: true,
      });
      const stock = tf.layers.lstm(config(3));
      const fused = fusedLstm(config(3));
      const x = tf.tensor3d(Float32Array.from({ length: 3 * 6 * 4 }, (_, i) => Math.sin(i)), [3, 6, 4]);
      const stockOut = stock.apply(x) as tf.Tensor;
      const fusedOut = fused.apply(x) as tf.Tensor;
      stock.getWeights().forEach((weight, index) =>
        assert.deepEqual(fused.getWeights()[index].dataSync(), weight.dataSync(), `initial weight ${index}`)
      );
      assert.deepEqual(fused.getConfig().returnSequences, returnSequences);
      assertClose(fusedOut, stockOut, `${backend} layer output`);
      const gradientsOf = (layer: typeof stock) =>
        tf.variableGrads(
          () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar,
          layer.trainableWeights.map((weight) => weight.read() as tf.Variable),
        );
      const stockGrads = gradientsOf(stock), fusedGrads = gradientsOf(fused);
      assertClose(fusedGrads.value, stockGrads.value, `${backend} loss`);
      const stockList = Object.values(stockGrads.grads), fusedList = Object.values(fusedGrads.grads);
      assert.equal(fusedList.length, 3);
      fusedList.forEach((grad, index) =>
        assertClose(grad, stockList[index], `${backend} weight gradient ${index}`)
      );
      tf.dispose([x, stockOut, fusedOut, stockGrads.value, fusedGrads.value, ...stockList, ...fusedList]);
      stock.dispose();
      fused.dispose();
    }
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`lstmSequence (${backend}): two stacked layers (returnSequences → last step), gradients of both`, async () => {
    await selectBackend(backend);
    tf.tidy(() => {
      const lower = makeCase(31, { batch: 3, steps: 5, features: 4, hidden: 6, returnSequences: true });
      const upper = makeCase(32, { batch: 3, steps: 5, features: 6, hidden: 3, returnSequences: false });
      const stacked = (lstm: typeof referenceLstm) => (...weights: tf.Tensor[]) => {
        const [x, k1, r1, b1, k2, r2, b2] = weights as [tf.Tensor3D, ...tf.Tensor[]] as [
          tf.Tensor3D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor1D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor1D,
        ];
        // tf.tanh between the layers: the lower output is an intermediate the engine may free.
        const middle = tf.tanh(lstm(x, k1, r1, b1, true)) as tf.Tensor3D;
        return tf.sum(tf.square(lstm(middle, k2, r2, b2, false))) as tf.Scalar;
      };
      const fused = (
        x: tf.Tensor3D,
        kernel: tf.Tensor2D,
        recurrentKernel: tf.Tensor2D,
        bias: tf.Tensor1D,
        returnSequences: boolean,
      ) => lstmSequence(x, kernel, recurrentKernel, bias, { returnSequences });
      const inputs = [
        lower.x,
        lower.kernel,
        lower.recurrentKernel,
        lower.bias,
        upper.kernel,
        upper.recurrentKernel,
        upper.bias,
      ];
      const expected = tf.grads(stacked(referenceLstm))(inputs);
      const actual = tf.grads(stacked(fused))(inputs);
      actual.forEach((gradient, index) =>
        assertClose(gradient, expected[index], `${backend} stacked gradient ${index}`)
      );
    });
  });
}

Deno.test("lstmSequence (webgpu, software adapter): ops path matches the plain tfjs LSTM on tiny shapes", async () => {
  await selectBackend("webgpu");
  try {
    for (const [index, spec] of CASES.filter((spec) => spec.hidden <= 14 && spec.steps <= 5).entries()) {
      const data = makeCase(200 + index, spec);
      const expected = outputAndGradients(referenceLstm, data, spec);
      const actual = outputAndGradients(
        (x, kernel, recurrentKernel, bias, returnSequences) =>
          lstmSequence(x, kernel, recurrentKernel, bias, { returnSequences }),
        data,
        spec,
      );
      for (const [position, tensor] of actual.entries()) {
        assert.deepEqual(tensor.shape, expected[position].shape);
        assertCloseValues(
          await tensor.data(),
          await expected[position].data(),
          `webgpu ${JSON.stringify(spec)} ${NAMES[position]}`,
        );
      }
      tf.dispose([...actual, ...expected, data.x, data.kernel, data.recurrentKernel, data.bias]);
    }
  } finally {
    await selectBackend("cpu");
  }
});

Deno.test("lstmSequence refuses mismatched shapes, and FusedLstm unsupported configurations", async () => {
  await selectBackend("cpu");
  const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
  assert.throws(
    () => lstmSequence(x, tf.zeros([3, 8]), tf.zeros([2, 8]), tf.zeros([8])),
    /kernel \[features, 4·hidden\].*kernel \[3,8\]/,
  );
  assert.throws(() => lstmSequence(x, tf.zeros([4, 8]), tf.zeros([2, 8]), tf.zeros([6])), /bias \[6\]/);
  assert.throws(() => fusedLstm({ units: 2 }), /recurrentActivation hardSigmoid/);
  assert.throws(() => fusedLstm({ units: 2, recurrentActivation: "sigmoid", dropout: 0.1 }), /dropout/);
  assert.throws(
    () => fusedLstm({ units: 2, recurrentActivation: "sigmoid", goBackwards: true }),
    /goBackwards/,
  );
});
