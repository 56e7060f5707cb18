import assert from "node:assert/strict";
import {
  bestFinishedTrial,
  correctedConfig,
  equiNetResultFromStore,
  equiNetSchedule,
  equiNetUnits,
  type HybridUnitResult,
  hybridUnits,
  paperUnits,
  trialPruningRule,
} from "../../lib/experiments/mod.ts";
import { unitRegistry } from "../../lib/experiments/units.ts";
import { computeUnits, executeUnit, ResultsStore, type UnitDefinition } from "../../lib/store/mod.ts";

const mirror = Deno.env.get("EQUILAB_DATA_MIRROR");

Deno.test("the unit registry lists the three studies with unique, valid ids and computable fingerprints", async () => {
  const units = await unitRegistry.definitions();
  const studies = new Set(units.map((unit) => unit.id.split("/")[0]));
  assert.deepEqual([...studies].sort(), ["equinet", "hybrid", "paper"]);
  assert.equal(new Set(units.map((unit) => unit.id)).size, units.length);
  assert.equal((await paperUnits()).length, 125);
  const equinet = await equiNetUnits();
  assert.equal(equinet.length, 2 + 5 + 6 * 5 + 12 + 6);
  assert.ok(equinet.every((unit) => unit.data.length === 320 && unit.estimateSeconds > 0));
  const hybrid = await hybridUnits();
  assert.deepEqual(hybrid.map((unit) => unit.id), [
    ...Array.from({ length: 50 }, (_, trial) => `hybrid/search/trial-${String(trial).padStart(2, "0")}`),
    ...[1, 2, 3, 4, 5].flatMap((configuration) =>
      ["affordable", "full"].map((way) => `hybrid/fidelity/config-${configuration}/${way}`)
    ),
    ...[1, 2, 3, 4, 5].map((seed) => `hybrid/model/seed-${seed}`),
    ...["technical-only", "earnings-rule", "close-target"].flatMap((variant) =>
      [1, 2, 3].map((seed) => `hybrid/ablation/${variant}/seed-${seed}`)
    ),
  ]);
  // The final model and the ablations wait for the whole search.
  assert.ok(hybrid.slice(60).every((unit) => unit.dependencies?.length === 50));
  // Trial n is proposed and pruned from trials 0 … n−2 (two run at once, deterministically).
  assert.deepEqual(hybrid[0].dependencies, []);
  assert.deepEqual(hybrid[1].dependencies, []);
  assert.deepEqual(hybrid[4].dependencies, [0, 1, 2].map((trial) => `hybrid/search/trial-0${trial}`));
  assert.equal(hybrid[49].dependencies?.length, 48);
  // The fidelity pairs train one drawn configuration two ways.
  const [affordable, full] = hybrid.slice(50, 52);
  assert.deepEqual(affordable.settings.params, full.settings.params);
  assert.notDeepEqual(hybrid[52].settings.params, affordable.settings.params);
  const statuses = await new ResultsStore(await Deno.makeTempDir()).status(units);
  for (const status of statuses) {
    assert.equal(status.state, "missing");
    if (status.waitingFor.length === 0) {
      assert.match(status.fingerprint!, /^[0-9a-f]{16}$/, status.definition.id);
    }
  }
  // Seeds are the only difference between two seeds' units.
  const [seed1, seed2] = statuses.filter((status) =>
    status.definition.id.startsWith("equinet/corrected/corrected/")
  );
  assert.notEqual(seed1.fingerprint, seed2.fingerprint);
});

