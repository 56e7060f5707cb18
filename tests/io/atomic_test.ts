import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/io/mod.ts";

Deno.test("writeFileAtomic writes text and bytes, creating folders, leaving no temp file", async () => {
  const folder = await Deno.makeTempDir();
  const path = join(folder, "nested", "a.json");
  await writeFileAtomic(path, '{"a":1}');
  assert.equal(await Deno.readTextFile(path), '{"a":1}');
  await writeFileAtomic(path, new Uint8Array([104, 105]));
  assert.equal(await Deno.readTextFile(path), "hi");
  assert.deepEqual([...Deno.readDirSync(join(folder, "nested"))].map((entry) => entry.name), ["a.json"]);
});

Deno.test("writeFileAtomic failing to rename keeps the old file and removes its temp file", async () => {
  const folder = await Deno.makeTempDir();
  const target = join(folder, "target");
  await Deno.mkdir(join(target, "occupied"), { recursive: true }); // a non-empty folder cannot be replaced by a file
  await assert.rejects(() => writeFileAtomic(target, "x"));
  assert.ok((await Deno.stat(join(target, "occupied"))).isDirectory);
  assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["target"]);
});
