import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";
import { classifierEvaluation } from "../../lib/train/mod.ts";

const batch: WindowBatch = {
  size: 4,
  steps: 1,
  features: 8,
  inputs: new Float32Array(32),
  mask: new Float32Array(4).fill(1),
  lengths: new Int32Array(4).fill(1),
  labels: Int32Array.from([0, 1, 2, 1]),
  futureReturns: Float32Array.from([0.05, -0.03, 0, -0.04]),
  futureVolatility: new Float32Array(4),
  refs: [],
};
// rows: predicted up (correct), up (truth down: −2), flat (correct), down (correct)
const probabilities = Float32Array.from([
  ...[0.7, 0.1, 0.2],
  ...[0.5, 0.4, 0.1],
  ...[0.2, 0.2, 0.6],
  ...[0.1, 0.8, 0.1],
]);
const model = { predictProbabilities: () => Promise.resolve(probabilities) };

Deno.test("classifier evaluation: score = points per 1000, metrics by hand", async () => {
  const evaluation = await classifierEvaluation(model, batch)();
  // points: 1 − 2 + 1 + 1 = 1 in 4 → 250 per 1000
  assert.equal(evaluation.score, 250);
  assert.equal(evaluation.metrics.points, 250);
  assert.equal(evaluation.metrics.accuracy, 0.75);
  assert.equal(evaluation.metrics.downMisjudge, 0.5);
  assert.equal(evaluation.metrics.upRecall, 1);
  const loss = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.6) + Math.log(0.8)) / 4;
  assertClose(evaluation.metrics.loss, loss, { absolute: 1e-6 });
  assert.equal(evaluation.metrics.predictedUp, 0.5);
});

Deno.test("classifier evaluation with confidence gating: unsure rows become flat", async () => {
  const evaluation = await classifierEvaluation(model, batch, { gate: {} })();
  // gated: row 0 up (0.7 > 0.6, > 2·0.1); row 1 flat (0.5 ≤ 0.6); row 2 flat; row 3 down (0.8 > 0.7, > 3·0.1)
  // points: 1 + 0 + 1 + 1 = 3 in 4 → 750
  assert.equal(evaluation.score, 750);
  assert.equal(evaluation.metrics.downMisjudge, 0);
});

Deno.test("classifier evaluation selectBy: accuracy, or the negated mean cross-entropy (higher is better)", async () => {
  const byAccuracy = await classifierEvaluation(model, batch, { selectBy: "accuracy" })();
  assert.equal(byAccuracy.score, 0.75);
  const byLoss = await classifierEvaluation(model, batch, { selectBy: "loss" })();
  assertClose(byLoss.score + byLoss.metrics.loss, 0, { absolute: 1e-12 });
  assert.ok(byLoss.score < 0);
});