Deno.test({
  name:
    "quick EquiNet and hybrid units run end to end through the store (a trial waits for the trials before the one beside it)",
  ignore: mirror === undefined,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "units-" });
    const store = new ResultsStore(`${root}/results`);
    const units = [
      ...(await equiNetUnits({ quick: true, seeds: [1], publishedSeeds: [] })).filter((unit) =>
        !unit.id.includes("improvements") && !unit.id.startsWith("equinet/published")
      ),
      ...(await hybridUnits({ quick: true })),
    ] as UnitDefinition[];
    const before = await store.status(units);
    assert.deepEqual(before.find((status) => status.definition.id === "hybrid/search/trial-02")!.waitingFor, [
      "hybrid/search/trial-00",
    ]);
    const after = await computeUnits(store, units, { checkpointRoot: `${root}/checkpoints` });
    assert.deepEqual(
      after.map((status) => [status.definition.id, status.state]),
      units.map((unit) => [unit.id, "done"]),
    );
    const seed = await store.read<
      { kind: string; run: { history: unknown[]; reports: { test: { best: { accuracy: number } } } } }
    >(
      "equinet/corrected/corrected/seed-1",
    );
    assert.equal(seed!.result.run.history.length, 2);
    const trial = await store.read<HybridUnitResult>("hybrid/search/trial-02");
    assert.equal(trial!.dependencies[0].id, "hybrid/search/trial-00");
    const result = trial!.result;
    assert.ok(result.kind === "trial");
    assert.equal(result.validationLosses.length, result.epochsRun);
    assert.ok(result.loss !== null && result.loss > 0);
    assert.equal(result.validationBacktest.dailyReturns.length, result.validationBacktest.days);
    const fidelity = await store.read<HybridUnitResult>("hybrid/fidelity/config-1/affordable");
    assert.equal(fidelity!.result.kind, "fidelity");
    // The final model uses the search's best finished trial, and stores its test predictions on the
    // rebalance days with permutation importance; an ablation has none.
    const trials = await Promise.all(
      [0, 1, 2].map((index) => store.read<HybridUnitResult>(`hybrid/search/trial-0${index}`)),
    );
    const model = (await store.read<HybridUnitResult>("hybrid/model/seed-1"))!.result;
    assert.ok(model.kind === "model");
    assert.equal(
      model.bestTrial,
      bestFinishedTrial(
        trials.map((trial) => trial!.result as { index: number; loss: number | null; pruned: boolean }),
      ).index,
    );
    assert.ok(model.testPredictions.length > 0 && model.testPredictions.every(Number.isFinite));
    assert.ok(model.importance && Object.keys(model.importance).length > 0);
    const ablation = (await store.read<HybridUnitResult>("hybrid/ablation/technical-only/seed-1"))!.result;
    assert.ok(
      ablation.kind === "model" && ablation.variant === "technical-only" && ablation.importance === undefined,
    );
    // The notebooks' view: an experiment's result assembled from its units.
    const assembled = await equiNetResultFromStore(
      store,
      "corrected",
      correctedConfig(equiNetSchedule(true)),
      [1, 2],
      { quick: true },
    );
    assert.deepEqual(assembled!.seeds, [1]);
    assert.equal(assembled!.summary.test.best.accuracy.values.length, 1);
    assert.equal(assembled!.summary.test.best.accuracy.mean, seed!.result.run.reports.test.best.accuracy);
    assert.ok(assembled!.baselines.test.alwaysFlat && assembled!.logistic);
    assert.equal(
      await equiNetResultFromStore(store, "improvements", correctedConfig(equiNetSchedule(true)), [1, 2], {
        quick: true,
      }),
      undefined,
    );
    // A record the present code would not compute (written under other settings or numerics: another
    // fingerprint) is stale: never read as a result.
    const path = store.pathOf("equinet/corrected/corrected/seed-1");
    const stored = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        ...stored,
        fingerprint: `0${stored.fingerprint.slice(1)}` === stored.fingerprint
          ? `1${stored.fingerprint.slice(1)}`
          : `0${stored.fingerprint.slice(1)}`,
      }),
    );
    assert.equal(
      await equiNetResultFromStore(store, "corrected", correctedConfig(equiNetSchedule(true)), [1, 2], {
        quick: true,
      }),
      undefined,
    );
  },
});

Deno.test("the hybrid search's best trial is the lowest finished one: pruned and diverged trials never win", () => {
  const trial = (index: number, loss: number | null, pruned = false) => ({ index, loss, pruned });
  assert.equal(
    bestFinishedTrial([trial(0, 0.5), trial(1, 0.1, true), trial(2, null), trial(3, 0.4), trial(4, 0.4)])
      .index,
    3,
  );
  assert.throws(() => bestFinishedTrial([trial(0, 0.1, true), trial(1, null)]), /no trial finished/);
});

Deno.test({
  name:
    "a hybrid fidelity unit stopped after its first epoch resumes from its checkpoint to the uninterrupted numbers",
  ignore: mirror === undefined,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "hybrid-resume-" });
    try {
      const [unit] = (await hybridUnits({ quick: true })).filter((definition) =>
        definition.id === "hybrid/fidelity/config-1/full"
      );
      const run = async (folder: string, stopAfterFirstEpoch: boolean) => {
        const store = new ResultsStore(`${root}/${folder}/results`);
        let epochs = 0;
        const args = {
          checkpointRoot: `${root}/${folder}/checkpoints`,
          shouldStop: () => stopAfterFirstEpoch && epochs >= 1,
          onProgress: (message: string) => {
            if (message.startsWith("epoch")) epochs++;
          },
        };
        const first = await executeUnit(store, (await store.status([unit]))[0], args);
        if (stopAfterFirstEpoch) {
          assert.equal(first.outcome, "interrupted");
          stopAfterFirstEpoch = false;
          const resumed = await executeUnit(store, (await store.status([unit]))[0], args);
          assert.equal(resumed.outcome, "done");
        }
        return (await store.read<HybridUnitResult>(unit.id))!;
      };
      const straight = await run("straight", false);
      const resumed = await run("resumed", true);
      assert.equal(resumed.attempts, 2);
      assert.deepEqual(resumed.result, straight.result);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("a trial's pruner compares with completed trials only: a pruned trial's curve is left out, as in Optuna", () => {
  const completed = [{ pruned: false, validationLosses: [1.0, 0.9] }, {
    pruned: false,
    validationLosses: [1.2, 1.1],
  }];
  const pruned = { pruned: true, validationLosses: [5.0] };
  const args = { startupTrials: 2, warmupEpochs: 0 };
  // median of the completed trials at epoch 1: 1.1; with the pruned one it would be 1.2
  assert.equal(trialPruningRule(args, completed)([1.15]), true);
  assert.equal(trialPruningRule(args, [...completed, pruned])([1.15]), true);
  // and the pruned trial does not count toward the startup trials either
  assert.equal(trialPruningRule({ startupTrials: 3, warmupEpochs: 0 }, [...completed, pruned])([9]), false);
});
