import assert from "node:assert/strict";
import { selectBackend } from "../../lib/backend/mod.ts";
import {
  hybridSearchPlan,
  hybridSettings,
  permutationImportance,
  SEED_PARAMS,
  splitArgs,
  type SplitWindows,
  toHybridParams,
  trainHybrid,
  writeHybridResult,
} from "../../lib/experiments/mod.ts";
import { buildTwoBranchLstm, type HybridWindows } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

await selectBackend("cpu");

/** Windows whose target is 0.01 × the last day's first technical input; fundamentals are noise (or zeros). */
function syntheticSplit(samples: number, seed: number, zeroFundamentals = false): SplitWindows {
  const random = createRandom(seed);
  const windowDays = 4, fundamentalFeatures = 11, technicalFeatures = 15;
  const windows: HybridWindows = {
    fundamental: Float32Array.from(
      { length: samples * windowDays * fundamentalFeatures },
      () => zeroFundamentals ? 0 : random.normal(),
    ),
    technical: Float32Array.from({ length: samples * windowDays * technicalFeatures }, () => random.normal()),
    target: new Float32Array(samples),
    endDay: Int32Array.from({ length: samples }, (_, sample) => sample),
    shape: { samples, windowDays, fundamentalFeatures, technicalFeatures },
  };
  for (let sample = 0; sample < samples; sample++) {
    windows.target[sample] = 0.01 * windows.technical[((sample + 1) * windowDays - 1) * technicalFeatures];
  }
  return {
    windows,
    stock: new Int32Array(samples),
    announcement: Uint8Array.from({ length: samples }, (_, sample) => sample % 7 === 0 ? 1 : 0),
    lastClose: new Float32Array(samples),
    skipped: 0,
    leftOutForBreaks: 0,
  };
}

const params = { units: 4, dropout: 0, learningRate: 0.01, batchSize: 16, windowDays: 4 };

Deno.test("trainHybrid is deterministic for a seed and reports fits beside the zero forecast", async () => {
  const splits = {
    train: syntheticSplit(64, 1),
    validation: syntheticSplit(32, 2),
    test: syntheticSplit(32, 3),
  };
  const first = await trainHybrid(splits, params, { seed: 7, epochs: 2, patience: 2, earningsRule: true });
  const second = await trainHybrid(splits, params, { seed: 7, epochs: 2, patience: 2, earningsRule: true });
  assert.deepEqual(first.predictions.test, second.predictions.test);
  assert.equal(first.fit.test.count, 32);
  assert.equal(first.losses.train.length, first.epochsRun);
  assert.ok(Number.isFinite(first.fit.test.zeroBaseline.rmse));
  const other = await trainHybrid(splits, params, { seed: 8, epochs: 2, patience: 2 });
  assert.notDeepEqual(first.predictions.test, other.predictions.test);
});

Deno.test("permutationImportance: an input that is all zeros scores exactly 0; skipped groups are NaN", async () => {
  const split = syntheticSplit(24, 4, true);
  const model = buildTwoBranchLstm({
    seed: 1,
    windowDays: 4,
    fundamentalFeatures: 11,
    lstmUnits: 3,
    denseUnits: 2,
  });
  try {
    const importance = await permutationImportance(model, split.windows, {
      seed: 1,
      repeats: 2,
      skip: ["growth"],
    });
    assert.equal(importance.valuation, 0);
    assert.equal(importance.macro, 0);
    assert.ok(Number.isNaN(importance.growth));
    assert.notEqual(importance.technical, 0);
  } finally {
    model.dispose();
  }
});

Deno.test("hybridSettings, splitArgs and toHybridParams", () => {
  const quick = hybridSettings(true);
  assert.ok(quick.stocks < 100 && quick.params.units < SEED_PARAMS.units);
  assert.equal(hybridSettings(false).stocks, 100);
  assert.deepEqual(hybridSettings(false).params, SEED_PARAMS);
  // the plan of the units: the seed's 50 trials, affordable ones; quick mode tiny
  assert.equal(hybridSearchPlan(false).trials, 50);
  assert.ok(
    hybridSearchPlan(false).affordable.trainStrideDays > 1 &&
      hybridSearchPlan(false).full.trainStrideDays === 1,
  );
  assert.ok(hybridSearchPlan(true).trials <= 3);
  assert.equal(splitArgs(quick).testStrideDays, 5);
  assert.equal(splitArgs(hybridSettings(false)).testStrideDays, 1);
  assert.deepEqual(
    toHybridParams({ units: 32, dropout: 0.2, learningRate: 0.001, batchSize: 64, windowDays: 30 }),
    {
      units: 32,
      dropout: 0.2,
      learningRate: 0.001,
      batchSize: 64,
      windowDays: 30,
    },
  );
  assert.throws(() => toHybridParams({ units: "many" }), /units is many/);
});

Deno.test("writeHybridResult writes JSON atomically with the commit, and refuses odd names", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const path = await writeHybridResult("hybrid_test", {
      metrics: { r2: NaN, values: Float64Array.of(1, 2) },
    }, {
      folder,
      quick: true,
    });
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.experiment, "hybrid_test");
    assert.equal(saved.quick, true);
    assert.equal(saved.metrics.r2, null);
    assert.deepEqual(saved.metrics.values, [1, 2]);
    assert.ok("commit" in saved.git);
    assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["hybrid_test.json"]);
    await assert.rejects(() => writeHybridResult("../escape", {}, { folder }), /use a-z, 0-9, _/);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
