import assert from "node:assert/strict";
import { constantClassTests } from "../../lib/experiments/mod.ts";
import { binomialTest, mcnemarTest } from "../../lib/stats/mod.ts";

Deno.test("constantClassTests: McNemar from the confusion matrix equals McNemar on the windows themselves", () => {
  const confusion = [[12, 3, 25], [4, 20, 36], [6, 9, 85]]; // rows true 涨/跌/稳, columns predicted
  const model: boolean[] = [];
  const constant: boolean[] = [];
  confusion.forEach((row, truth) =>
    row.forEach((count, predicted) => {
      for (let index = 0; index < count; index++) {
        model.push(truth === predicted);
        constant.push(truth === 2);
      }
    })
  );
  const tests = constantClassTests(confusion, 2);
  assert.equal(tests.windows, 200);
  assert.equal(tests.modelRight, 117);
  assert.equal(tests.constantRight, 100);
  assert.deepEqual([tests.modelOnly, tests.constantOnly], [32, 15]);
  assert.equal(tests.mcnemarPValue, mcnemarTest(model, constant).pValue);
  assert.equal(tests.binomialPValue, binomialTest(117, 200, { probability: 0.5 }).pValueGreater);
});

Deno.test("constantClassTests: a model that always says the constant ties it (p = 1); bad input is refused", () => {
  const tests = constantClassTests([[0, 0, 20], [0, 0, 30], [0, 0, 50]], 2);
  assert.deepEqual([tests.modelOnly, tests.constantOnly, tests.mcnemarPValue], [0, 0, 1]);
  assert.ok(tests.binomialPValue > 0.5);
  assert.throws(() => constantClassTests([[1, 2], [3]], 0), /must be square/);
  assert.throws(() => constantClassTests([[1]], 1), /class 1 is not one of 0..0/);
});
