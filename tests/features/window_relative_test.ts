import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { buildWindows, fromRelative, relativeToLastValue } from "../../lib/features/mod.ts";

Deno.test("relativeToLastValue: prices and target relative to the window's last close", () => {
  const close = [100, 102, 101, 103];
  const volume = [5, 6, 7, 8];
  const windows = buildWindows([close, volume], close, { windowDays: 2, alignment: "nextDay" });
  const { windows: relative, reference } = relativeToLastValue(windows, {
    features: [0],
    referenceFeature: 0,
  });
  assert.deepEqual(Array.from(reference), [102, 101]);
  // window 0: close [100, 102] → [100/102 − 1, 0]; volume untouched; target 101/102 − 1
  assertClose(relative.inputs[0], 100 / 102 - 1, { absolute: 1e-7 });
  assert.equal(relative.inputs[1], 5);
  assert.equal(relative.inputs[2], 0);
  assert.equal(relative.inputs[3], 6);
  assertClose(relative.targets[0], 101 / 102 - 1, { absolute: 1e-12 });
  // The reference is the last known close, so a zero-return prediction is the persistence forecast.
  assert.deepEqual(Array.from(fromRelative([0, 0], reference)), [102, 101]);
  // The input windows are not modified.
  assert.equal(windows.inputs[0], 100);
});

Deno.test("fromRelative maps returns back to prices; bad references are named", () => {
  assert.deepEqual(Array.from(fromRelative([0.01, -0.02], [100, 50])), [101, 49]);
  assert.throws(() => fromRelative([0.1], []), /1 values but 0 references/);
  const windows = buildWindows([[1, 0, 2]], [1, 1, 1], { windowDays: 1, alignment: "nextDay" });
  assert.throws(
    () => relativeToLastValue(windows, { features: [0], referenceFeature: 0 }),
    /target day 2 is 0; needs a real price/,
  );
  assert.throws(
    () => relativeToLastValue(windows, { features: [3], referenceFeature: 0 }),
    /feature index 3/,
  );
});
