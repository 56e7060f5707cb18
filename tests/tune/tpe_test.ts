import assert from "node:assert/strict";
import {
  choice,
  HYBRID_LSTM_SPACE,
  logUniform,
  minimize,
  type Params,
  searchHistory,
  suggestTpe,
  uniform,
} from "../../lib/tune/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

/** Branin over x1 ∈ [−5, 10], x2 ∈ [0, 15]; global minimum 0.397887. */
function branin(params: Params): number {
  const x1 = params.x1 as number, x2 = params.x2 as number;
  const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
const BRANIN_SPACE = { x1: uniform(-5, 10), x2: uniform(0, 15) };

/** A shifted quadratic over the seed's mixed space; minimum 0 at units 64, dropout 0.2, lr 1e-3, window 60. */
function shiftedQuadratic(params: Params): number {
  return (Math.log10(params.learningRate as number) + 3) ** 2 +
    10 * ((params.dropout as number) - 0.2) ** 2 +
    (params.units === 64 ? 0 : 0.5) +
    (params.windowDays === 60 ? 0 : 0.3) +
    (params.batchSize === 32 ? 0 : 0.1);
}

async function meanBest(
  objective: (p: Params) => number,
  space: typeof BRANIN_SPACE | typeof HYBRID_LSTM_SPACE,
  algorithm: "tpe" | "random",
  seeds: number,
) {
  let total = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const result = await minimize(objective, space, { seed, algorithm, maxEvaluations: 50 });
    total += result.best!.loss!;
  }
  return total / seeds;
}

Deno.test("TPE beats random search on Branin, 50 evaluations, mean over 12 seeds", async () => {
  const tpe = await meanBest(branin, BRANIN_SPACE, "tpe", 12);
  const random = await meanBest(branin, BRANIN_SPACE, "random", 12);
  console.log(`Branin mean best: TPE ${tpe.toFixed(4)}, random ${random.toFixed(4)} (optimum 0.3979)`);
  assert.ok(tpe < random, `TPE ${tpe} vs random ${random}`);
});

Deno.test("TPE beats random search on the seed's mixed space (choice, uniform, log-uniform)", async () => {
  const tpe = await meanBest(shiftedQuadratic, HYBRID_LSTM_SPACE, "tpe", 12);
  const random = await meanBest(shiftedQuadratic, HYBRID_LSTM_SPACE, "random", 12);
  console.log(`shifted quadratic mean best: TPE ${tpe.toFixed(4)}, random ${random.toFixed(4)} (optimum 0)`);
  assert.ok(tpe < random, `TPE ${tpe} vs random ${random}`);
});

Deno.test("determinism: one seed, identical trials; another seed, different ones", async () => {
  const a = await minimize(branin, BRANIN_SPACE, { seed: 5, maxEvaluations: 30 });
  const b = await minimize(branin, BRANIN_SPACE, { seed: 5, maxEvaluations: 30 });
  const c = await minimize(branin, BRANIN_SPACE, { seed: 6, maxEvaluations: 30 });
  assert.deepEqual(a.trials, b.trials);
  assert.notDeepEqual(a.trials, c.trials);
});

Deno.test("resume: an interrupted search continues from its checkpoint to the uninterrupted result", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const path = `${directory}/search.json`;
    const uninterrupted = await minimize(shiftedQuadratic, HYBRID_LSTM_SPACE, {
      seed: 3,
      maxEvaluations: 28,
    });
    // interrupt at trial 23 (past the 20 start-up trials) by throwing from the objective
    let calls = 0;
    await assert.rejects(
      minimize(
        (params) => {
          if (++calls === 24) throw new Error("interrupted");
          return shiftedQuadratic(params);
        },
        HYBRID_LSTM_SPACE,
        { seed: 3, maxEvaluations: 28, checkpointPath: path },
      ),
      /interrupted/,
    );
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.trials.length, 23);
    const resumed = await minimize(shiftedQuadratic, HYBRID_LSTM_SPACE, {
      seed: 3,
      maxEvaluations: 28,
      checkpointPath: path,
    });
    assert.equal(resumed.resumedTrials, 23);
    assert.deepEqual(resumed.trials, uninterrupted.trials);
    assert.deepEqual(resumed.best, uninterrupted.best);
    // no temp file left behind
    assert.deepEqual([...Deno.readDirSync(directory)].map((entry) => entry.name), ["search.json"]);
    // a different seed refuses the checkpoint
    await assert.rejects(
      minimize(shiftedQuadratic, HYBRID_LSTM_SPACE, { seed: 4, maxEvaluations: 28, checkpointPath: path }),
      /saved seed 3 differs/,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("space: quantised and log-uniform draws stay in bounds and on the grid", () => {
  const space = { q: uniform(0, 1, 0.25), lq: logUniform(1, 1000, 10), c: choice(["a", "b"]) };
  const history = [];
  const random = createRandom(9);
  for (let trial = 0; trial < 40; trial++) {
    const params = suggestTpe(space, history, random.fork(`t${trial}`), { startupTrials: 10 });
    const q = params.q as number, lq = params.lq as number;
    assert.ok(q >= 0 && q <= 1 && Math.abs(q / 0.25 - Math.round(q / 0.25)) < 1e-12, `q = ${q}`);
    assert.ok(lq >= 1 && lq <= 1000, `lq = ${lq}`);
    assert.ok(lq === 1 || lq === 1000 || Math.abs(lq / 10 - Math.round(lq / 10)) < 1e-9, `lq = ${lq}`);
    assert.ok(params.c === "a" || params.c === "b");
    history.push({ params, loss: (q - 0.5) ** 2 + (params.c === "b" ? 0 : 1) });
  }
});

Deno.test("failed trials (NaN) are recorded as null, excluded from the best, and kept in the history", async () => {
  const result = await minimize((params) => ((params.x as number) > 0.5 ? NaN : params.x as number), {
    x: uniform(0, 1),
  }, { seed: 2, maxEvaluations: 25 });
  assert.ok(result.trials.some((trial) => trial.loss === null));
  assert.ok(result.best!.loss! <= 0.5);
  const history = searchHistory(result.trials);
  assert.equal(history.loss.length, 25);
  for (let index = 0; index < 25; index++) {
    assert.equal(Number.isNaN(history.loss[index]), result.trials[index].loss === null);
    const finished = result.trials.slice(0, index + 1).map((t) => t.loss).filter((l) =>
      l !== null
    ) as number[];
    const expected = finished.length === 0 ? NaN : Math.min(...finished);
    assert.ok(Object.is(history.bestSoFar[index], expected) || history.bestSoFar[index] === expected);
  }
});

Deno.test("searchHistory: best so far by hand", () => {
  const history = searchHistory([
    { index: 0, params: {}, loss: 3 },
    { index: 1, params: {}, loss: null },
    { index: 2, params: {}, loss: 1 },
    { index: 3, params: {}, loss: 2 },
  ]);
  assert.deepEqual(history.trial, [0, 1, 2, 3]);
  assert.deepEqual(history.bestSoFar, [3, 3, 1, 1]);
  assert.ok(Number.isNaN(history.loss[1]));
});
