import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { PathEscapeError, readTensorFolder, writeTensorFolder } from "../../lib/train/mod.ts";

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

Deno.test("tensor folder: weights paths in model.json that leave the folder are refused, naming file and path", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeTensorFolder(`${root}/m/best`, weights, { epoch: 1 });
    // A real file outside the checkpoint, with the right size: reading it would "work".
    await Deno.mkdir(`${root}/elsewhere`);
    await Deno.copyFile(`${root}/m/best/weights.bin`, `${root}/elsewhere/weights.bin`);
    const modelFile = `${root}/m/best/model.json`;
    const original = JSON.parse(await Deno.readTextFile(modelFile));
    const withPaths = async (paths: unknown[]) => {
      await Deno.writeTextFile(
        modelFile,
        JSON.stringify({ ...original, weightsManifest: [{ ...original.weightsManifest[0], paths }] }),
      );
    };
    const cases: [unknown[], RegExp][] = [
      [["../../elsewhere/weights.bin"], /climbs out of its folder/],
      [[`${root}/elsewhere/weights.bin`], /is absolute/],
      [["sub/../../../elsewhere/weights.bin"], /climbs out of its folder/],
      [["..\\..\\elsewhere\\weights.bin"], /backslash/],
    ];
    for (const [paths, reason] of cases) {
      await withPaths(paths);
      await assert.rejects(() => readTensorFolder(`${root}/m/best`), (error: unknown) => {
        assert.ok(error instanceof PathEscapeError, `expected PathEscapeError, got ${error}`);
        assert.equal(error.file, modelFile);
        assert.equal(error.path, paths[0]);
        assert.ok(
          error.message.startsWith(
            `${modelFile}: weightsManifest[0].paths: path ${JSON.stringify(paths[0])}`,
          ),
        );
        assert.match(error.message, reason);
        return true;
      });
    }
    // A link inside the folder that leads outside is refused too.
    await Deno.symlink(`${root}/elsewhere/weights.bin`, `${root}/m/best/linked.bin`);
    await withPaths(["linked.bin"]);
    await assert.rejects(
      () => readTensorFolder(`${root}/m/best`),
      /path "linked\.bin" is a link to .*elsewhere.*outside the checkpoint folder/,
    );
    // A missing weights file names the manifest and the path.
    await withPaths(["gone.bin"]);
    await assert.rejects(
      () => readTensorFolder(`${root}/m/best`),
      /model\.json: weightsManifest\[0\]\.paths: path "gone\.bin" names a missing file/,
    );
    await withPaths(["weights.bin"]);
    assert.equal((await readTensorFolder(`${root}/m/best`)).metadata.epoch, 1);
    // model.json itself as a link to a manifest elsewhere is refused as well.
    await Deno.rename(modelFile, `${root}/elsewhere/model.json`);
    await Deno.symlink(`${root}/elsewhere/model.json`, modelFile);
    await assert.rejects(
      () => readTensorFolder(`${root}/m/best`),
      /path "model\.json" is a link to .*outside the checkpoint folder/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
