import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { EquiNetWindows, randomWalkStocks, windowSummaryFeatures } from "../../lib/features/mod.ts";
import { accuracy, argmaxPredictions, majorityClass } from "../../lib/eval/mod.ts";
import { LogisticRegression } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

function blobs(seed: number, rows: number) {
  const random = createRandom(seed);
  const values = new Float64Array(rows * 2);
  const labels = new Int32Array(rows);
  const centres = [[3, 0], [-3, 0], [0, 3]];
  for (let row = 0; row < rows; row++) {
    const label = row % 3;
    labels[row] = label;
    values[row * 2] = centres[label][0] + random.normal() + 100; // offset: standardisation must handle it
    values[row * 2 + 1] = 1000 * (centres[label][1] + random.normal());
  }
  return { features: { values, rows, columns: 2, names: ["a", "b"] }, labels };
}

Deno.test("logistic regression separates three blobs, deterministically, loss decreasing", () => {
  const train = blobs(1, 300);
  const test = blobs(2, 300);
  const model = new LogisticRegression({ iterations: 200 }).fit(train.features, train.labels);
  const predicted = argmaxPredictions(model.predictProbabilities(test.features));
  assert.ok(accuracy(test.labels, predicted) > 0.9);
  const again = new LogisticRegression({ iterations: 200 }).fit(train.features, train.labels);
  assert.deepEqual(again.weights, model.weights);
  assert.ok(model.lossHistory.at(-1)! < model.lossHistory[0] / 3);
  assertClose(model.lossHistory[0], Math.log(3), { absolute: 1e-12 });
  assert.throws(() => model.fit(train.features, [0]), /300 rows but 1 labels/);
});

Deno.test("leakage sanity: on i.i.d. random walks the corrected logistic baseline is no better than the majority class", () => {
  const stocks = randomWalkStocks(createRandom(21), { stocks: 30, days: 260 });
  const windows = new EquiNetWindows(stocks, { mode: "corrected", contextDays: 30, testDateShare: 0.3 });
  const train = windows.batch(windows.allWindows("train"));
  const test = windows.batch(windows.allWindows("test"));
  assert.ok(train.size > 4000 && test.size > 1500);
  const model = new LogisticRegression({ iterations: 150 }).fit(windowSummaryFeatures(train), train.labels);
  const predicted = argmaxPredictions(model.predictProbabilities(windowSummaryFeatures(test)));
  const majority = accuracy(test.labels, new Int32Array(test.size).fill(majorityClass(train.labels)));
  const logistic = accuracy(test.labels, predicted);
  assertClose(logistic, majority, { absolute: 0.03, label: `logistic ${logistic} vs majority ${majority}` });
});
