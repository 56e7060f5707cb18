import assert from "node:assert/strict";
import { blockResampleDates, dateBlockBootstrap, sortedQuantile } from "../../lib/stats/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const gain = Array.from({ length: 60 }, (_, t) => 0.2 + Math.sin(t) * 0.5);
const meanOf = (values: number[]) => (rows: Int32Array) => {
  let sum = 0;
  for (const row of rows) sum += values[row];
  return sum / rows.length;
};

Deno.test("block bootstrap: the same seed gives identical results, another seed different ones", () => {
  for (const scheme of ["moving", "stationary"] as const) {
    const args = { resamples: 300, blockLength: 5, scheme };
    const a = dateBlockBootstrap(gain.length, meanOf(gain), { ...args, seed: 11 });
    const b = dateBlockBootstrap(gain.length, meanOf(gain), { ...args, seed: 11 });
    const c = dateBlockBootstrap(gain.length, meanOf(gain), { ...args, seed: 12 });
    assert.deepEqual([...a.resampled], [...b.resampled]);
    assert.deepEqual([a.lower, a.upper, a.shareAtMostZero], [b.lower, b.upper, b.shareAtMostZero]);
    assert.notDeepEqual([...a.resampled], [...c.resampled]);
    assert.ok(
      a.lower < a.estimate && a.estimate < a.upper,
      `${scheme}: ${a.lower} < ${a.estimate} < ${a.upper}`,
    );
  }
});

Deno.test("block bootstrap: the estimate is the statistic on the data; CI and p behave", () => {
  const result = dateBlockBootstrap(gain.length, meanOf(gain), { seed: 1, resamples: 400 });
  assert.equal(result.estimate, meanOf(gain)(Int32Array.from(gain.keys())));
  assert.equal(result.blockLength, 4); // ⌈60^{1/3}⌉
  assert.equal(result.shareAtMostZero, 0); // mean gain 0.2 with spread 0.35: never below 0
  const nothing = gain.map((value) => value - 0.2);
  const centred = dateBlockBootstrap(gain.length, meanOf(nothing), { seed: 1, resamples: 400 });
  assert.ok(centred.lower < 0 && centred.upper > 0);
  assert.ok(centred.shareAtMostZero > 0.2 && centred.shareAtMostZero < 0.8);
});

Deno.test("block resampling: moving blocks are runs of consecutive dates; stationary wraps round", () => {
  const moving = blockResampleDates(20, 5, "moving", createRandom(5));
  assert.equal(moving.length, 20);
  for (let block = 0; block < 4; block++) {
    for (let step = 1; step < 5; step++) assert.equal(moving[block * 5 + step], moving[block * 5] + step);
    assert.ok(moving[block * 5] <= 15);
  }
  const stationary = blockResampleDates(20, 4, "stationary", createRandom(5));
  assert.ok(stationary.every((date) => date >= 0 && date < 20));
});

Deno.test("date-block bootstrap keeps every row of a date together", () => {
  const dates = ["2024-01-03", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-02", "2024-01-04"];
  const seen: number[][] = [];
  dateBlockBootstrap(dates, (rows) => {
    seen.push([...rows]);
    return rows.length;
  }, { seed: 2, resamples: 20, blockLength: 2 });
  assert.deepEqual(seen[0], [1, 4, 0, 2, 3, 5]); // the data as they are: dates in ascending order
  const groups = [[1, 4], [0, 2], [3, 5]];
  for (const rows of seen.slice(1)) {
    assert.equal(rows.length, 6);
    for (let index = 0; index < rows.length; index += 2) {
      assert.ok(groups.some(([a, b]) => rows[index] === a && rows[index + 1] === b), `${rows}`);
    }
  }
});

Deno.test("block bootstrap: NaN resamples are counted and left out", () => {
  const result = dateBlockBootstrap(10, (rows) => (rows[0] % 2 === 0 ? NaN : rows[0]), {
    seed: 3,
    resamples: 200,
  });
  assert.ok(result.invalidResamples > 0 && result.invalidResamples < 200);
  assert.ok(Number.isFinite(result.lower) && Number.isFinite(result.upper) && result.shareAtMostZero === 0);
});

Deno.test("percentile quantile interpolates linearly (NumPy's default)", () => {
  assert.equal(sortedQuantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(sortedQuantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.throws(() => dateBlockBootstrap(10, () => 0, { scheme: "moving", blockLength: 2.5 }), RangeError);
});
