import assert from "node:assert/strict";
import { constantClassTests, dateBlockComparison } from "../../lib/experiments/mod.ts";
import { pointsScore } from "../../lib/eval/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
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

Deno.test("dateBlockComparison: seed-mean minus baseline, resampled by whole dates; hand-checkable cases", () => {
  const dates = [
    "2025-01-02",
    "2025-01-02",
    "2025-01-03",
    "2025-01-03",
    "2025-01-06",
    "2025-01-06",
    "2025-01-07",
    "2025-01-07",
  ];
  const labels = "01220122";
  // identical forecasts: difference 0 in every resample, p = 1
  const same = dateBlockComparison({ dates, labels }, ["01222222"], ["01222222"], { resamples: 200 });
  assert.deepEqual([same.difference, same.lower, same.upper, same.pValue], [0, 0, 0, 1]);
  assert.equal(same.dates, 4);
  assert.equal(same.windows, 8);
  // a model right wherever the baseline is, and more: never worse on any date, p = 0
  const better = dateBlockComparison({ dates, labels }, [labels], ["22222222"], { resamples: 200 });
  assert.equal(better.difference, 1 - 4 / 8);
  assert.equal(better.pValue, 0);
  assert.ok(better.lower > 0);
  // two seeds average per window: 0.5 × (accuracy of each) − baseline accuracy
  const seeds = dateBlockComparison({ dates, labels }, [labels, "22222222"], ["22222222"], { resamples: 50 });
  assert.equal(seeds.difference, (1 + 0.5) / 2 - 0.5);
  assert.equal(seeds.seeds, 2);
  // points per 1000: the difference of pointsScore on the same windows
  const points = dateBlockComparison({ dates, labels }, ["10220122"], ["22222222"], {
    metric: "points",
    resamples: 50,
  });
  assert.equal(
    points.difference,
    pointsScore([...labels].map(Number), [..."10220122"].map(Number)) -
      pointsScore([...labels].map(Number), [..."22222222"].map(Number)),
  );
  // seeded and deterministic
  const a = dateBlockComparison({ dates, labels }, ["01202122"], ["22222222"], { seed: 3, resamples: 300 });
  assert.deepEqual(
    a,
    dateBlockComparison({ dates, labels }, ["01202122"], ["22222222"], { seed: 3, resamples: 300 }),
  );
  assert.throws(() => dateBlockComparison({ dates, labels }, ["0122"], ["22222222"]), /8 digits/);
  assert.throws(
    () => dateBlockComparison({ dates: dates.slice(1), labels }, [labels], [labels]),
    /7 dates for 8 labels/,
  );
  assert.throws(() => dateBlockComparison({ dates, labels }, [], [labels]), /at least one/);
});

Deno.test("dateBlockComparison: windows of one date move together, so the interval is wider than the windows-as-independent one", () => {
  // 40 dates × 25 stocks; on each date either every stock's window is called right or none is
  const dates: string[] = [];
  let labels = "", model = "";
  const random = createRandom(11);
  for (let day = 0; day < 40; day++) {
    const right = random.uniform() < 0.55;
    for (let stock = 0; stock < 25; stock++) {
      dates.push(
        `2025-${String(1 + Math.floor(day / 28)).padStart(2, "0")}-${
          String(1 + (day % 28)).padStart(2, "0")
        }`,
      );
      labels += "2";
      model += right ? "2" : "1";
    }
  }
  const baseline = "1".repeat(labels.length); // always wrong here: the gain is the model's right calls
  const byDate = dateBlockComparison({ dates, labels }, [model], [baseline], {
    seed: 1,
    resamples: 500,
    blockLength: 1,
  });
  const independent = dateBlockComparison(
    { dates: dates.map((_, index) => String(index).padStart(5, "0")), labels },
    [model],
    [baseline],
    {
      seed: 1,
      resamples: 500,
      blockLength: 1,
    },
  );
  assert.equal(byDate.difference, independent.difference);
  assert.ok(byDate.upper - byDate.lower > 3 * (independent.upper - independent.lower));
});
