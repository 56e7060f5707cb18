/** The wasm backend's `Slice` (lib/backend/_wasm_slice.ts) against a plain index-by-index slice. */
import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { sliceInto } from "../../lib/backend/_wasm_slice.ts";
import { createRandom } from "../../lib/random/mod.ts";

/** The reference: every output element's source index computed one by one. */
function naiveSlice(values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const total = size.reduce((product, length) => product * length, 1);
  const out: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    let rest = flat, source = 0, stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const index = rest % size[axis];
      rest = Math.floor(rest / size[axis]);
      source += (begin[axis] + index) * stride;
      stride *= shape[axis];
    }
    out.push(values[source]);
  }
  return out;
}

const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [10], begin: [3], size: [4] },
  { shape: [7, 5], begin: [2, 0], size: [3, 5] }, // contiguous rows
  { shape: [7, 5], begin: [1, 1], size: [4, 3] }, // strided
  { shape: [9, 4, 3], begin: [5, 0, 0], size: [4, 4, 3] }, // a batch of windows
  { shape: [9, 4, 3], begin: [2, 1, 0], size: [3, 2, 3] },
  { shape: [9, 4, 3], begin: [0, 0, 2], size: [9, 4, 1] }, // one feature
  { shape: [3, 4, 5, 6], begin: [1, 2, 0, 1], size: [2, 1, 5, 4] },
  { shape: [2, 3, 2, 3, 4], begin: [1, 0, 1, 1, 0], size: [1, 3, 1, 2, 4] }, // rank 5
  { shape: [6, 2], begin: [6, 0], size: [0, 2] }, // empty
];

/** Inputs large enough (≥ 65,536 elements) for EquiLab's kernel; smaller ones go to tfjs' own. */
const LARGE_CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [70_000], begin: [3], size: [40_000] },
  { shape: [300, 300], begin: [5, 0], size: [100, 300] }, // contiguous rows
  { shape: [300, 300], begin: [1, 7], size: [50, 100] }, // strided
  { shape: [2_000, 20, 5], begin: [100, 0, 0], size: [32, 20, 5] }, // a batch of windows
  { shape: [2_000, 20, 5], begin: [3, 2, 1], size: [10, 5, 3] },
  { shape: [40, 30, 20, 10], begin: [1, 2, 3, 4], size: [3, 4, 5, 6] },
  { shape: [10, 10, 10, 10, 10], begin: [1, 0, 2, 3, 0], size: [2, 10, 3, 4, 10] }, // rank 5
  { shape: [70_000, 1], begin: [70_000, 0], size: [0, 1] }, // empty
];

Deno.test("sliceInto: every case equals the index-by-index slice", () => {
  const random = createRandom(3);
  for (const { shape, begin, size } of CASES) {
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal());
    const out = new Float32Array(size.reduce((a, b) => a * b, 1));
    sliceInto(values, shape, begin, size, out);
    assert.deepEqual(
      Array.from(out),
      naiveSlice(values, shape, begin, size),
      JSON.stringify({ shape, begin, size }),
    );
  }
});

Deno.test("wasm backend: tf.slice (EquiLab's kernel) equals the index-by-index slice for float32, int32 and bool; batches cut off one tensor join back to it", async () => {
  await selectBackend("wasm");
  // The installed kernel, not tfjs' own (named `slice`).
  assert.notEqual(tf.getKernel("Slice", "wasm")?.kernelFunc.name, "slice");
  const random = createRandom(5);
  for (const { shape, begin, size } of [...LARGE_CASES, ...CASES]) {
    const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal());
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const typed = dtype === "float32"
        ? values
        : values.map((value) => (dtype === "bool" ? Number(value > 0) : (Math.round(value * 10) + 0)));
      const x = tf.tensor(typed, shape, dtype);
      const sliced = tf.slice(x, begin, size);
      assert.deepEqual(sliced.shape, size);
      assert.deepEqual(
        Array.from(await sliced.data()),
        naiveSlice(Float32Array.from(typed), shape, begin, size).map((v) =>
          dtype === "float32" ? Math.fround(v) : v
        ),
        `${dtype} ${JSON.stringify({ shape, begin, size })}`,
      );
      tf.dispose([x, sliced]);
    }
  }
  // Batches cut off one tensor, the way tfjs-layers' predict and fit do, put back together.
  const x = tf.randomNormal([4000, 7, 3], 0, 1, "float32", 9);
  const batches = Array.from(
    { length: Math.ceil(4000 / 32) },
    (_, index) => tf.slice(x, [index * 32, 0, 0], [Math.min(32, 4000 - index * 32), 7, 3]),
  );
  const joined = tf.concat(batches);
  assert.deepEqual(Array.from(await joined.data()), Array.from(await x.data()));
  const strings = tf.slice(tf.tensor(["a", "b", "c", "d"]), [1], [2]);
  assert.deepEqual(await strings.array(), ["b", "c"]);
  tf.dispose([x, joined, strings, ...batches]);
});
