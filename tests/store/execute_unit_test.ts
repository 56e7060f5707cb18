import assert from "node:assert/strict";
import { executeUnit, ResultsStore, type UnitDefinition } from "../../lib/store/mod.ts";

function unit(version: number, value: number): UnitDefinition<{ value: number }> {
  return {
    id: "test/commits/one",
    kind: "test/commits",
    settings: { value },
    data: [],
    numericsVersion: version,
    estimateSeconds: 0,
    run: () => Promise.resolve({ value }),
  };
}

Deno.test("executeUnit leaves alone a record stored by code this checkout does not contain, and replaces an older one", async () => {
  const root = await Deno.makeTempDir({ prefix: "execute-unit-" });
  try {
    const store = new ResultsStore(`${root}/results`);
    const checkpointRoot = `${root}/checkpoints`;
    // Newer code (commit "b…") stored version 2.
    const [fresh] = await store.status([unit(2, 20)]);
    const stored = await executeUnit(store, fresh, {
      checkpointRoot,
      git: () => Promise.resolve({ commit: "b".repeat(40), dirty: false }),
    });
    assert.equal(stored.outcome, "done");
    // An older checkout (version 1) that does not contain commit b… must not overwrite it.
    const [stale] = await store.status([unit(1, 10)]);
    assert.equal(stale.state, "stale");
    const asked: string[] = [];
    const older = await executeUnit(store, stale, {
      checkpointRoot,
      supersedes: (commit) => {
        asked.push(commit);
        return Promise.resolve(false);
      },
    });
    assert.deepEqual(older, { outcome: "newer", commit: "b".repeat(40) });
    assert.deepEqual(asked, ["b".repeat(40)]);
    assert.deepEqual((await store.read<{ value: number }>("test/commits/one"))!.result, { value: 20 });
    // A checkout whose history contains it recomputes; so does one that is not asked (the default).
    const replaced = await executeUnit(store, stale, {
      checkpointRoot,
      supersedes: () => Promise.resolve(true),
    });
    assert.equal(replaced.outcome, "done");
    assert.deepEqual((await store.read<{ value: number }>("test/commits/one"))!.result, { value: 10 });
    const [again] = await store.status([unit(2, 20)]);
    assert.equal((await executeUnit(store, again, { checkpointRoot })).outcome, "done");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
