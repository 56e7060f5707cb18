import assert from "node:assert/strict";
import { majorityClass, naiveBaselines } from "../../lib/eval/mod.ts";

// 10 samples: 2 up, 3 down, 5 flat (UP 0, DOWN 1, FLAT 2)
const labels = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2];

Deno.test("naive baselines: majority taken from the training labels", () => {
  const baselines = naiveBaselines([1, 1, 1, 2], labels);
  assert.equal(baselines.majority.predictedClass, 1);
  assert.equal(baselines.majority.accuracy, 0.3);
  assert.equal(baselines.alwaysFlat.points, 500);
  assert.equal(baselines.alwaysDown.points, 100);
  assert.equal(baselines.alwaysUp.points, -400);
  assert.equal(majorityClass([0, 0, 2, 2, -1, -1, -1]), 0);
});

Deno.test("naive baselines pass realised returns through to extreme-up capture", () => {
  const returns = [0.2, 0.01, -0.05, -0.03, -0.04, 0, 0.001, 0.002, -0.001, 0.003];
  // top 5% of 10 → 1 sample: the 0.2 return, truly up
  const baselines = naiveBaselines(labels, labels, returns);
  assert.equal(baselines.alwaysUp.extremeUpCapture, 1);
  assert.equal(baselines.alwaysFlat.extremeUpCapture, 0);
  assert.throws(() => majorityClass([-1, -1]), /no labels/);
});
