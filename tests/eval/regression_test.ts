import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  directionAccuracy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  regressionMetrics,
  rootMeanSquaredError,
} from "../../lib/eval/mod.ts";

const close = (actual: number, expected: number) => assertClose(actual, expected, { absolute: 1e-12 });

Deno.test("MAPE, MAE and RMSE against hand-computed values", () => {
  const actual = [100, 200, 400];
  const predicted = [110, 190, 400];
  // |10|/100 = 0.1, |10|/200 = 0.05, 0 → mean 0.05
  close(meanAbsolutePercentageError(actual, predicted), 0.05);
  // (10 + 10 + 0) / 3
  close(meanAbsoluteError(actual, predicted), 20 / 3);
  // sqrt((100 + 100 + 0) / 3)
  close(rootMeanSquaredError(actual, predicted), Math.sqrt(200 / 3));
});

Deno.test("MAPE refuses zero or non-finite actual values and length mismatches", () => {
  assert.throws(() => meanAbsolutePercentageError([1, 0], [1, 1]), /index 1 is 0/);
  assert.throws(() => meanAbsolutePercentageError([1, 2], [1]), /2 actual values but 1 predictions/);
  assert.throws(() => meanAbsolutePercentageError([1, 2], [1, NaN]), /prediction at index 1 is NaN/);
  assert.throws(() => meanAbsolutePercentageError([], []), /no values/);
});

Deno.test("directionAccuracy compares signs of moves from the reference", () => {
  // up predicted up ✓; down predicted up ✗; flat predicted down ✗; down predicted down ✓
  close(directionAccuracy([11, 9, 10, 8], [10.5, 10.2, 9, 9.9], [10, 10, 10, 10]), 0.5);
  // Persistence predicts no move: only flat days count as right.
  close(directionAccuracy([11, 10, 9], [10, 10, 10], [10, 10, 10]), 1 / 3);
});

Deno.test("regressionMetrics bundles all metrics; direction is NaN without a reference", () => {
  const metrics = regressionMetrics([100, 200], [110, 190], [95, 195]);
  assert.equal(metrics.count, 2);
  close(metrics.mape, 0.075);
  close(metrics.mae, 10);
  close(metrics.rmse, 10);
  close(metrics.directionAccuracy, 0.5);
  assert.ok(Number.isNaN(regressionMetrics([1], [1]).directionAccuracy));
});
