import assert from "node:assert/strict";
import { stepLearningRate } from "../../lib/train/mod.ts";

Deno.test("StepLR: halves every 10 epochs", () => {
  const args = { initial: 1e-3, stepEpochs: 10, gamma: 0.5 };
  assert.deepEqual([0, 9, 10, 19, 20, 79].map((epoch) => stepLearningRate(epoch, args)), [
    1e-3,
    1e-3,
    5e-4,
    5e-4,
    2.5e-4,
    1e-3 / 128,
  ]);
});
