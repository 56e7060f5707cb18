/**
 * The runner end to end, in real processes: claims across runners, the budget, SIGKILL and resume,
 * atomic writes under SIGKILL, expired claims. Units: tests/store/_units.ts.
 */
import assert from "node:assert/strict";
import { ResultsStore, type StoredUnit, unitFingerprint } from "../../lib/store/mod.ts";

const CLI = new URL("./_cli.ts", import.meta.url).pathname;

interface Folders {
  store: string;
  checkpoints: string;
  markers: string;
}

async function folders(): Promise<Folders> {
  const root = await Deno.makeTempDir({ prefix: "runner-test-" });
  const result = { store: `${root}/store`, checkpoints: `${root}/checkpoints`, markers: `${root}/markers` };
  await Deno.mkdir(result.markers, { recursive: true });
  return result;
}

function command(where: Folders, args: string[], env: Record<string, string> = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: {
      TEST_STORE: where.store,
      TEST_CHECKPOINTS: where.checkpoints,
      TEST_UNITS_MARKERS: where.markers,
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(where: Folders, args: string[], env: Record<string, string> = {}) {
  const output = await command(where, args, env).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

function markers(where: Folders): string[] {
  return [...Deno.readDirSync(where.markers)].map((entry) => entry.name).sort();
}

Deno.test("runner: --list and --status over the test units", async () => {
  const where = await folders();
  const list = await run(where, ["--list", "test/fast"], { TEST_UNITS_COUNT: "3" });
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split("\n"), [
    "test/fast/unit-0",
    "test/fast/unit-1",
    "test/fast/unit-2",
  ]);
  const status = await run(where, ["--status"], { TEST_UNITS_COUNT: "3", TEST_UNITS_DELAY_MS: "1000" });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^test\s+4\s+0\s+0\s+4\s+0\.00 h\s+0\.00 h/m);
  assert.match(status.stdout, /^\s+test\/fast\s+3\s+0\s+0\s+3\s+0\.00 h\s+0\.00 h/m);
  const unknown = await run(where, ["test/nothing"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no unit matches "test\/nothing"; experiments: test\/fast, test\/lstm/);
});

Deno.test("runner: two runners started at once on one store run every unit exactly once", async () => {
  const where = await folders();
  const env = { TEST_UNITS_COUNT: "8", TEST_UNITS_EPOCHS: "3", TEST_UNITS_DELAY_MS: "60" };
  const [a, b] = await Promise.all([
    run(where, ["test/fast", "--jobs", "2"], env),
    run(where, ["test/fast", "--jobs", "2"], env),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  // One marker per unit: a second run of a unit would have made `<index>.1`.
  assert.deepEqual(markers(where), Array.from({ length: 8 }, (_, index) => `${index}.0`).sort());
  const store = new ResultsStore(where.store);
  assert.deepEqual(
    await store.storedIds(),
    Array.from({ length: 8 }, (_, index) => `test/fast/unit-${index}`).sort(),
  );
  const again = await run(where, ["test/fast"], env);
  assert.match(again.stdout, /0 of 8 units to compute/);
});

Deno.test("runner: the budget skips units estimated past it, stops a running one, and exits 0 with what is left", async () => {
  const where = await folders();
  // Each unit takes 40 × 400 ms but claims 0.5 s: the first starts, is stopped at the 8 s budget. (The budget
  // leaves the worker process several seconds to start: loading the unit modules takes 1-3 s on a busy machine.)
  const env = {
    TEST_UNITS_COUNT: "3",
    TEST_UNITS_EPOCHS: "40",
    TEST_UNITS_DELAY_MS: "400",
    TEST_UNITS_ESTIMATE: "0.5",
  };
  const started = performance.now();
  const cut = await run(where, ["test/fast", "--jobs", "1", "--budget", "8s"], env);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(cut.code, 0, cut.stderr);
  assert.match(cut.stdout, /budget reached/);
  assert.match(cut.stdout, /interrupted test\/fast\/unit-0/);
  assert.match(cut.stdout, /summary: 0 units computed .* 0 of 3 done; 3 left .*1 interrupted/);
  assert.ok(seconds < 30, `the runner took ${seconds} s (the unit alone would take 16 s)`);
  // An honest estimate past the budget: nothing starts at all.
  const skipped = await run(where, ["test/fast", "--jobs", "1", "--budget", "10s"], {
    ...env,
    TEST_UNITS_ESTIMATE: "60",
  });
  assert.equal(skipped.code, 0, skipped.stderr);
  // unit-0 already ran a few seconds before it was cut: only the rest of its estimate is left.
  const left = Number(
    skipped.stdout.match(/skip test\/fast\/unit-0: estimated (\d+) s exceeds the budget left/)?.[1],
  );
  assert.ok(left >= 45 && left < 60, `unit-0's estimate less what it ran: ${skipped.stdout}`);
  assert.match(skipped.stdout, /skip test\/fast\/unit-1: estimated 60 s exceeds the budget left/);
  assert.deepEqual(markers(where), ["0.0"]);
});

Deno.test("runner: a unit SIGKILLed mid-training resumes from its checkpoint to the numbers of an uninterrupted run", async () => {
  const reference = await folders();
  const clean = await run(reference, ["--unit", "test/lstm/tiny"]);
  assert.equal(clean.code, 0, clean.stderr);
  const expected = (await new ResultsStore(reference.store).read("test/lstm/tiny")) as StoredUnit<
    { loss: number[]; predicted: number[] }
  >;
  assert.equal(expected.result.loss.length, 12);

  const where = await folders();
  const fingerprint = await unitFingerprint({
    settings: { epochs: 12, hiddenSize: 3, seed: 5 },
    dataFiles: {},
    numericsVersion: 1,
  });
  const state = `${where.checkpoints}/test/lstm/tiny/${fingerprint}/last/training_state.json`;
  const child = command(where, ["--unit", "test/lstm/tiny"], { TEST_UNITS_DELAY_MS: "250" }).spawn();
  let epoch = 0;
  for (let wait = 0; wait < 400 && epoch < 4; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      epoch = JSON.parse(await Deno.readTextFile(state)).epoch;
    } catch { /* not written yet */ }
  }
  child.kill("SIGKILL");
  await child.status;
  await child.stdout.cancel();
  await child.stderr.cancel();
  assert.ok(epoch >= 4 && epoch < 12, `killed after epoch ${epoch}`);
  assert.equal(await new ResultsStore(where.store).read("test/lstm/tiny"), undefined);

  const resumed = await run(where, ["--unit", "test/lstm/tiny"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const record = (await new ResultsStore(where.store).read("test/lstm/tiny")) as typeof expected;
  assert.deepEqual(record.result, expected.result);
  assert.equal(record.attempts, 2);
  assert.deepEqual(markers(where), ["tiny.0", "tiny.1"]);
});

Deno.test("runner: an expired claim is taken over; a live one is left to its runner", async () => {
  const where = await folders();
  const env = { TEST_UNITS_COUNT: "2" };
  const claim = (id: string) => `${where.store}/.claims/${id}.claim`;
  await Deno.mkdir(`${where.store}/.claims/test/fast`, { recursive: true });
  const record = (owner: string) =>
    JSON.stringify({ token: crypto.randomUUID(), owner, leaseSeconds: 60, claimedAt: "" });
  await Deno.writeTextFile(claim("test/fast/unit-0"), record("a runner killed long ago"));
  const past = new Date(Date.now() - 3600_000);
  await Deno.utime(claim("test/fast/unit-0"), past, past);
  await Deno.writeTextFile(claim("test/fast/unit-1"), record("a runner at work elsewhere"));
  const result = await run(where, ["test/fast", "--jobs", "1"], env);
  assert.equal(result.code, 0, result.stderr);
  const store = new ResultsStore(where.store);
  assert.ok(await store.read("test/fast/unit-0"), "the abandoned unit was taken over and computed");
  assert.equal(await store.read("test/fast/unit-1"), undefined, "the live claim was respected");
  assert.match(result.stdout, /1 of 2 done; 1 left/);
});

Deno.test("store writes are atomic: SIGKILL during a write leaves the old record or the new one, never half", async () => {
  const root = await Deno.makeTempDir();
  const module = new URL("../../lib/store/mod.ts", import.meta.url).href;
  const script = `
    import { ResultsStore } from "${module}";
    const store = new ResultsStore(${JSON.stringify(root)});
    const big = Array.from({ length: 400000 }, (_, i) => i / 7);
    for (let n = 0; ; n++) {
      await store.write({ format: 1, id: "s/e/u", kind: "k", fingerprint: String(n), numericsVersion: 1, settings: {},
        data: [], dependencies: [], result: big, backend: "", machine: { cpu: "", cores: 1, os: "", deno: "" },
        wallSeconds: 0, attempts: 1, git: { commit: null, dirty: null }, finishedAt: "" });
      if (n === 0) console.log("first");
    }`;
  for (const delay of [30, 90, 170]) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read(); // the first write finished
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    const record = await new ResultsStore(root).read("s/e/u");
    assert.ok(record, "a complete record is there");
    assert.equal((record.result as number[]).length, 400000);
  }
});
