import assert from "node:assert/strict";
import {
  accuracy,
  argmaxPredictions,
  classificationReport,
  confusionMatrix,
  downMisjudge,
  extremeUpCapture,
  formatPrediction,
  gatePredictions,
  pointsScore,
  precisionRecall,
  upRecall,
} from "../../lib/eval/mod.ts";

// 10 samples: 2 up, 3 down, 5 flat (UP 0, DOWN 1, FLAT 2)
const labels = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2];

Deno.test("always-flat on a known label set: accuracy 50%, points +500 per 1000", () => {
  const flat = new Array(10).fill(2);
  assert.equal(accuracy(labels, flat), 0.5);
  assert.equal(pointsScore(labels, flat), 500);
  // always down: 3 correct, 2 ups predicted down (−1 each) → 1 point in 10 → 100 per 1000
  assert.equal(pointsScore(labels, new Array(10).fill(1)), 100);
  // always up: 2 correct, 3 downs predicted up (−2 each) → −4 in 10 → −400
  assert.equal(pointsScore(labels, new Array(10).fill(0)), -400);
});

Deno.test("confusion matrix, precision/recall, up recall and down misjudge by hand", () => {
  const predictions = [0, 1, 0, 1, 2, 2, 2, 0, 1, 2];
  const matrix = confusionMatrix(labels, predictions);
  assert.deepEqual(matrix, [[1, 1, 0], [1, 1, 1], [1, 1, 3]]);
  const { precision, recall } = precisionRecall(matrix);
  assert.deepEqual(precision, [1 / 3, 1 / 3, 3 / 4]);
  assert.deepEqual(recall, [1 / 2, 1 / 3, 3 / 5]);
  assert.equal(upRecall(labels, predictions), 0.5);
  assert.equal(downMisjudge(labels, predictions), 1 / 3);
  // points: correct 1+1+3 = 5; up→down 1 (−1); down→up 1 (−2); others 0 → 2 in 10 → 200
  assert.equal(pointsScore(labels, predictions), 200);
  assert.equal(pointsScore(labels, predictions, { otherMistake: -0.5 }), (2 - 0.5 * 3) * 100);
  const report = classificationReport(labels, predictions);
  assert.equal(report.accuracy, 0.5);
  assert.deepEqual(report.predictedShares, [0.3, 0.3, 0.4]);
  assert.ok(Number.isNaN(report.extremeUpCapture));
  assert.ok(Number.isNaN(precisionRecall(confusionMatrix([0, 1], [0, 0])).precision[1]));
  assert.throws(() => accuracy([0, 1], [0]), /2 labels but 1 predictions/);
});

Deno.test("extreme up capture: accuracy on the top 5% realised returns", () => {
  const returns = Array.from({ length: 40 }, (_, index) => index / 100); // top 5% = 2 samples: 39, 38
  const truth = new Array(40).fill(2);
  const predicted = new Array(40).fill(2);
  predicted[39] = 0;
  assert.equal(extremeUpCapture(truth, predicted, returns), 0.5);
  predicted[38] = 0;
  assert.equal(extremeUpCapture(truth, predicted, returns), 0);
  assert.equal(extremeUpCapture(truth, predicted, returns, 0.1), 0.5);
});

Deno.test("confidence gating: up only when p_up > 0.6 and > 2·p_down; down only when > 0.7 and > 3·p_up", () => {
  const probabilities = Float32Array.from([
    ...[0.62, 0.33, 0.05], // up 0.62 > 0.6 but not > 2·0.33 → flat
    ...[0.65, 0.20, 0.15], // up
    ...[0.58, 0.10, 0.32], // not > 0.6 → flat
    ...[0.26, 0.72, 0.02], // down 0.72 > 0.7 but not > 3·0.26 → flat
    ...[0.10, 0.75, 0.15], // down
    ...[0.30, 0.30, 0.40],
  ]);
  assert.deepEqual(Array.from(gatePredictions(probabilities)), [2, 0, 2, 2, 1, 2]);
  assert.deepEqual(Array.from(gatePredictions(probabilities, { upThreshold: 0.5, upOverDown: 1 })), [
    0,
    0,
    0,
    2,
    1,
    2,
  ]);
  assert.deepEqual(Array.from(argmaxPredictions(probabilities)), [0, 0, 0, 1, 1, 2]);
});

Deno.test("formatPrediction prints the original's three shares on one line", () => {
  assert.equal(formatPrediction([0.21, 0.54, 0.25]), "涨 21% · 跌 54% · 稳 25%");
  assert.equal(formatPrediction(Float32Array.from([0.004, 0.996, 0])), "涨 0% · 跌 100% · 稳 0%");
});
