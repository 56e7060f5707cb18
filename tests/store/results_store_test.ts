import assert from "node:assert/strict";
import {
  computeUnits,
  formatRecord,
  ResultsStore,
  type StoredUnit,
  storeSummary,
  type UnitDefinition,
} from "../../lib/store/mod.ts";
import { storeCoverage } from "../../lib/report/mod.ts";

function unit(
  id: string,
  settings: Record<string, unknown>,
  extra: Partial<UnitDefinition> = {},
): UnitDefinition {
  return {
    id,
    kind: "k",
    settings,
    data: [],
    numericsVersion: 1,
    estimateSeconds: 10,
    run: () => Promise.resolve({ doubled: Number(settings.value) * 2, series: [0.5, 0.25] }),
    ...extra,
  };
}

Deno.test("ResultsStore: computeUnits writes one record per unit; a changed setting or numerics version makes it stale, recomputed and named", async () => {
  const root = await Deno.makeTempDir();
  const store = new ResultsStore(root);
  const checkpointRoot = `${root}-checkpoints`;
  const units = [unit("s/e/a", { value: 1 }), unit("s/e/b", { value: 2 })];
  assert.deepEqual((await store.status(units)).map((status) => status.state), ["missing", "missing"]);
  const seen: string[] = [];
  const statuses = await computeUnits(store, units, {
    checkpointRoot,
    onUnit: (_done, _total, id) => void seen.push(id),
  });
  assert.deepEqual(seen, ["s/e/a", "s/e/b", ""]);
  assert.deepEqual(statuses.map((status) => status.state), ["done", "done"]);
  const record = (await store.read("s/e/b")) as StoredUnit<{ doubled: number }>;
  assert.equal(record.result.doubled, 4);
  assert.equal(record.attempts, 1);
  assert.match(await Deno.readTextFile(`${root}/s/e/b.json`), /"series": \[0\.5,0\.25\]/);
  assert.deepEqual(await store.storedIds(), ["s/e/a", "s/e/b"]);
  // The checkpoint folder goes once the record is written.
  assert.deepEqual([...Deno.readDirSync(checkpointRoot)], []);

  const changed = [unit("s/e/a", { value: 1 }, { numericsVersion: 2 }), unit("s/e/b", { value: 3 })];
  const stale = await store.status(changed);
  assert.deepEqual(stale.map((status) => status.state), ["stale", "stale"]);
  const note = storeCoverage(stale).text;
  assert.match(note, /\*\*0 of 2 units\*\* stored and current/);
  assert.match(note, /\*\*2 stale\*\*.*`s\/e\/a`, `s\/e\/b`/);
  // Time left is estimated from the measured units of the same kind (not the 10 s guess).
  const summary = storeSummary(stale);
  assert.deepEqual(summary.map((row) => [row.group, row.stale, row.missing]), [["s", 2, 0], ["s/e", 2, 0]]);
  for (const row of summary) assert.ok(row.leftSeconds < 5, `${row.group}: ${row.leftSeconds} s left`);
  // Read only: nothing is recomputed.
  assert.deepEqual((await computeUnits(store, changed, { fromStore: true })).map((status) => status.state), [
    "stale",
    "stale",
  ]);
  const recomputed = await computeUnits(store, changed, { checkpointRoot });
  assert.deepEqual(recomputed.map((status) => status.state), ["done", "done"]);
  assert.equal(((await store.read("s/e/b")) as StoredUnit<{ doubled: number }>).result.doubled, 6);
  assert.match(storeCoverage(recomputed).text, /\*\*2 of 2 units\*\* stored and current/);
});

Deno.test("ResultsStore: a dependant waits for its dependency and its fingerprint follows the dependency's", async () => {
  const store = new ResultsStore(await Deno.makeTempDir());
  const search = unit("s/search/best", { trials: 5 });
  const final = unit("s/final/seed-1", { seed: 1 }, {
    dependencies: ["s/search/best"],
    run: (context) =>
      Promise.resolve({
        from: (context.dependencies.get("s/search/best")!.result as { doubled: number }).doubled,
      }),
  });
  const [, waiting] = await store.status([search, final]);
  assert.equal(waiting.state, "missing");
  assert.deepEqual(waiting.waitingFor, ["s/search/best"]);
  await computeUnits(store, [search, final], { checkpointRoot: `${store.root}/ck` });
  const [searchDone, finalDone] = await store.status([search, final]);
  assert.equal(finalDone.state, "done");
  assert.deepEqual(finalDone.stored!.dependencies, [{
    id: "s/search/best",
    fingerprint: searchDone.fingerprint,
  }]);
  // A new search makes the final model stale.
  const [, after] = await store.status([unit("s/search/best", { trials: 6 }), final]);
  assert.equal(after.state, "stale");
});

Deno.test("ResultsStore: bad ids and a corrupt record are errors naming the unit and file", async () => {
  const root = await Deno.makeTempDir();
  const store = new ResultsStore(root);
  assert.throws(() => store.pathOf("../escape/x"), /must be <study>\/<experiment>\/<name>/);
  assert.throws(() => store.pathOf("only/two"), /must be <study>\/<experiment>\/<name>/);
  await Deno.mkdir(`${root}/s/e`, { recursive: true });
  await Deno.writeTextFile(`${root}/s/e/x.json`, "{ half");
  await assert.rejects(() => store.read("s/e/x"), new RegExp(`${root}/s/e/x.json is not valid JSON`));
  await Deno.writeTextFile(
    `${root}/s/e/y.json`,
    JSON.stringify({ format: 1, id: "s/e/other", fingerprint: "f" }),
  );
  await assert.rejects(() => store.read("s/e/y"), /is not the record of unit s\/e\/y/);
});

Deno.test("formatRecord: arrays of numbers on one line, non-finite numbers as null", () => {
  assert.equal(
    formatRecord({ a: [1, NaN, -2.5e-7], b: { c: "x" } }),
    '{\n "a": [1,null,-2.5e-7],\n "b": {\n  "c": "x"\n }\n}\n',
  );
});
