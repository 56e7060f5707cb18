import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend } from "../../lib/backend/mod.ts";
import { LstmRegressor } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

/** Trains the same tiny LSTM on one backend and returns its loss history and predictions. */
async function trainOn(backend: "cpu" | "wasm") {
  await selectBackend(backend);
  const random = createRandom(3);
  const count = 64, windowDays = 6, featureCount = 3;
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal(0, 1));
  const targets = Float32Array.from(
    { length: count },
    (_, index) => Math.tanh(inputs[index * windowDays * featureCount]),
  );
  const model = new LstmRegressor({
    featureCount,
    windowDays,
    hiddenSize: 4,
    epochs: 4,
    batchSize: 16,
    seed: 9,
  });
  try {
    const history = await model.fit({ inputs, targets, count });
    return { loss: history.loss, predictions: model.predict(inputs, count) };
  } finally {
    model.dispose();
  }
}

Deno.test("wasm trains the LSTM like cpu: same losses and predictions within 1e-4", async () => {
  const cpu = await trainOn("cpu");
  const wasm = await trainOn("wasm");
  await selectBackend("cpu");
  assert.equal(wasm.loss.length, cpu.loss.length);
  cpu.loss.forEach((loss, epoch) =>
    assertClose(loss, wasm.loss[epoch], { absolute: 1e-4 * Math.max(1, loss), label: `epoch ${epoch}` })
  );
  cpu.predictions.forEach((value, index) =>
    assert.ok(
      Math.abs(value - wasm.predictions[index]) <= 1e-4,
      `prediction ${index}: ${value} vs ${wasm.predictions[index]}`,
    )
  );
  assert.ok(cpu.loss[cpu.loss.length - 1] < cpu.loss[0], "training reduces the loss");
});
