import assert from "node:assert/strict";
import { BarsCache, loadBars, loadFolder } from "../../lib/data/mod.ts";
import { csvText, tempFolder, writeIn } from "./_helpers.ts";

Deno.test("BarsCache: a second load is served from the cache, identical to a fresh parse", async () => {
  const folder = await tempFolder();
  try {
    const cache = new BarsCache(`${folder.path}/cache`);
    const path = await writeIn(folder.path, "s_600000.csv", csvText(70));
    const fresh = await loadBars(path, { cache });
    const cached = await loadBars(path, { cache });
    assert.deepEqual(cached.dates, fresh.dates);
    assert.deepEqual(cached.close, fresh.close);
    assert.deepEqual(cached.meta, fresh.meta);
    assert.equal([...Deno.readDirSync(`${folder.path}/cache`)].length, 1);
    // Options that shape the result get their own entry.
    await loadBars(path, { cache, minRows: 70 });
    const entries = [...Deno.readDirSync(`${folder.path}/cache`)];
    assert.equal(entries.length, 2);
    assert.ok(entries.every((entry) => entry.name.endsWith(".bars")));
  } finally {
    await folder.cleanup();
  }
});

Deno.test("BarsCache: a touched file (same bytes) stays cached; an edited file is parsed again", async () => {
  const folder = await tempFolder();
  try {
    const cache = new BarsCache(`${folder.path}/cache`);
    const path = await writeIn(folder.path, "s_600000.csv", csvText(70));
    await loadBars(path, { cache });
    const entry = `${folder.path}/cache/${[...Deno.readDirSync(`${folder.path}/cache`)][0].name}`;
    const before = Deno.statSync(entry).mtime!.getTime();
    await Deno.utime(path, new Date(), new Date(Date.now() + 5000));
    const touched = await loadBars(path, { cache });
    assert.equal(touched.close[0], 10.2);
    assert.ok(Deno.statSync(entry).mtime!.getTime() >= before, "stamp refreshed");
    // Same size, different content: the hash decides.
    await Deno.writeTextFile(
      path,
      csvText(70).replace("2024-01-01,10,10.5,9.5,10.2", "2024-01-01,10,10.5,9.5,10.3"),
    );
    await Deno.utime(path, new Date(), new Date(Date.now() + 10000));
    const edited = await loadBars(path, { cache });
    assert.equal(edited.close[0], 10.3);
    // A broken edit is reported, never masked by the old cache entry.
    await Deno.writeTextFile(path, csvText(70, (lines) => lines[1] = "2024-01-01,10,10.5,9.5,oops,1,1"));
    await assert.rejects(() => loadBars(path, { cache }), /row 2, column "close": close is not a number/);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("BarsCache: folder loads use it too, and a corrupt entry is ignored", async () => {
  const folder = await tempFolder();
  try {
    const cache = new BarsCache(`${folder.path}/cache`);
    await Deno.mkdir(`${folder.path}/data`);
    for (let k = 0; k < 3; k++) await writeIn(`${folder.path}/data`, `s_60000${k}.csv`, csvText(70 + k));
    const first = await loadFolder(`${folder.path}/data`, { cache, workers: 0 });
    for (const entry of Deno.readDirSync(`${folder.path}/cache`)) {
      if (entry.name.endsWith(".bars")) {
        await Deno.writeFile(`${folder.path}/cache/${entry.name}`, new Uint8Array([1, 2, 3]));
        break;
      }
    }
    const second = await loadFolder(`${folder.path}/data`, { cache, workers: 0 });
    assert.deepEqual([...second.tables.keys()], [...first.tables.keys()]);
    for (const [code, bars] of first.tables) assert.deepEqual(second.tables.get(code)!.close, bars.close);
    assert.equal(
      [...Deno.readDirSync(`${folder.path}/cache`)].filter((entry) => entry.name.endsWith(".pack")).length,
      1,
    );
    // An edited source is re-read even though the folder pack holds its old table.
    await writeIn(`${folder.path}/data`, "s_600001.csv", csvText(90));
    const third = await loadFolder(`${folder.path}/data`, { cache, workers: 0 });
    assert.equal(third.tables.get("600001")!.length, 90);
    assert.equal(third.tables.get("600000")!.length, 70);
    await writeIn(`${folder.path}/data`, "s_600002.csv", "date,open\n");
    const fourth = await loadFolder(`${folder.path}/data`, { cache, workers: 0, onError: "skip" });
    assert.equal(fourth.failed.length, 1, "a broken edit is reported, not served from the pack");
    await cache.clear();
    assert.equal([...Deno.readDirSync(`${folder.path}/cache`)].length, 0);
  } finally {
    await folder.cleanup();
  }
});
