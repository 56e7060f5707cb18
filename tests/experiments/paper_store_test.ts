/**
 * The committed results store against the code: every stored paper unit is current (its fingerprint
 * is the one the code gives it today), and the cheapest stored units, recomputed here, give the
 * stored numbers; README's Results section is what the store generates.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type PaperUnitResult,
  paperUnits,
  RESULTS_MARKERS,
  resultsSection,
  resultsStoreOf,
} from "../../lib/experiments/mod.ts";
import type { StoredUnit } from "../../lib/store/mod.ts";
import { unitRegistry } from "../../lib/experiments/units.ts";

const mirror = Deno.env.get("EQUILAB_DATA_MIRROR");
const { store } = resultsStoreOf(false);

Deno.test("results store: every committed unit of every study is current under today's code, and none is orphaned", async () => {
  const definitions = await unitRegistry.definitions();
  const statuses = await store.status(definitions);
  const stale = statuses.filter((status) => status.state === "stale").map((status) => status.definition.id);
  assert.deepEqual(
    stale,
    [],
    `stale units (bump nothing silently: recompute them with deno task experiments): ${stale}`,
  );
  const known = new Set(definitions.map((definition) => definition.id));
  const orphans = (await store.storedIds()).filter((id) => !known.has(id));
  assert.deepEqual(orphans, [], "records no unit definition produces any more");
  for (const status of statuses.filter((entry) => entry.stored)) {
    assert.equal(status.stored!.numericsVersion, status.definition.numericsVersion);
    assert.ok(status.stored!.wallSeconds > 0 && status.stored!.machine.cores >= 1);
  }
  assert.equal(
    statuses.filter((status) => status.definition.id.startsWith("paper/") && status.state === "done").length,
    125,
  );
});

/**
 * Tolerance of a recomputed number: |Δ| ≤ 1e-5 + 1e-3·|stored|. On the machine that stored the unit
 * the recomputation is bit-identical; across CPUs the WebAssembly kernels' relaxed-SIMD multiply-add
 * (fused on some CPUs, not on others) and a native BLAS's summation order change float32 rounding, and
 * training amplifies that over its epochs — to well under 0.1% on these 10-epoch units, while two seeds of
 * one configuration differ by 10-50%. A larger drift means a changed computation: bump
 * PAPER_NUMERICS_VERSION and recompute, or find the bug.
 */
function close(actual: number, expected: number, what: string): string | undefined {
  const tolerance = 1e-5 + 1e-3 * Math.abs(expected);
  return Math.abs(actual - expected) <= tolerance
    ? undefined
    : `${what}: recomputed ${actual}, stored ${expected}`;
}

Deno.test({
  name: "results store: the cheapest stored paper units, recomputed, reproduce the stored numbers",
  ignore: mirror === undefined,
  fn: async () => {
    const definitions = await paperUnits();
    const statuses = await store.status(definitions);
    const done = statuses.filter((status) => status.state === "done")
      .sort((a, b) => a.stored!.wallSeconds - b.stored!.wallSeconds);
    if (done.length === 0) return; // an empty store has nothing to reproduce
    const sample = [
      done[0],
      done.find((status) => status.definition.id.startsWith("paper/honest/"))!,
      done[1],
    ]
      .filter((status, index, list) => status && list.indexOf(status) === index);
    const differences: string[] = [];
    for (const status of sample) {
      const folder = await Deno.makeTempDir({ prefix: "reproduce-" });
      const result = await status.definition.run({
        checkpointFolder: join(folder, "checkpoint"),
        shouldStop: () => false,
        progress: () => {},
        dependencies: new Map(),
      }) as PaperUnitResult;
      const stored = (status.stored as StoredUnit<PaperUnitResult>).result;
      const id = status.definition.id;
      const metrics = result.kind === "published" && stored.kind === "published"
        ? [
          ["as published, in-sample", result.seed.asPublished.inSample, stored.seed.asPublished.inSample],
          ["out of sample, test", result.seed.outOfSample.test, stored.seed.outOfSample.test],
        ] as const
        : result.kind === "honest" && stored.kind === "honest"
        ? [["honest, test", result.seed.test, stored.seed.test], [
          "honest, validation",
          result.seed.validation,
          stored.seed.validation,
        ]] as const
        : undefined;
      assert.ok(metrics, `${id}: kind changed`);
      for (const [what, actual, expected] of metrics) {
        for (const key of ["mape", "mae", "rmse", "directionAccuracy"] as const) {
          const difference = close(actual[key], expected[key], `${id} ${what} ${key}`);
          if (difference) differences.push(difference);
        }
      }
      await Deno.remove(folder, { recursive: true });
    }
    assert.deepEqual(differences, [], "recomputed units differ from the store beyond float32 tolerance");
  },
});

