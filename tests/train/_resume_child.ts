/**
 * Child process of trainer_kill_test.ts: trains a tiny EquiNet model with checkpoints in the folder
 * given as the first argument, prints "epoch N" after each epoch, and at the end one line
 * "RESULT {json}" with the final weights and the history (without wall-clock seconds).
 */
import { selectBackend } from "../../lib/backend/mod.ts";
import { EquiNetWindows, randomWalkStocks } from "../../lib/features/mod.ts";
import { TransformerClassifier } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { classifierEvaluation, trainModel } from "../../lib/train/mod.ts";

await selectBackend("cpu");
const folder = Deno.args[0];
const epochs = Number(Deno.args[1] ?? 10);
const windows = new EquiNetWindows(randomWalkStocks(createRandom(41), { stocks: 5, days: 80 }), {
  context: "random",
  minContextDays: 5,
  maxContextDays: 10,
});
const fixedSet = windows.batch(windows.drawWindows("test", 40, createRandom(42)));
const model = new TransformerClassifier({ dModel: 8, heads: 2, layers: 1, dropout: 0.1, seed: 3 });
const encoder = new TextEncoder();
const result = await trainModel({
  model,
  epochs,
  seed: 4,
  stepEpochs: 2,
  drawBatches: (random) => windows.drawEpoch(random, 32, 8),
  evaluate: classifierEvaluation(model, fixedSet),
  checkpointFolder: folder,
  onEpochEnd: async (record) => {
    await Deno.stdout.write(encoder.encode(`epoch ${record.epoch}\n`));
  },
});
const weights = Object.fromEntries(
  [...model.namedVariables].map(([name, variable]) => [name, [...variable.dataSync()]]),
);
const history = result.history.map(({ seconds: _, ...rest }) => rest);
console.log(`RESULT ${JSON.stringify({ weights, history, resumedFromEpoch: result.resumedFromEpoch })}`);
