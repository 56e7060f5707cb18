import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { readTensorFolder, writeTensorFolder } from "../../lib/train/mod.ts";

await selectBackend("cpu");

const weights = [
  { name: "encoder0/attention/query/kernel", shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
  { name: "head/output/bias", shape: [3], values: Float32Array.from([-1, 0, 1e-7]) },
];

Deno.test("tensor folder: model.json + weights.bin in TF.js format, round trip, readable by tf.io", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeTensorFolder(`${root}/best`, weights, { epoch: 3 }, { "note.txt": "hello" });
    const modelJson = JSON.parse(await Deno.readTextFile(`${root}/best/model.json`));
    assert.deepEqual(modelJson.weightsManifest[0].paths, ["weights.bin"]);
    assert.equal(modelJson.weightsManifest[0].weights[0].dtype, "float32");
    const bytes = await Deno.readFile(`${root}/best/weights.bin`);
    assert.equal(bytes.byteLength, 9 * 4);
    const decoded = tf.io.decodeWeights(bytes.buffer, modelJson.weightsManifest[0].weights);
    assert.deepEqual(decoded["encoder0/attention/query/kernel"].shape, [2, 3]);
    assert.deepEqual(decoded["head/output/bias"].dataSync(), weights[1].values);
    const back = await readTensorFolder(`${root}/best`);
    assert.deepEqual(back.weights.get("encoder0/attention/query/kernel")!.values, weights[0].values);
    assert.equal(back.metadata.epoch, 3);
    assert.equal(await Deno.readTextFile(`${root}/best/note.txt`), "hello");
    // overwrite: no .tmp or .old left behind
    await writeTensorFolder(`${root}/best`, weights, { epoch: 4 });
    assert.deepEqual([...Deno.readDirSync(root)].map((entry) => entry.name), ["best"]);
    assert.equal((await readTensorFolder(`${root}/best`)).metadata.epoch, 4);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("tensor folder: an interrupted save never leaves a half checkpoint", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeTensorFolder(`${root}/last`, weights, { epoch: 1 });
    // a save killed while writing its temporary folder: the old checkpoint is intact
    await Deno.mkdir(`${root}/last.tmp`);
    await Deno.writeTextFile(`${root}/last.tmp/model.json`, "{ trunc");
    assert.equal((await readTensorFolder(`${root}/last`)).metadata.epoch, 1);
    // a save killed between its two renames: the previous folder is found as last.old
    await Deno.rename(`${root}/last`, `${root}/last.old`);
    const found = await readTensorFolder(`${root}/last`);
    assert.equal(found.metadata.epoch, 1);
    assert.equal(found.folder, `${root}/last.old`);
    await writeTensorFolder(`${root}/last`, weights, { epoch: 2 });
    assert.equal((await readTensorFolder(`${root}/last`)).metadata.epoch, 2);
    await assert.rejects(() => readTensorFolder(`${root}/missing`), /no checkpoint/);
    await assert.rejects(
      () => writeTensorFolder(`${root}/bad`, [{ name: "x", shape: [2], values: new Float32Array(3) }]),
      /3 values for shape \[2\]/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