Deno.test({
  name: "results store: EquiNet's stored baselines unit, recomputed, reproduces the stored numbers",
  ignore: mirror === undefined,
  fn: async () => {
    const definitions = await unitRegistry.definitions();
    const [status] = await store.status(
      definitions.filter((unit) => unit.id === "equinet/corrected/baselines"),
    );
    if (status.state !== "done") return; // not stored yet: nothing to reproduce
    const folder = await Deno.makeTempDir({ prefix: "reproduce-" });
    type Figures = Record<string, Record<string, { accuracy: number; points: number }>>;
    const result = await status.definition.run({
      checkpointFolder: folder,
      shouldStop: () => false,
      progress: () => {},
      dependencies: new Map(),
    }) as { baselines: Figures; logistic: { reports: Record<string, { accuracy: number; points: number }> } };
    const stored = status.stored!.result as typeof result;
    const differences: string[] = [];
    for (const [set, baselines] of Object.entries(stored.baselines)) {
      for (const [name, figures] of Object.entries(baselines)) {
        for (const key of ["accuracy", "points"] as const) {
          const difference = close(result.baselines[set][name][key], figures[key], `${set} ${name} ${key}`);
          if (difference) differences.push(difference);
        }
      }
    }
    for (const [set, figures] of Object.entries(stored.logistic.reports)) {
      const difference = close(
        result.logistic.reports[set].accuracy,
        figures.accuracy,
        `logistic ${set} accuracy`,
      );
      if (difference) differences.push(difference);
    }
    await Deno.remove(folder, { recursive: true });
    assert.deepEqual(differences, []);
  },
});

Deno.test({
  name:
    "results store: a stored hybrid search trial (two-branch LSTM, native path where loaded), recomputed, reproduces",
  ignore: mirror === undefined,
  fn: async () => {
    // Trial 46: 32 units at batch 64 (batch × units × 4·units = 262,144, the fused LSTM's native path when
    // a BLAS is loaded), pruned after 3 epochs: the cheapest hybrid unit (~10 s).
    const id = "hybrid/search/trial-46";
    const definitions = await unitRegistry.definitions();
    const status = (await store.status(definitions)).find((entry) => entry.definition.id === id)!;
    if (status.state !== "done") return; // not stored yet: nothing to reproduce
    const dependencies = new Map<string, StoredUnit>();
    for (const dependency of status.definition.dependencies ?? []) {
      dependencies.set(dependency, (await store.read(dependency))!);
    }
    const folder = await Deno.makeTempDir({ prefix: "reproduce-" });
    type Trial = {
      loss: number;
      trainLosses: number[];
      validationLosses: number[];
      epochsRun: number;
      bestEpoch: number;
      pruned: boolean;
      validationBacktest: { sharpe: number; annualisedReturn: number };
    };
    const result = await status.definition.run({
      checkpointFolder: folder,
      shouldStop: () => false,
      progress: () => {},
      dependencies,
    }) as Trial;
    await Deno.remove(folder, { recursive: true });
    const stored = status.stored!.result as Trial;
    assert.deepEqual(
      [result.epochsRun, result.bestEpoch, result.pruned],
      [stored.epochsRun, stored.bestEpoch, stored.pruned],
      `${id}: epochs run, best epoch, pruned`,
    );
    const pairs: [string, number, number][] = [
      ["loss", result.loss, stored.loss],
      ...stored.trainLosses.map((
        value,
        epoch,
      ) => [`train loss ${epoch + 1}`, result.trainLosses[epoch], value]),
      ...stored.validationLosses.map((value, epoch) => [
        `validation loss ${epoch + 1}`,
        result.validationLosses[epoch],
        value,
      ]),
      ["validation Sharpe", result.validationBacktest.sharpe, stored.validationBacktest.sharpe],
      [
        "validation annualised return",
        result.validationBacktest.annualisedReturn,
        stored.validationBacktest.annualisedReturn,
      ],
    ] as [string, number, number][];
    const differences = pairs.map(([what, actual, expected]) => close(actual, expected, `${id} ${what}`))
      .filter((difference) => difference !== undefined);
    assert.deepEqual(differences, [], "recomputed trial differs from the store beyond float32 tolerance");
  },
});

Deno.test({
  name: "README's Results section is the one the store generates (deno task experiments --readme)",
  ignore: mirror === undefined,
  fn: async () => {
    const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
    const start = readme.indexOf(RESULTS_MARKERS[0]);
    const end = readme.indexOf(RESULTS_MARKERS[1]) + RESULTS_MARKERS[1].length;
    assert.ok(start >= 0 && end > start, "README has the Results markers");
    assert.equal(readme.slice(start, end), await resultsSection(), "run deno task experiments --readme");
  },
});
