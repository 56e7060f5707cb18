import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { buildWindows, fitScaler } from "../../lib/features/mod.ts";

Deno.test("fitScaler minMax: statistics of the fitted days only; transform and inverse round-trip", () => {
  const close = [10, 20, 30, 99];
  const scaler = fitScaler({ close }, { kind: "minMax", toDay: 3 });
  assert.equal(scaler.offset.close, 10);
  assert.equal(scaler.scale.close, 20);
  assert.deepEqual(Array.from(scaler.transform("close", close)), [0, 0.5, 1, 4.45]);
  assert.deepEqual(Array.from(scaler.inverse("close", [0, 0.5, 4.45])), [10, 20, 99]);
});

Deno.test("fitScaler zScore uses the population standard deviation", () => {
  const scaler = fitScaler({ value: [1, 2, 3, 4, 5] }, { kind: "zScore" });
  assert.equal(scaler.offset.value, 3);
  assertClose(scaler.scale.value, Math.SQRT2, { absolute: 1e-12 });
});

Deno.test("fitScaler global (as published) vs train-only: data after the split changes only the global one", () => {
  const split = 6;
  const close = Float64Array.from([10, 11, 12, 11, 13, 14, 40, 45, 50]);
  const open = Float64Array.from([9, 10, 11, 12, 12, 13, 38, 44, 49]);
  const changed = close.map((value, day) => (day >= split ? value * 3 : value));
  const changedOpen = open.map((value, day) => (day >= split ? value * 3 : value));
  for (const kind of ["minMax", "zScore"] as const) {
    const honest = fitScaler({ close, open }, { kind, toDay: split });
    const honestChanged = fitScaler({ close: changed, open: changedOpen }, { kind, toDay: split });
    assert.deepEqual(honestChanged.offset, honest.offset);
    assert.deepEqual(honestChanged.scale, honest.scale);
    // Training windows (targets before the split) are identical too.
    const windowsOf = (scaler: typeof honest, c: Float64Array, o: Float64Array) =>
      buildWindows([scaler.transform("open", o)], scaler.transform("close", c), {
        windowDays: 2,
        alignment: "nextDay",
        lastTargetDay: split - 1,
      });
    const before = windowsOf(honest, close, open);
    const after = windowsOf(honestChanged, changed, changedOpen);
    assert.deepEqual(after.inputs, before.inputs);
    assert.deepEqual(after.targets, before.targets);
    // The leaky global scaler does move.
    const global = fitScaler({ close }, { kind });
    const globalChanged = fitScaler({ close: changed }, { kind });
    assert.notEqual(globalChanged.scale.close, global.scale.close);
  }
});

Deno.test("fitScaler refuses non-finite values in its range and unknown columns", () => {
  assert.throws(() => fitScaler({ close: [1, NaN, 3] }), /column close at day 1 is NaN/);
  // A NaN outside the fitted range is never read.
  assert.doesNotThrow(() => fitScaler({ close: [1, 2, NaN] }, { toDay: 2 }));
  const scaler = fitScaler({ close: [1, 2] });
  assert.throws(() => scaler.transform("open", [1]), /unknown column open/);
  assert.throws(() => fitScaler({ close: [1, 2] }, { toDay: 5 }), /outside column close/);
});
