import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { createRandom, Random } from "../../lib/random/mod.ts";

Deno.test("same seed gives identical streams; different seeds differ", () => {
  const a = createRandom(42), b = createRandom(42), c = createRandom(43);
  const drawsA = Array.from({ length: 100 }, () => a.uniform());
  const drawsB = Array.from({ length: 100 }, () => b.uniform());
  const drawsC = Array.from({ length: 100 }, () => c.uniform());
  assert.deepEqual(drawsA, drawsB);
  assert.notDeepEqual(drawsA, drawsC);
});

Deno.test("uniform is in [0, 1) with mean near 1/2; normal has mean 0 and sd 1", () => {
  const random = new Random(7);
  let sum = 0, sumNormal = 0, sumSquares = 0;
  const count = 20000;
  for (let index = 0; index < count; index++) {
    const u = random.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    const z = random.normal();
    sumNormal += z;
    sumSquares += z * z;
  }
  assertClose(sum / count, 0.5, { absolute: 0.01 });
  assertClose(sumNormal / count, 0, { absolute: 0.03 });
  assertClose(sumSquares / count, 1, { absolute: 0.05 });
});

Deno.test("int is unbiased over a small range and rejects bad counts", () => {
  const random = new Random(1);
  const counts = [0, 0, 0];
  for (let index = 0; index < 30000; index++) counts[random.int(3)]++;
  for (const count of counts) assertClose(count, 10000, { absolute: 400, label: `count ${count}` });
  assert.throws(() => random.int(0), /integer in 1..2\^32/);
  assert.throws(() => random.int(1.5), /integer/);
  assert.throws(() => new Random(Number.NaN), /finite/);
});

Deno.test("fork is deterministic, independent of draws made before it, and label-specific", () => {
  const parent = new Random(5);
  const first = parent.fork("dropout").uniform();
  parent.uniform();
  parent.uniform();
  assert.equal(parent.fork("dropout").uniform(), first);
  assert.notEqual(parent.fork("init").uniform(), first);
});

Deno.test("getState/setState resume a stream exactly (including the cached normal)", () => {
  const random = new Random(9);
  random.normal(); // leaves a spare normal cached
  const state = random.getState();
  const expected = [random.normal(), random.uniform(), random.int(1000)];
  const resumed = new Random(0);
  resumed.setState(state);
  assert.deepEqual([resumed.normal(), resumed.uniform(), resumed.int(1000)], expected);
});

Deno.test("shuffle is a permutation; sampleIndices draws distinct indices", () => {
  const random = new Random(3);
  const shuffled = random.shuffle(Array.from({ length: 50 }, (_, index) => index));
  assert.deepEqual([...shuffled].sort((a, b) => a - b), Array.from({ length: 50 }, (_, index) => index));
  const sample = random.sampleIndices(10, 10);
  assert.equal(new Set(sample).size, 10);
  assert.throws(() => random.sampleIndices(3, 4), /distinct/);
});

Deno.test("studentT has fatter tails than the normal", () => {
  const random = new Random(11);
  let beyondNormal = 0, beyondT = 0;
  for (let index = 0; index < 20000; index++) {
    if (Math.abs(random.normal()) > 3) beyondNormal++;
    if (Math.abs(random.studentT(4)) > 3) beyondT++;
  }
  assert.ok(beyondT > beyondNormal * 1.5, `t tails ${beyondT} vs normal ${beyondNormal}`);
});
