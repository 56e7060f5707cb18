/**
 * Both matrix-product paths train the models to the same losses: the paper LSTM (`LstmRegressor`,
 * hidden 48 at batch 32, above the size from which its products run on the BLAS, and 2 stacked layers) and the EquiNet
 * Transformer (`TransformerClassifier` through `trainModel`: dropout, clipping, Adam), same seeds, on
 * the wasm backend, once with the system BLAS and once with it turned off (`setNativeMatmul`). Ignored,
 * saying so, where no BLAS library is installed (the fallback is tested in tests/kernels/native_blas_test.ts).
 *
 * Tolerance: the paths differ only in float32 summation order (~1e-7 relative per product); training
 * compounds that over steps, so losses agree to ~1e-5 relative after a few epochs; 1e-4 is the bound.
 */
import assert from "node:assert/strict";
import { selectBackend } from "../../lib/backend/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";
import { describeMatmulPath, setNativeMatmul } from "../../lib/backend/mod.ts";
import { LstmRegressor, TransformerClassifier } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { trainModel } from "../../lib/train/mod.ts";

const NATIVE = setNativeMatmul(true).kind === "native";
const ABSENT = NATIVE ? "" : ` [ignored: ${describeMatmulPath()}; install libopenblas0-pthread]`;
const TOLERANCE = 1e-4;

function assertLossesClose(native: number[], wasm: number[], label: string): void {
  assert.equal(native.length, wasm.length, `${label}: as many losses`);
  native.forEach((loss, index) => {
    const error = Math.abs(loss - wasm[index]) / Math.max(1e-3, Math.abs(wasm[index]));
    assert.ok(
      Number.isFinite(loss) && error <= TOLERANCE,
      `${label} ${index}: ${loss} vs ${wasm[index]} (${error})`,
    );
  });
}

/** Runs `train` with the native products, then with them off; restores them. */
async function onBothPaths<T>(train: () => Promise<T>): Promise<{ native: T; wasm: T }> {
  try {
    assert.equal(setNativeMatmul(true).kind, "native");
    const native = await train();
    assert.equal(setNativeMatmul(false).kind, "wasm");
    const wasm = await train();
    return { native, wasm };
  } finally {
    setNativeMatmul(true);
  }
}

Deno.test({
  name:
    `paper LSTM (LstmRegressor, 2 layers, hidden 48): native BLAS and WebAssembly train to the same losses${ABSENT}`,
  ignore: !NATIVE,
  fn: async () => {
    await selectBackend("wasm");
    const random = createRandom(3);
    const count = 96, windowDays = 10, featureCount = 6;
    const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal());
    const targets = Float32Array.from(
      { length: count },
      (_, index) => Math.tanh(inputs[index * 60] + inputs[index * 60 + 7]),
    );
    const { native, wasm } = await onBothPaths(async () => {
      const model = new LstmRegressor({
        featureCount,
        windowDays,
        hiddenSize: 48,
        layers: 2,
        epochs: 4,
        batchSize: 32,
        seed: 9,
      });
      try {
        const history = await model.fit({ inputs, targets, count });
        return { loss: history.loss, predictions: [...model.predict(inputs, count)] };
      } finally {
        model.dispose();
      }
    });
    assertLossesClose(native.loss, wasm.loss, "LSTM epoch loss");
    assertLossesClose(native.predictions, wasm.predictions, "LSTM prediction");
    assert.ok(wasm.loss[wasm.loss.length - 1] < wasm.loss[0], "it learns");
  },
});

/** A batch of `size` windows of `steps` days, labels from the first feature's drift. */
function syntheticBatch(random: ReturnType<typeof createRandom>, size: number, steps: number): WindowBatch {
  const features = 8;
  const inputs = Float32Array.from({ length: size * steps * features }, () => random.normal());
  const labels = Int32Array.from({ length: size }, (_, item) => {
    let drift = 0;
    for (let step = 0; step < steps; step++) drift += inputs[(item * steps + step) * features];
    return drift > 1 ? 0 : drift < -1 ? 1 : 2;
  });
  return {
    size,
    steps,
    features,
    inputs,
    mask: new Float32Array(size * steps).fill(1),
    lengths: new Int32Array(size).fill(steps),
    labels,
    futureReturns: new Float32Array(size),
    futureVolatility: new Float32Array(size),
    refs: [],
  };
}

Deno.test({
  name:
    `EquiNet Transformer (trainModel, d16/2 heads/2 layers, dropout): native BLAS and WebAssembly train to the same losses${ABSENT}`,
  ignore: !NATIVE,
  fn: async () => {
    await selectBackend("wasm");
    const { native, wasm } = await onBothPaths(async () => {
      const model = new TransformerClassifier({ dModel: 16, heads: 2, layers: 2, dropout: 0.1, seed: 4 });
      const stepLoss: number[] = [];
      try {
        const result = await trainModel({
          model,
          epochs: 3,
          seed: 6,
          learningRate: 1e-2,
          drawBatches: (random) => [syntheticBatch(random, 16, 12), syntheticBatch(random, 16, 12)],
          evaluate: () => Promise.resolve({ score: 0, metrics: {} }),
          onBatchEnd: ({ loss }) => {
            stepLoss.push(loss);
          },
        });
        return { stepLoss, gradientNorm: result.history.map((record) => record.gradientNorm) };
      } finally {
        model.dispose();
      }
    });
    assertLossesClose(native.stepLoss, wasm.stepLoss, "Transformer step loss");
    assertLossesClose(native.gradientNorm, wasm.gradientNorm, "Transformer gradient norm");
  },
});
