import assert from "node:assert/strict";
import {
  executeUnit,
  ResultsStore,
  runWorker,
  secondsAlreadyRun,
  secondsLeftOf,
  type UnitDefinition,
  UnitInterrupted,
} from "../../lib/store/mod.ts";

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

Deno.test("runWorker: a worker waits for a dependency another worker is computing, and does not wait on one that failed", async () => {
  const root = await Deno.makeTempDir({ prefix: "run-worker-" });
  try {
    const store = new ResultsStore(`${root}/results`);
    const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // A search-like chain: unit n depends on units 0 … n−2, so two run at once.
    const chain = (count: number, ms: (index: number) => number): UnitDefinition<{ index: number }>[] =>
      Array.from({ length: count }, (_, index) => ({
        id: `test/chain/unit-${index}`,
        kind: "test/chain",
        settings: { index },
        data: [],
        numericsVersion: 1,
        dependencies: Array.from(
          { length: Math.max(0, index - 1) },
          (_, earlier) => `test/chain/unit-${earlier}`,
        ),
        estimateSeconds: 0,
        run: async () => {
          await delay(ms(index));
          return { index };
        },
      }));
    const definitions = chain(4, (index) => (index === 0 ? 600 : 30));
    const worker = (number: number) =>
      runWorker({
        store,
        definitions,
        checkpointRoot: `${root}/checkpoints`,
        shouldStop: () => false,
        emit: () => {},
        worker: number,
        pollSeconds: 0.05,
      });
    const [first, second] = await Promise.all([worker(0), delay(20).then(() => worker(1))]);
    // Worker 0 holds unit 0 for 600 ms; worker 1 does unit 1, then waits (units 2 and 3 need unit 0)
    // instead of leaving, and takes one of them once unit 0 lands.
    assert.deepEqual(first.done.slice(0, 1), ["test/chain/unit-0"]);
    assert.deepEqual(second.done.slice(0, 1), ["test/chain/unit-1"]);
    assert.ok(second.done.length >= 2, `worker 1 did ${second.done.join(", ")}`);
    assert.deepEqual([...first.done, ...second.done].sort(), definitions.map((unit) => unit.id).sort());

    // A dependency that fails leaves its dependants waiting on nothing anyone computes: the worker returns.
    const failing: UnitDefinition<{ index: number }>[] = [
      { ...chain(1, () => 0)[0], id: "test/failing/unit-0", run: () => Promise.reject(new Error("broken")) },
      { ...chain(1, () => 0)[0], id: "test/failing/unit-1", dependencies: ["test/failing/unit-0"] },
    ];
    const alone = await runWorker({
      store,
      definitions: failing,
      checkpointRoot: `${root}/checkpoints`,
      shouldStop: () => false,
      emit: () => {},
      pollSeconds: 0.05,
    });
    assert.deepEqual(alone.failed, ["test/failing/unit-0"]);
    assert.deepEqual(alone.done, []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("secondsAlreadyRun: an interrupted unit's attempts count against its estimate; secondsLeftOf keeps a tenth", async () => {
  const root = await Deno.makeTempDir({ prefix: "execute-unit-" });
  try {
    const store = new ResultsStore(`${root}/results`);
    const checkpointRoot = `${root}/checkpoints`;
    const interrupted: UnitDefinition = {
      ...unit(1, 1),
      id: "test/resume/one",
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw new UnitInterrupted("test/resume/one", "asked to stop");
      },
    };
    const [status] = await store.status([interrupted]);
    assert.equal(await secondsAlreadyRun(checkpointRoot, status), 0);
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.equal((await executeUnit(store, status, { checkpointRoot })).outcome, "interrupted");
    }
    const already = await secondsAlreadyRun(checkpointRoot, status);
    assert.ok(already >= 0.55 && already < 5, `two attempts of ≥ 0.3 s each, got ${already}`);
    assert.equal(secondsLeftOf(600, 420), 180);
    assert.equal(secondsLeftOf(600, 900), 60);
    assert.equal(secondsLeftOf(600, 0), 600);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
