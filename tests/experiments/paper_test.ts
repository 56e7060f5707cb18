import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend } from "../../lib/backend/mod.ts";
import {
  configId,
  modelShape,
  PAPER_REPORTED,
  paperConfigs,
  paperSettings,
  runHonestExperiment,
  runPaperExperiment,
} from "../../lib/experiments/mod.ts";
import { syntheticPaperData } from "./_synthetic.ts";

await selectBackend("cpu");

function tinySettings(outDir: string) {
  return {
    ...paperSettings(true),
    seeds: [1, 2],
    maxEpochs: 1,
    fixedWindowDays: 3,
    fixedHiddenSize: 3,
    outDir,
  };
}

Deno.test("paperConfigs: 14 distinct configurations carrying every published figure", () => {
  const configs = paperConfigs();
  assert.equal(configs.length, 14);
  assert.equal(configs.reduce((sum, config) => sum + config.reported.length, 0), PAPER_REPORTED.length);
  const best = configs.find((config) => config.id === configId("data2", 200, 0.4, 2))!;
  const cells = best.reported.map((reported) => [reported.table, reported.mape]);
  assert.deepEqual(cells, [[2, 0.0174], [3, 0.0109]]);
  assert.deepEqual([1, 2, 3].map((table) => paperConfigs(table as 1 | 2 | 3).length), [8, 3, 6]);
  assert.deepEqual(paperConfigs(2).map((config) => config.forgetBias), [1, 0.7, 0.4]);
  assert.deepEqual(paperConfigs(2)[0].reported.map((reported) => reported.table), [2]);
});

Deno.test("paperSettings: full runs use 5 seeds and the configured epochs; quick mode is tiny", () => {
  const full = paperSettings(false);
  const quick = paperSettings(true);
  assert.deepEqual(full.seeds, [1, 2, 3, 4, 5]);
  assert.equal(full.maxEpochs, null);
  assert.ok(quick.quick && quick.seeds.length < full.seeds.length && quick.maxEpochs! <= 2);
  assert.ok(quick.outDir.endsWith("out/quick/summaries/paper"));
  // Both readings of "LSTM unit count".
  assert.deepEqual(modelShape({ units: 7 }, "hiddenSize", full), { windowDays: 20, hiddenSize: 7 });
  assert.deepEqual(modelShape({ units: 7 }, "windowDays", full), { windowDays: 7, hiddenSize: 10 });
});

Deno.test("runPaperExperiment: per-seed metrics, summary, baselines on the same days, atomic JSON", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const data = syntheticPaperData(60, 3);
    const config = paperConfigs().find((config) => config.id === "data2-e10-fb1-u2")!;
    const progress: string[] = [];
    const result = await runPaperExperiment(data, config, {
      settings: tinySettings(outDir),
      reading: "windowDays",
      onProgress: (info) => {
        progress.push(`${info.phase}:${info.seed}:${info.epoch}`);
      },
    });
    assert.deepEqual(progress, ["asPublished:1:1", "outOfSample:1:1", "asPublished:2:1", "outOfSample:2:1"]);
    assert.deepEqual(result.model, {
      windowDays: 2,
      hiddenSize: 3,
      epochs: 1,
      featureNames: ["open", "high", "low", "volume", "amount", "pct"],
    });
    assert.equal(result.period.days, 52);
    assert.equal(result.period.outOfSampleTestFrom, 8 + 41); // floor(52 × 0.8)
    assert.equal(result.seeds.length, 2);
    const values = result.seeds.map((seed) => seed.outOfSample.test.mape);
    assert.deepEqual(result.summary.outOfSampleTestMape.values, values);
    assertClose(result.summary.outOfSampleTestMape.mean, (values[0] + values[1]) / 2, { absolute: 1e-15 });
    assert.equal(result.seeds[0].asPublished.inSample.count, 52);
    assert.equal(result.baselines.asPublished.persistence.count, 52);
    assert.equal(result.baselines.outOfSampleTest.midRange.count, 11);
    // Persistence on the test days, recomputed by hand.
    const close = data.columns.close;
    let sum = 0;
    for (let day = 49; day < 60; day++) sum += Math.abs(close[day - 1] - close[day]) / close[day];
    assertClose(result.baselines.outOfSampleTest.persistence.mape, sum / 11, { absolute: 1e-12 });
    assert.equal(result.predictions.asPublished.dates![0], data.dates![8]);
    // Written atomically: the file parses, and no temporary file is left behind.
    const written = JSON.parse(await Deno.readTextFile(result.path!));
    assert.equal(written.experiment, "data2-e10-fb1-u2-windowDays");
    assert.deepEqual(written.summary.outOfSampleTestMape.values, values);
    assert.deepEqual([...Deno.readDirSync(outDir)].map((entry) => entry.name), [`${result.experiment}.json`]);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("runHonestExperiment: next-day windows, 70/10/20 split, direction vs baselines", async () => {
  const data = syntheticPaperData(70, 4);
  const config = paperConfigs().find((config) => config.id === "data1-e10-fb1-u2")!;
  const result = await runHonestExperiment(data, config, { settings: tinySettings("unused"), write: false });
  assert.equal(result.path, null);
  assert.equal(result.period.days, 62);
  assert.deepEqual(result.period.train, [8, 8 + 43]);
  assert.deepEqual(result.period.validation, [51, 8 + 49]);
  assert.deepEqual(result.period.test, [57, 70]);
  assert.ok(result.model.featureNames.includes("close"));
  assert.equal(result.seeds[0].test.count, 13);
  assert.ok(result.summary.testDirectionAccuracy.mean >= 0 && result.summary.testDirectionAccuracy.mean <= 1);
  // Persistence predicts "no move": its direction accuracy only counts flat days (none here).
  assert.equal(result.baselines.test.persistence.directionAccuracy, 0);
  assert.equal(result.predictions.test.actual.length, 13);
});

Deno.test("runHonestExperiment lastClose: prices relative to each window's last close", async () => {
  const data = syntheticPaperData(70, 4);
  const config = paperConfigs().find((config) => config.id === "data2-e10-fb1-u2")!;
  const settings = { ...tinySettings("unused"), honestNormalisation: "lastClose" as const };
  const result = await runHonestExperiment(data, config, { settings, write: false });
  assert.equal(result.experiment, "honest-data2-e10-fb1-u2-hiddenSize-lastClose");
  assert.equal(result.seeds[0].test.count, 13);
  assert.ok(Number.isFinite(result.summary.testMape.mean));
  // Predictions are prices near the last close (a return model), not raw model outputs.
  const { actual, predicted } = result.predictions.test;
  predicted.forEach((price, index) => assertClose(price / actual[index], 1, { absolute: 0.5 }));
});

Deno.test("runners refuse bad data and too little history, naming the place", async () => {
  const data = syntheticPaperData(40, 5);
  const config = paperConfigs()[0];
  const settings = tinySettings("unused");
  const broken = structuredClone(data);
  broken.columns.close[12] = -1;
  await assert.rejects(
    () => runPaperExperiment(broken, config, { settings, write: false }),
    /column close at row index 12 \(2020-01-13\) is -1/,
  );
  await assert.rejects(
    () => runPaperExperiment({ ...data, studyFrom: 2 }, config, { settings, write: false }),
    /too little history/,
  );
  await assert.rejects(
    () => runPaperExperiment({ ...data, studyFrom: undefined }, config, { settings, write: false }),
    /pass studyFrom/,
  );
});
