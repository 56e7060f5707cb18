import assert from "node:assert/strict";
import { PythonRandom } from "../../lib/random/mod.ts";

/** CPython's own draws (tests/fixtures/python_random/generate.py; its command line is in the JSON). */
interface PythonFixture {
  command: string;
  python: string;
  seed: number;
  random: string[];
  getrandbits32: number[];
  getrandbits53: number[];
  wideSeeds: { seed: number; random: string }[];
  samples: { n: number; k: number; result: number[] }[];
  equinet: { files: number; testSize: number; sampleOrder: string[]; testCodes: string[] };
}

const fixture: PythonFixture = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/python_random/python_random.json", import.meta.url)),
);

Deno.test("PythonRandom(42): random() and getrandbits(32 and 53) equal CPython's, bit for bit", () => {
  assert.equal(fixture.seed, 42);
  const floats = new PythonRandom(42);
  // Python's repr is the shortest round-tripping string: Number() of it is the exact double.
  assert.deepEqual(fixture.random.map(() => floats.random()), fixture.random.map(Number));
  const bits = new PythonRandom(42);
  assert.deepEqual(fixture.getrandbits32.map(() => bits.getrandbits(32)), fixture.getrandbits32);
  const wide = new PythonRandom(42);
  assert.deepEqual(fixture.getrandbits53.map(() => wide.getrandbits(53)), fixture.getrandbits53);
});

Deno.test("PythonRandom.sample equals CPython's for both methods (pool: n <= setsize; set: n > setsize)", () => {
  // setsize = 21 + (k > 5 ? 4 ** ceil(log4(3k)) : 0): (10,3) (250,31) (22,6) (21,5) (100,100) use
  // the pool, (319,31) (1000,5) (22,5) the set.
  for (const { n, k, result } of fixture.samples) {
    const population = Array.from({ length: n }, (_, index) => index);
    assert.deepEqual(new PythonRandom(42).sample(population, k), result, `sample(range(${n}), ${k})`);
  }
  assert.ok(fixture.samples.some(({ n, k }) => n === 21 && k === 5));
  assert.ok(fixture.samples.some(({ n, k }) => n === 22 && k === 5));
});

Deno.test("PythonRandom: the original's EquiNet split, random.sample(sorted files, 31) after seed 42", () => {
  const { files, testSize, sampleOrder, testCodes } = fixture.equinet;
  assert.equal(files, 319);
  assert.equal(testSize, 31);
  // The 319 codes themselves come from the mirror's names; the sample's positions do not.
  const positions = new PythonRandom(42).sample(Array.from({ length: files }, (_, index) => index), testSize);
  assert.deepEqual(positions, fixture.samples.find(({ n, k }) => n === 319 && k === 31)!.result);
  assert.equal(sampleOrder.length, 31);
  assert.deepEqual([...sampleOrder].sort(), testCodes);
});

Deno.test("PythonRandom: seeds are non-negative integers; key words are little-endian 32-bit", () => {
  assert.throws(() => new PythonRandom(-1), /seed must be >= 0/);
  assert.throws(() => new PythonRandom(1.5), /safe integer/);
  assert.equal(new PythonRandom(42n).random(), new PythonRandom(42).random());
  // 2**32 seeds with the key [0, 1], unlike 0 (key [0]).
  assert.notEqual(new PythonRandom(2 ** 32).random(), new PythonRandom(0).random());
  assert.equal(new PythonRandom(2 ** 32).random(), new PythonRandom(1n << 32n).random());
  for (const { seed, random } of fixture.wideSeeds) {
    assert.equal(new PythonRandom(seed).random(), Number(random), `random.seed(${seed})`);
  }
  assert.throws(() => new PythonRandom(1).sample([1, 2], 3), /larger than population/);
  assert.deepEqual(new PythonRandom(1).sample([1, 2], 0), []);
  assert.equal(new PythonRandom(1).getrandbits(0), 0);
});
