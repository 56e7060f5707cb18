import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { type WindowBatch, windowSummaryFeatures } from "../../lib/features/mod.ts";

Deno.test("window summary features: hand values on a 3-day window left-padded to 4 steps", () => {
  // days (oldest → newest): open, high, low, close, volume, index volume, index change, index range
  const days = [
    [0, 0, 0, 0, 0, 0, 0, 0], // padding
    [0.0, 0.1, -0.1, -0.2, 1, 2, 0.01, 3],
    [-0.2, 0.0, -0.3, -0.1, 2, 2, 0.02, 4],
    [-0.1, 0.05, -0.15, 0.0, 3, 5, -0.01, 6],
  ];
  const batch: WindowBatch = {
    size: 1,
    steps: 4,
    features: 8,
    inputs: Float32Array.from(days.flat()),
    mask: Float32Array.from([0, 1, 1, 1]),
    lengths: Int32Array.from([3]),
    labels: Int32Array.from([2]),
    futureReturns: Float32Array.from([0]),
    futureVolatility: Float32Array.from([0]),
    refs: [],
  };
  const { values, columns, names } = windowSummaryFeatures(batch);
  assert.equal(columns, names.length);
  const expected = [
    0.1, // 0 − (−0.1)
    0.2, // 5-day look-back clipped to the first day: 0 − (−0.2)
    0.2,
    0.2,
    0, // daily changes 0.1, 0.1: deviation 0
    0.2, // 0.05 − (−0.15)
    0.1, // 0 − (−0.1)
    3,
    2, // (3 + 2 + 1) / 3
    -0.01,
    (0.01 + 0.02 - 0.01) / 3,
    5,
    6,
    0.3 / 0.4, // close 0 in the window's range: lowest low −0.3, highest high 0.1
  ];
  expected.forEach((value, index) =>
    assertClose(values[index], value, { absolute: 1e-6, label: `${names[index]}: ${values[index]}` })
  );
});
