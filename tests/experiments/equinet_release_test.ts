/**
 * `deno task release-model` at quick settings against a temporary store: the quick corrected units
 * are computed first (seconds), then the best seed is retrained, checked against its stored test
 * report and released with its card; `deno task predict`'s loader reads the release and predicts a
 * real file. A stored report the retraining does not reproduce releases nothing.
 */
import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { join } from "node:path";
import { resolveDataset } from "../../lib/data/mod.ts";
import { computeUnits, ResultsStore } from "../../lib/store/mod.ts";
import { equiNetBackend, type EquiNetUnitResult, equiNetUnits } from "../../lib/experiments/equinet_units.ts";
import { releaseEquiNetModel } from "../../lib/experiments/equinet_release.ts";
import { loadEquiNetPredictor, predictFile, RELEASED_MODEL_FOLDER } from "../../lib/predict/mod.ts";
import { fileURLToPath } from "node:url";
import { hasMirror, mirrorDir } from "../data/_mirror.ts";

Deno.test({
  name:
    "release-model (quick): the best stored corrected seed, retrained, checked and released with its card",
  ignore: !hasMirror,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "equinet-release-" });
    try {
      const store = new ResultsStore(join(root, "results"));
      const definitions = (await equiNetUnits({ quick: true, seeds: [1, 2] })).filter((unit) =>
        unit.id.startsWith("equinet/corrected/")
      );
      assert.deepEqual(definitions.map((unit) => unit.id).sort(), [
        "equinet/corrected/baselines",
        "equinet/corrected/corrected/seed-1",
        "equinet/corrected/corrected/seed-2",
      ]);
      await computeUnits(store, definitions, {
        checkpointRoot: join(root, "checkpoints"),
        backend: equiNetBackend,
      });
      const stored = await Promise.all([1, 2].map(async (seed) => {
        const record = await store.read<EquiNetUnitResult>(`equinet/corrected/corrected/seed-${seed}`);
        assert.equal(record?.result.kind, "seed");
        return {
          seed,
          record: record!,
          run: (record!.result as Extract<EquiNetUnitResult, { kind: "seed" }>).run,
        };
      }));
      // The seed is picked as the checkpoint is: lowest validation cross-entropy (corrected selectBy "loss").
      const validationLoss = (run: typeof stored[number]["run"]) =>
        run.history[run.bestEpoch - 1].metrics.loss;
      const best = [...stored].sort((a, b) =>
        validationLoss(a.run) - validationLoss(b.run) || a.seed - b.seed
      )[0];
      // Each seed stores its test predictions window by window; the baselines unit the test sample's
      // dates, codes and labels, in the same order (what a date-block bootstrap resamples).
      const baselines = await store.read<EquiNetUnitResult>("equinet/corrected/baselines");
      assert.equal(baselines?.result.kind, "baselines");
      const testWindows = (baselines!.result as Extract<EquiNetUnitResult, { kind: "baselines" }>)
        .testWindows!;
      for (const { run } of stored) {
        const digits = run.testPredictions!.best;
        assert.equal(digits.length, testWindows.labels.length);
        assert.equal(testWindows.dates.length, digits.length);
        assert.equal(testWindows.codes.length, digits.length);
        const correct = [...digits].filter((digit, index) => digit === testWindows.labels[index]).length;
        assert.equal(correct / digits.length, run.reports.test.best.accuracy);
        assert.ok(run.otherSelections?.points);
      }
      assert.ok(testWindows.dates.every((date) => date >= "2024-11-07" && date <= "2025-03-19"));

      const output = join(root, "models", "equinet");
      const { folder, card } = await releaseEquiNetModel({ quick: true, store, outputFolder: output });
      assert.equal(folder, output);
      assert.equal(card.unit.id, `equinet/corrected/corrected/seed-${best.seed}`);
      assert.equal(card.unit.seed, best.seed);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(card.validationBySeed).map(([seed, entry]) => [seed, -entry.score]),
        ),
        Object.fromEntries(stored.map(({ seed, run }) => [String(seed), validationLoss(run)])),
      );
      assert.ok(Object.values(card.validationBySeed).every((entry) => entry.rule === "loss"));
      assert.equal(card.unit.fingerprint, best.record.fingerprint);
      assert.equal(card.unit.numericsVersion, best.record.numericsVersion);
      assert.equal(card.test.model.accuracy, best.run.reports.test.best.accuracy);
      assert.equal(card.test.model.points, best.run.reports.test.best.points);
      assert.deepEqual(card.test.model.predictedShares, best.run.reports.test.best.predictedShares);
      assert.deepEqual(Object.keys(card.test.baselines).sort(), [
        "alwaysDown",
        "alwaysFlat",
        "alwaysUp",
        "logistic",
        "majority",
      ]);
      assert.equal(card.data.dataset, "equinet-319");
      assert.equal(card.data.files, 319);
      assert.equal(card.settings.alignMarket, "date");
      assert.equal(card.settings.windows.context, "random");
      assert.equal(card.settings.schedule.epochs, 2);
      assert.deepEqual(Object.keys(card.split), ["train", "validation", "test"]);
      assert.ok(card.split.train.toDate < card.split.validation.fromDate);
      assert.ok(card.split.validation.toDate < card.split.test.fromDate);
      assert.equal(card.split.test.toDate, "2025-03-19");
      const files = [];
      for await (const entry of Deno.readDir(folder)) {
        files.push(entry.name);
      }
      assert.deepEqual(files.sort(), ["card.json", "card.md", "model.json", "weights.bin"]);
      assert.deepEqual(JSON.parse(await Deno.readTextFile(join(folder, "card.json"))), card);
      const markdown = await Deno.readTextFile(join(folder, "card.md"));
      assert.ok(
        markdown.includes(`| this model (seed ${best.seed}) | ${card.test.model.accuracy.toFixed(3)} |`),
      );
      assert.ok(markdown.includes(card.unit.fingerprint));

      // The release predicts a real file, its market rows paired by date as in training.
      const predictor = await loadEquiNetPredictor(folder);
      try {
        assert.deepEqual(predictor.warnings, []);
        assert.equal(predictor.alignMarket, "date");
        const file = (await resolveDataset("equinet-319", {
          mirrorDir: mirrorDir(),
          download: false,
          select: (entry) => entry.path.endsWith("processed_600575.xlsx"),
        })).files[0].localPath;
        const prediction = await predictFile(predictor, file);
        assert.equal(prediction.date, "2025-03-19");
        assert.equal(prediction.marketPairing, "date");
        assert.equal(prediction.contextDays, 100);
        assertClose(prediction.up + prediction.down + prediction.flat, 1, { absolute: 1e-5 });
      } finally {
        predictor.model.dispose();
      }

      // A stored test report that the retraining does not reproduce: refused with both numbers, and the
      // released folder stays as it was.
      const tampered = structuredClone(best.record);
      const tamperedRun = (tampered.result as Extract<EquiNetUnitResult, { kind: "seed" }>).run;
      tamperedRun.reports.test.best.points += 7;
      await store.write(tampered);
      const before = await Deno.readTextFile(join(folder, "card.json"));
      await assert.rejects(
        () => releaseEquiNetModel({ quick: true, store, outputFolder: output }),
        new RegExp(
          `does not reproduce its stored test report: accuracy ${card.test.model.accuracy} vs stored ` +
            `${card.test.model.accuracy}, points ${card.test.model.points} vs stored ${
              card.test.model.points + 7
            }`,
        ),
      );
      assert.equal(await Deno.readTextFile(join(folder, "card.json")), before);
      const left = [];
      for await (const entry of Deno.readDir(join(root, "models"))) left.push(entry.name);
      assert.deepEqual(left, ["equinet"]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "the committed released model is the current corrected seed the store picks, with that unit's test report",
  ignore: !hasMirror,
  async fn() {
    const card = JSON.parse(await Deno.readTextFile(join(RELEASED_MODEL_FOLDER, "card.json")));
    const store = new ResultsStore(fileURLToPath(new URL("../../out/results", import.meta.url)));
    const definitions = (await equiNetUnits()).filter((unit) =>
      unit.id.startsWith("equinet/corrected/corrected/")
    );
    const statuses = await store.status(definitions);
    const chosen = statuses.find((status) => status.definition.id === card.unit.id);
    assert.equal(chosen?.state, "done", `${card.unit.id} is not a current unit of the store`);
    assert.equal(card.unit.fingerprint, chosen!.fingerprint);
    assert.equal(card.unit.numericsVersion, chosen!.definition.numericsVersion);
    const run = (chosen!.stored!.result as Extract<EquiNetUnitResult, { kind: "seed" }>).run;
    assert.equal(card.test.model.accuracy, run.reports.test.best.accuracy);
    assert.equal(card.test.model.points, run.reports.test.best.points);
    // and it is the seed the rule picks among the current seeds (the card lists every one)
    const current = statuses.filter((status) => status.state === "done");
    assert.deepEqual(
      Object.keys(card.validationBySeed).sort(),
      current.map((status) => String(status.definition.settings.seed)).sort(),
    );
    const best = Object.entries(card.validationBySeed as Record<string, { score: number }>)
      .sort(([a, x], [b, y]) => y.score - x.score || Number(a) - Number(b))[0][0];
    assert.equal(String(card.unit.seed), best);
  },
});
