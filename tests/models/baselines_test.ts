import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { fitRidge, midRangeForecast, persistenceForecast } from "../../lib/models/mod.ts";

Deno.test("persistenceForecast is the previous day's close", () => {
  assert.deepEqual(Array.from(persistenceForecast([10, 11, 12.5, 12], [1, 3])), [10, 12.5]);
  assert.throws(() => persistenceForecast([10, 11], [0]), /target day 0 has no previous close/);
});

Deno.test("midRangeForecast is the same day's (high + low) / 2", () => {
  assert.deepEqual(Array.from(midRangeForecast([12, 14, 20], [10, 11, 18], [1, 2])), [12.5, 19]);
  assert.throws(() => midRangeForecast([1], [1], [3]), /outside/);
});

Deno.test("fitRidge recovers an exact linear law and solves a 2×2 ridge by hand", () => {
  // y = 3·x0 − 2·x1 + 5, four rows
  const x = Float64Array.from([0, 0, 1, 0, 0, 1, 2, 3]);
  const y = Float64Array.from([5, 8, 3, 5]);
  const exact = fitRidge(x, y, { l2: 0 });
  assert.ok(Math.abs(exact.weights[0] - 3) < 1e-9 && Math.abs(exact.weights[1] + 2) < 1e-9);
  assertClose(exact.intercept, 5, { absolute: 1e-9 });
  assertClose(exact.predict([1, 1])[0], 6, { absolute: 1e-9 });
  // One column, ridge by hand: x = [0, 2], y = [0, 2]; centred x = [−1, 1], y = [−1, 1];
  // w = Σxy / (Σx² + λ) = 2 / (2 + 2) = 0.5; b = ȳ − w·x̄ = 1 − 0.5 = 0.5.
  const ridge = fitRidge(Float64Array.from([0, 2]), Float64Array.from([0, 2]), { l2: 2 });
  assertClose(ridge.weights[0], 0.5, { absolute: 1e-12 });
  assertClose(ridge.intercept, 0.5, { absolute: 1e-12 });
});

Deno.test("fitRidge names singular inputs and bad values", () => {
  // A constant column with l2 = 0 is singular.
  assert.throws(
    () => fitRidge(Float64Array.from([1, 1, 1]), Float64Array.from([1, 2, 3]), { l2: 0 }),
    /singular/,
  );
  assert.throws(
    () => fitRidge(Float64Array.from([1, NaN]), Float64Array.from([1, 2])),
    /row 1, column 0 is NaN/,
  );
});
