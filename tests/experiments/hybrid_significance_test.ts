import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { panelDieboldMariano } from "../../lib/experiments/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { dieboldMarianoFromDifferential } from "../../lib/stats/mod.ts";

Deno.test("panelDieboldMariano: averages the loss differential per day, then tests the daily series", () => {
  const random = createRandom(4);
  const days = 120, stocks = 5;
  const actual: number[] = [], good: number[] = [], zero: number[] = [], day: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let s = 0; s < stocks; s++) {
      const value = 0.02 * random.normal();
      actual.push(value);
      good.push(value + 0.002 * random.normal());
      zero.push(0);
      day.push(d);
    }
  }
  const result = panelDieboldMariano(actual, good, zero, day, { horizon: 5 });
  assert.equal(result.days, days);
  assert.ok(result.statistic < 0 && result.pValue < 1e-6 && result.meanDifferential < 0);
  // The same as averaging by hand and testing the daily series.
  const daily = Array.from({ length: days }, (_, d) => {
    let sum = 0;
    for (let s = 0; s < stocks; s++) {
      const index = d * stocks + s;
      sum += (good[index] - actual[index]) ** 2 - actual[index] ** 2;
    }
    return sum / stocks;
  });
  const direct = dieboldMarianoFromDifferential(daily, { horizon: 5 });
  assertClose(direct.statistic, result.statistic, { absolute: 1e-9 });
  const same = panelDieboldMariano(actual, zero, zero, day);
  assert.equal(same.pValue, 1);
  assert.throws(() => panelDieboldMariano(actual, good, zero, [0]), /1 days for 600 forecasts/);
});
