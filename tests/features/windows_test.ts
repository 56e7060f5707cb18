import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { buildWindows, pctChange, selectWindows } from "../../lib/features/mod.ts";

function series(days: number, offset: number): Float64Array {
  return Float64Array.from({ length: days }, (_, day) => offset + day);
}

Deno.test("buildWindows sameDay: window ends on the target day and includes its features", () => {
  const open = series(5, 100); // 100..104
  const close = series(5, 200); // 200..204
  const windows = buildWindows([open], close, { windowDays: 2, alignment: "sameDay" });
  assert.equal(windows.count, 4);
  assert.deepEqual(Array.from(windows.targetDays), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(windows.lastInputDays), [1, 2, 3, 4]);
  // window 0 = open[0..1] → close[1]
  assert.deepEqual(Array.from(windows.inputs.subarray(0, 2)), [100, 101]);
  assert.deepEqual(Array.from(windows.targets), [201, 202, 203, 204]);
  assert.deepEqual(Array.from(windows.previousTargets), [200, 201, 202, 203]);
});

Deno.test("buildWindows nextDay: features up to day t, target day t + 1, interleaved by day", () => {
  const open = series(5, 100);
  const close = series(5, 200);
  const windows = buildWindows([open, close], close, { windowDays: 2, alignment: "nextDay" });
  assert.equal(windows.count, 3);
  assert.deepEqual(Array.from(windows.targetDays), [2, 3, 4]);
  assert.deepEqual(Array.from(windows.lastInputDays), [1, 2, 3]);
  // [day0 open, day0 close, day1 open, day1 close] → close[2]
  assert.deepEqual(Array.from(windows.inputs.subarray(0, 4)), [100, 200, 101, 201]);
  assert.equal(windows.targets[0], 202);
  assert.equal(windows.previousTargets[0], 201); // today's close: the persistence forecast
});

for (const alignment of ["sameDay", "nextDay"] as const) {
  Deno.test(`buildWindows ${alignment}: no window reads a day after its target (future poisoned with NaN)`, () => {
    const days = 12;
    const open = series(days, 10);
    const high = series(days, 20);
    const close = series(days, 30);
    const reference = buildWindows([open, high, close], close, { windowDays: 3, alignment });
    const stride = 3 * 3;
    for (let index = 0; index < reference.count; index++) {
      const targetDay = reference.targetDays[index];
      const poison = (values: Float64Array) => values.map((value, day) => (day > targetDay ? NaN : value));
      const poisonedClose = poison(close);
      // Any read of a poisoned day would throw (non-finite feature or target) or change the window.
      const windows = buildWindows([poison(open), poison(high), poisonedClose], poisonedClose, {
        windowDays: 3,
        alignment,
        lastTargetDay: targetDay,
      });
      const last = windows.count - 1;
      assert.equal(windows.targetDays[last], targetDay);
      assert.deepEqual(
        Array.from(windows.inputs.subarray(last * stride, (last + 1) * stride)),
        Array.from(reference.inputs.subarray(index * stride, (index + 1) * stride)),
      );
      assert.equal(windows.targets[last], reference.targets[index]);
      if (alignment === "nextDay") {
        // Stronger: a forecast's inputs do not even read the target day's features.
        const hide = (values: Float64Array) => values.map((value, day) => (day >= targetDay ? NaN : value));
        const forecast = buildWindows([hide(open), hide(high), hide(close)], close, {
          windowDays: 3,
          alignment,
          lastTargetDay: targetDay,
        });
        assert.deepEqual(
          Array.from(forecast.inputs.subarray(last * stride, (last + 1) * stride)),
          Array.from(reference.inputs.subarray(index * stride, (index + 1) * stride)),
        );
      }
    }
    // The check has teeth: poisoning the target day itself is caught.
    const poisonedAtTarget = close.map((value, day) => (day === 5 ? NaN : value));
    assert.throws(
      () => buildWindows([open], poisonedAtTarget, { windowDays: 3, alignment, lastTargetDay: 5 }),
      /target at day 5 is NaN/,
    );
  });
}

Deno.test("buildWindows names the feature and day of a non-finite input", () => {
  const open = Float64Array.from([1, 2, NaN, 4]);
  assert.throws(
    () => buildWindows([open], [1, 2, 3, 4], { windowDays: 2, alignment: "sameDay", featureNames: ["open"] }),
    /open at day 2 is NaN \(window for target day 2\)/,
  );
  assert.throws(() => buildWindows([open], [1, 2, 3], { windowDays: 2, alignment: "sameDay" }), /has 4 days/);
  assert.throws(
    () => buildWindows([open], [1, 2, 3, 4], { windowDays: 0, alignment: "sameDay" }),
    /windowDays/,
  );
});

Deno.test("selectWindows keeps the windows whose target day is in [from, to)", () => {
  const close = series(8, 1);
  const all = buildWindows([close], close, { windowDays: 2, alignment: "nextDay" });
  const part = selectWindows(all, 4, 6);
  assert.deepEqual(Array.from(part.targetDays), [4, 5]);
  assert.deepEqual(Array.from(part.inputs), [3, 4, 4, 5]);
  assert.equal(part.count, 2);
});

Deno.test("pctChange is close / previous close − 1, NaN on day 0", () => {
  const pct = pctChange([100, 110, 99]);
  assert.ok(Number.isNaN(pct[0]));
  assertClose(pct[1], 0.1, { absolute: 1e-12 });
  assertClose(pct[2] + 0.1, 0, { absolute: 1e-12 });
  assert.throws(() => pctChange([100, 0, 5]), /index 1 is 0/);
});
