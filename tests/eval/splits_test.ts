import assert from "node:assert/strict";
import { chronologicalSplit } from "../../lib/eval/mod.ts";

Deno.test("chronologicalSplit: 70/10/20 in time order, test takes the remainder", () => {
  assert.deepEqual(chronologicalSplit(10), {
    train: { from: 0, to: 7 },
    validation: { from: 7, to: 8 },
    test: { from: 8, to: 10 },
  });
  const split = chronologicalSplit(2032, { trainShare: 0.8, validationShare: 0, start: 5 });
  assert.deepEqual(split.train, { from: 5, to: 5 + 1625 });
  assert.deepEqual(split.validation, { from: 1630, to: 1630 });
  assert.deepEqual(split.test, { from: 1630, to: 2037 });
});

Deno.test("chronologicalSplit refuses impossible shares", () => {
  assert.throws(() => chronologicalSplit(10, { trainShare: 0.9, validationShare: 0.2 }), /shares/);
  assert.throws(() => chronologicalSplit(0), /count/);
  assert.throws(() => chronologicalSplit(1, { trainShare: 0.5 }), /no training items/);
});
