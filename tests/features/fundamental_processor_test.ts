import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { backwardFill, forwardFill, processFundamentals, quantile } from "../../lib/features/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assertClose(actual, expected, { absolute: tolerance });

Deno.test("fills and quantile by hand", () => {
  assert.deepEqual(Array.from(forwardFill([NaN, 1, NaN, 2])), [NaN, 1, 1, 2]);
  assert.deepEqual(Array.from(backwardFill([NaN, 1, NaN, 2])), [1, 1, 2, 2]);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  close(quantile([0, 10, NaN], 0.01), 0.1);
});

Deno.test("corrected: days before the first report stay missing", () => {
  const result = processFundamentals({ sectors: ["a"], features: [[[NaN, NaN, 1, 2, 3, 4]]] }, {
    trainDays: 4,
  });
  assert.ok(Number.isNaN(result.features[0][0][0]));
  assert.ok(Number.isNaN(result.features[0][0][1]));
  assert.ok(Number.isFinite(result.features[0][0][2]));
});

Deno.test("as written (leaky): backward fill copies a future report into the past", () => {
  const features = [[[NaN, NaN, 1, 2, 3, 4]]];
  const leaky = processFundamentals({ sectors: ["a"], features }, {
    trainDays: 4,
    variant: "asWrittenLeaky",
  });
  // day 0 now carries the first report (published on day 2), standardised
  assert.ok(Number.isFinite(leaky.features[0][0][0]));
  assert.equal(leaky.features[0][0][0], leaky.features[0][0][2]);
  // and its statistics change when later data changes
  const later = processFundamentals({ sectors: ["a"], features: [[[NaN, NaN, 1, 2, 3, 400]]] }, {
    trainDays: 4,
    variant: "asWrittenLeaky",
  });
  assert.notEqual(later.statistics.get("a")!.mean[0], leaky.statistics.get("a")!.mean[0]);
});

Deno.test("corrected: clipping and scaling are fitted per sector on training days only", () => {
  // sector a: training values 0..99 over two stocks; sector b: constant 5
  const stockA1 = Float64Array.from({ length: 60 }, (_, day) => (day < 50 ? day : 1000 + day));
  const stockA2 = Float64Array.from({ length: 60 }, (_, day) => (day < 50 ? 50 + day : -1000));
  const stockB = new Float64Array(60).fill(5);
  const panel = { sectors: ["a", "a", "b"], features: [[stockA1], [stockA2], [stockB]] };
  const result = processFundamentals(panel, { trainDays: 50 });
  const a = result.statistics.get("a")!;
  close(a.lower[0], 0.99); // numpy: 1% of 0..99 = 0.99
  close(a.upper[0], 98.01);
  close(a.mean[0], 49.5); // clipping is symmetric here
  const b = result.statistics.get("b")!;
  assert.equal(b.scale[0], 1); // zero spread → scale 1, as scikit-learn
  assert.equal(result.features[2][0][0], 0);
  // test-period values are clipped with the training bounds
  close(result.features[0][0][55], (98.01 - 49.5) / a.scale[0]);
  close(result.features[1][0][55], (0.99 - 49.5) / a.scale[0]);
  // changing test-period data leaves the statistics and the training-period output unchanged
  const changed = processFundamentals({
    sectors: panel.sectors,
    features: [[stockA1.map((v, day) => (day < 50 ? v : -5e6))], [stockA2], [
      stockB.map((v, d) => (d < 50 ? v : 9)),
    ]],
  }, { trainDays: 50 });
  assert.deepEqual(changed.statistics, result.statistics);
  for (let stock = 0; stock < 3; stock++) {
    assert.deepEqual(changed.features[stock][0].slice(0, 50), result.features[stock][0].slice(0, 50));
  }
});

Deno.test("bad shapes are refused", () => {
  assert.throws(
    () => processFundamentals({ sectors: ["a"], features: [] }, { trainDays: 1 }),
    /1 sectors for 0/,
  );
  assert.throws(
    () => processFundamentals({ sectors: ["a"], features: [[[1, 2]]] }, { trainDays: 3 }),
    /trainDays/,
  );
});
