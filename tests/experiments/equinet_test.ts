import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { equiNetStocksFromMarket } from "./_synthetic.ts";
import { join } from "node:path";
import { selectBackend } from "../../lib/backend/mod.ts";
import { EquiNetWindows } from "../../lib/features/mod.ts";
import {
  abRows,
  abVerdicts,
  baselineRows,
  checkpointMetadata,
  COLLAPSE_SHARE,
  collapseNote,
  correctedConfig,
  dateBlockRows,
  dateBlockTable,
  type EquiNetConfig,
  equiNetConfigIds,
  equiNetSchedule,
  evaluationSets,
  experimentFingerprint,
  improvementConfigs,
  PUBLISHED_BATCH1_SIZES,
  publishedConfig,
  publishedLeakage,
  publishedSizeRows,
  runEquiNetExperiment,
  runEquiNetSeed,
  sameDateMajority,
  selectConfigs,
  selectionRuleRows,
  writeEquiNetResults,
} from "../../lib/experiments/mod.ts";
import { parameterCount } from "../../lib/models/mod.ts";
import { randomWalkMarket } from "../../lib/synthetic/mod.ts";
import { readTensorFolder } from "../../lib/train/mod.ts";

await selectBackend("wasm");

const market = randomWalkMarket({ seed: 21, stockCount: 12, days: 150 });
const stocks = await equiNetStocksFromMarket(market);

function tinyConfig(windows: EquiNetWindows): EquiNetConfig {
  return {
    id: "tiny",
    windows: windows.args,
    model: { dModel: 8, heads: 2, layers: 1 },
    epochs: 3,
    windowsPerEpoch: 40,
    batchSize: 20,
    evaluationWindows: 60,
  };
}

Deno.test("runEquiNetSeed: a run interrupted and resumed (断点续训) ends exactly as an uninterrupted one", async () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config = tinyConfig(windows);
  const sets = evaluationSets(windows, config);
  const root = await Deno.makeTempDir({ prefix: "equinet-resume-" });
  try {
    const whole = await runEquiNetSeed(windows, config, sets, { seed: 5 });
    const first = await runEquiNetSeed(windows, config, sets, {
      seed: 5,
      checkpointFolder: root,
      stopAfterEpochs: 1,
    });
    assert.equal(first.history.length, 1);
    // Resumed with the market pairing recorded (a checkpoint written before it was): it resumes, the
    // numbers are the same, and the checkpoints carry the pairing and the shared market rows.
    const rest = await runEquiNetSeed(windows, config, sets, {
      seed: 5,
      checkpointFolder: root,
      alignMarket: "date",
    });
    assert.equal(rest.resumedFromEpoch, 1);
    assert.deepEqual(rest.reports, whole.reports);
    const metadata = (await readTensorFolder(join(root, "last"))).metadata;
    assert.equal(metadata.alignMarket, "date");
    const marketRows = metadata.marketRows as { dates: string[]; marketlimit: number[] };
    assert.deepEqual(marketRows.dates, [...stocks[0].dates]);
    assert.deepEqual(marketRows.marketlimit, Array.from(stocks[0].marketlimit));
    assert.deepEqual(
      metadata.model,
      checkpointMetadata({ ...config.model, seed: 5 }, windows, config.id).model,
    );
    assert.deepEqual(
      rest.history.map((record) => record.trainingLoss),
      whole.history.map((record) => record.trainingLoss),
    );
    assert.equal(rest.bestEpoch, whole.bestEpoch);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("compareSelectBy: the points rule's checkpoint evaluated beside the loss rule's, with test predictions window by window", async () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config: EquiNetConfig = {
    ...tinyConfig(windows),
    epochs: 4,
    selectBy: "loss",
    compareSelectBy: ["points"],
  };
  const sets = evaluationSets(windows, config);
  const run = await runEquiNetSeed(windows, config, sets, { seed: 7 });
  const losses = run.history.map((record) => record.metrics.loss);
  assert.equal(run.bestEpoch, losses.indexOf(Math.min(...losses)) + 1);
  const points = run.history.map((record) => record.metrics.points);
  const other = run.otherSelections?.points;
  assert.ok(other);
  assert.equal(other.bestEpoch, points.indexOf(Math.max(...points)) + 1);
  // the points checkpoint scores on validation what it scored when it was chosen
  assert.equal(other.reports.validation.points, Math.max(...points));
  const test = sets.batches.get("test")!;
  for (
    const [name, report] of [["best", run.reports.test.best], ["final", run.reports.test.final], [
      "points",
      other.reports.test,
    ]] as const
  ) {
    const digits = run.testPredictions?.[name];
    assert.equal(digits?.length, test.size, name);
    const correct = [...digits!].filter((digit, index) => Number(digit) === test.labels[index]).length;
    assert.equal(correct / test.size, report.accuracy, name);
  }
  // a configuration without further rules stores none
  const plain = await runEquiNetSeed(windows, { ...config, compareSelectBy: undefined }, sets, { seed: 7 });
  assert.equal(plain.otherSelections, undefined);
  assert.deepEqual(plain.reports, run.reports);
});

Deno.test("runEquiNetExperiment with a checkpoint folder: a killed experiment rerun ends as an uninterrupted one", async () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config = tinyConfig(windows);
  const root = await Deno.makeTempDir({ prefix: "equinet-experiment-resume-" });
  try {
    const whole = await runEquiNetExperiment(windows, config, { seeds: [1, 2], logisticWindows: 0 });
    // "Killed" during seed 1's second epoch: seed 1 has one finished epoch on disk, seed 2 nothing.
    const seedFolder = join(root, `tiny-${experimentFingerprint(windows, config)}`, "seed-1");
    await runEquiNetSeed(windows, config, evaluationSets(windows, config), {
      seed: 1,
      checkpointFolder: seedFolder,
      stopAfterEpochs: 1,
    });
    const rerun = await runEquiNetExperiment(windows, config, {
      seeds: [1, 2],
      logisticWindows: 0,
      checkpointFolder: root,
    });
    assert.deepEqual(rerun.runs.map((run) => run.resumedFromEpoch), [1, 0]);
    assert.deepEqual(rerun.summary, whole.summary);
    assert.deepEqual(rerun.runs.map((run) => run.reports), whole.runs.map((run) => run.reports));
    // Run again: both seeds are finished, so nothing trains and the results are unchanged.
    const again = await runEquiNetExperiment(windows, config, {
      seeds: [1, 2],
      logisticWindows: 0,
      checkpointFolder: root,
    });
    assert.deepEqual(again.runs.map((run) => run.resumedFromEpoch), [3, 3]);
    assert.deepEqual(again.summary, whole.summary);
    assert.deepEqual(
      again.runs.map((run) => run.history.map((record) => record.trainingLoss)),
      whole.runs.map((run) => run.history.map((record) => record.trainingLoss)),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("experimentFingerprint changes with any setting and any data value, and only then", () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config = tinyConfig(windows);
  const fingerprint = experimentFingerprint(windows, config);
  assert.match(fingerprint, /^[0-9a-f]{8}$/);
  assert.equal(
    experimentFingerprint(new EquiNetWindows(stocks, windows.args), tinyConfig(windows)),
    fingerprint,
  );
  assert.notEqual(experimentFingerprint(windows, { ...config, epochs: 4 }), fingerprint);
  assert.notEqual(
    experimentFingerprint(windows, { ...config, model: { ...config.model, dModel: 16 } }),
    fingerprint,
  );
  const changed = stocks.map((stock, index) => {
    if (index !== 3) return stock;
    const volume = stock.volume.slice();
    volume[100] += 1;
    return { ...stock, volume };
  });
  assert.notEqual(experimentFingerprint(new EquiNetWindows(changed, windows.args), config), fingerprint);
});

Deno.test("published split: test stocks share every date and the market columns with training stocks", async () => {
  const windows = new EquiNetWindows(stocks, { mode: "published", contextDays: 20 });
  const leak = publishedLeakage(windows);
  assert.equal(leak.testStocks, 1);
  assert.equal(leak.trainStocks, 11);
  assert.deepEqual(leak.testDates, leak.trainDates);
  assert.equal(leak.sharedDateShare, 1);
  assert.equal(leak.identicalMarketShare, 1);
  // The test stocks are part of a published checkpoint's metadata (and so of its fingerprint).
  const testCodes = windows.segment("test").stockIndices.map((index) => windows.stocks[index].code);
  assert.deepEqual(checkpointMetadata({ dModel: 8 }, windows, "tiny").testStocks, testCodes);
  // Published runs select on test stocks and report train, test and all stocks.
  const config = tinyConfig(windows);
  const result = await runEquiNetExperiment(windows, { ...config, epochs: 1 }, {
    seeds: [1, 2],
    logisticWindows: 0,
  });
  assert.deepEqual(Object.keys(result.summary).sort(), ["all", "test", "train"]);
  assert.equal(result.summary.test.best.accuracy.values.length, 2);
  assert.equal(result.logistic, null);
});

Deno.test("published evaluation as the original's: 10-sample style reports, each sample's accuracy kept, selection on the first test sample by accuracy", async () => {
  const windows = new EquiNetWindows(stocks, { mode: "published", contextDays: 20 });
  const config: EquiNetConfig = {
    ...tinyConfig(windows),
    epochs: 2,
    evaluationWindows: 30,
    evaluationSamples: 3,
    selectBy: "accuracy",
  };
  const sets = evaluationSets(windows, config);
  assert.equal(sets.sampleWindows, 30);
  assert.equal(sets.batches.get("test")!.size, 90);
  assert.equal(sets.selection!.size, 30);
  // The selection sample is the first 30 windows of the test stocks' evaluation batch.
  assert.deepEqual(sets.selection!.labels, sets.batches.get("test")!.labels.slice(0, 30));
  const run = await runEquiNetSeed(windows, config, sets, { seed: 3 });
  // The best epoch is the one with the highest accuracy on the selection sample.
  const accuracies = run.history.map((record) => record.metrics.accuracy);
  assert.equal(run.bestEpoch, accuracies.indexOf(Math.max(...accuracies)) + 1);
  for (const name of ["train", "test", "all"]) {
    const reports = run.reports[name];
    for (const checkpoint of ["best", "final"] as const) {
      const samples = reports.sampleAccuracies![checkpoint];
      assert.equal(samples.length, 3, `${name} ${checkpoint}`);
      // Equal-sized samples: the mean of the sample accuracies is the report's accuracy.
      const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
      assertClose(mean, reports[checkpoint].accuracy, { absolute: 1e-9, label: `${name} ${checkpoint}` });
    }
  }
  assert.equal(run.reports.all.best.count, 90);
  // One sample: no sample accuracies, the selection uses the whole batch.
  const single = evaluationSets(windows, { ...config, evaluationSamples: 1 });
  assert.equal(single.selection, undefined);
  assert.equal(single.sampleWindows, undefined);
  assert.throws(
    () => evaluationSets(windows, { ...config, evaluationSamples: 0 }),
    /evaluationSamples must be a positive integer, got 0/,
  );
});

Deno.test("sameDateMajority: each test window gets the training stocks' most common label of its date; none outside published mode", () => {
  const windows = new EquiNetWindows(stocks, { mode: "published", contextDays: 20 });
  const config = { ...tinyConfig(windows), evaluationWindows: 80 };
  const sets = evaluationSets(windows, config);
  const reports = sameDateMajority(windows, sets)!;
  assert.deepEqual(Object.keys(reports), ["test"]);
  // By hand: count the training windows' labels per end date, predict each test window's date's majority.
  const counts = new Map<string, number[]>();
  for (const ref of windows.allWindows("train")) {
    const date = windows.stocks[ref.stockIndex].dates[ref.endIndex];
    if (!counts.has(date)) counts.set(date, [0, 0, 0]);
    counts.get(date)![windows.label(ref)]++;
  }
  const test = sets.batches.get("test")!;
  let right = 0;
  test.refs.forEach((ref, index) => {
    const byDate = counts.get(windows.stocks[ref.stockIndex].dates[ref.endIndex])!;
    if (byDate.indexOf(Math.max(...byDate)) === test.labels[index]) right++;
  });
  assert.equal(reports.test.accuracy, right / test.size);
  assert.equal(reports.test.count, 80);
  const corrected = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  assert.equal(sameDateMajority(corrected, evaluationSets(corrected, tinyConfig(corrected))), null);
});

Deno.test("experiment results: baseline and A/B rows, and the JSON file written atomically", async () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config = { ...tinyConfig(windows), epochs: 1 };
  const reference = await runEquiNetExperiment(windows, config, { seeds: [1, 2], logisticWindows: 200 });
  const gated = await runEquiNetExperiment(windows, { ...config, id: "gated", gate: {} }, {
    seeds: [1, 2],
    logisticWindows: 0,
  });
  const rows = baselineRows(reference, "test");
  assert.equal(rows.length, 5);
  assert.match(String(rows[0].accuracy), /^\d\.\d{3} ± \d\.\d{3}$/);
  assert.equal(rows[2].accuracy, reference.baselines.test.alwaysFlat.accuracy.toFixed(3));
  const collapse = "collapsed (≥ 95% one class)?";
  assert.equal(rows[0][collapse], collapseNote(reference, "test"));
  assert.equal(rows[2][collapse], "one class by construction");
  const ab = abRows([reference, gated], "test");
  assert.equal(ab.length, 2);
  assert.match(String(ab[1].accuracy), /\([+-]\d\.\d{3}\)$/);
  assert.equal(ab[1][collapse], collapseNote(gated, "test"));
  const folder = await Deno.makeTempDir({ prefix: "equinet-results-" });
  try {
    const path = await writeEquiNetResults(folder, "demo", { quick: true }, [reference]);
    assert.equal(path, join(folder, "demo.json"));
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.experiment, "demo");
    assert.ok("commit" in saved.git);
    assert.deepEqual(saved.results[0].seeds, [1, 2]);
    assert.equal(saved.results[0].runs[0].epochSeconds.length, 1);
    assert.equal(
      saved.results[0].summary.test.best.accuracy.mean,
      reference.summary.test.best.accuracy.mean,
    );
    assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["demo.json"]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("abVerdicts: Welch's t across seeds, Holm over the variants; the old seed-std rule shown beside it", () => {
  const summary = (values: number[]) => {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const std = values.length > 1
      ? Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1))
      : 0;
    return { mean, std, values };
  };
  const fake = (id: string, accuracy: number[], points: number[]) =>
    ({
      config: { id },
      seeds: points.map((_, index) => index + 1),
      summary: { test: { best: { accuracy: summary(accuracy), points: summary(points) } } },
      baselines: { test: { alwaysFlat: { points: 485 } } },
    }) as unknown as Parameters<typeof abVerdicts>[0][number];
  const reference = fake("reference", [0.49, 0.5, 0.51], [474, 480, 486]);
  const verdicts = abVerdicts([
    reference,
    fake("far-better", [0.55, 0.56, 0.57], [528, 530, 532]), // +50 points, tiny spread: beyond chance
    fake("spread-rule-only", [0.5, 0.51, 0.52], [487, 495, 503]), // +15 > max std 8, yet Welch p ≈ 0.07
    fake("worse", [0.44, 0.45, 0.46], [438, 440, 442]), // −40
    fake("one-seed", [0.6], [600]),
  ], "test");
  assert.deepEqual(verdicts.map((verdict) => [verdict.variant, verdict.verdict, verdict.spreadRuleVerdict]), [
    ["far-better", "better", "better"],
    ["spread-rule-only", "no difference", "better"],
    ["worse", "worse", "worse"],
    ["one-seed", "no difference", "no difference"],
  ]);
  const [far, spreadOnly, worse, one] = verdicts;
  assert.equal(spreadOnly.pointsChange, 15);
  assert.equal(spreadOnly.pointsSeedStd, 8);
  assert.ok(
    spreadOnly.welchPValue > 0.05 && spreadOnly.welchPValue < 0.1,
    `Welch p ${spreadOnly.welchPValue}`,
  );
  assert.ok(far.welchPValue < far.holmPValue && far.holmPValue < 0.05, "Holm raises the smallest p");
  assert.equal(one.welchPValue, 1);
  assertClose(far.accuracyChange, 0.06, { absolute: 1e-12 });
  assert.equal(far.pointsOverAlwaysFlat, 45);
  assert.equal(worse.pointsOverAlwaysFlat, -45);
  assert.throws(() => abVerdicts([], "test"), /no experiments/);
  assert.throws(() => abVerdicts([reference], "validation"), /no evaluation set "validation"/);
});

Deno.test("EquiNet configurations: published sizes, the corrected reference and one change per improvement", () => {
  const full = equiNetSchedule(false);
  const quick = equiNetSchedule(true);
  assert.equal(full.epochs, 80);
  assert.ok(quick.epochs < full.epochs && quick.resultsFolder.endsWith("out/quick/summaries/equinet"));
  const sizes = publishedSizeRows();
  // The original's twelve (d_model, heads) configurations, in its sheet's order.
  assert.deepEqual(
    sizes.map((size) => `${size.d_model}/${size.heads}`).join(" "),
    "128/8 128/4 128/2 128/1 64/8 48/8 32/8 32/2 32/4 32/16 24/8 24/6",
  );
  assert.equal(
    sizes[0].parameters,
    parameterCount({ dModel: 128, heads: 8, layers: 4, feedForwardUnits: 2048 }),
  );
  const published = publishedConfig({ dModel: 24, heads: 8 }, full);
  assert.equal(published.windows.labels, "zscore-bug");
  assert.equal(published.model.originalDoubleSoftmax, true);
  assert.equal(published.selectBy, "accuracy");
  assert.equal(published.evaluationSamples, 10);
  assert.equal(published.batchSize, 50);
  const batch1 = publishedConfig({ dModel: 24, heads: 8, batchSize: 1 }, full);
  assert.equal(batch1.id, "published-d24-h8-batch1");
  assert.equal(batch1.batchSize, 1);
  assert.deepEqual(
    PUBLISHED_BATCH1_SIZES.map((size) => `${size.dModel}/${size.heads}`).join(" "),
    "32/8 32/2 32/4 32/16 24/8 24/6",
  );
  const reference = correctedConfig(full);
  // Corrected: exact thresholds, corporate-action windows left out, selection by validation loss
  // with the points rule's choice reported beside it.
  assert.equal(reference.windows.exactThresholds, true);
  assert.equal(reference.windows.leaveOutCorporateActions, true);
  assert.equal(reference.selectBy, "loss");
  assert.deepEqual(reference.compareSelectBy, ["points"]);
  const variants = improvementConfigs(full);
  assert.equal(new Set(variants.map((variant) => variant.id)).size, 6);
  for (const variant of variants) {
    const changed = JSON.stringify({ ...variant, id: "", description: "" }) !==
      JSON.stringify({ ...reference, id: "", description: "" });
    assert.ok(changed, variant.id);
    assert.deepEqual(variant.windows, reference.windows);
    assert.equal(variant.epochs, reference.epochs);
  }
});

Deno.test("selectConfigs (EQUILAB_CONFIGS): named ids plus the required ones, in notebook order; typos and empty picks fail", () => {
  const full = equiNetSchedule(false);
  const ids = equiNetConfigIds();
  assert.equal(ids.length, 12 + 6 + 1 + 6);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(
    ids.includes("published-d128-h8") && ids.includes("corrected") && ids.includes("multi-scale-attention"),
  );
  const improvements = [correctedConfig(full), ...improvementConfigs(full)];
  assert.deepEqual(
    selectConfigs(improvements, undefined).map((config) => config.id),
    improvements.map((c) => c.id),
  );
  assert.deepEqual(
    selectConfigs(improvements, ["multi-task", "focal-loss"], { required: ["corrected"] }).map((config) =>
      config.id
    ),
    ["corrected", "focal-loss", "multi-task"],
  );
  // An id of another EquiNet notebook is known, so it is no typo; notebook 06 simply does not train it.
  assert.deepEqual(
    selectConfigs(improvements, ["published-d24-h8", "focal-loss"], { required: ["corrected"] }).map((c) =>
      c.id
    ),
    ["corrected", "focal-loss"],
  );
  assert.throws(
    () => selectConfigs(improvements, ["focal-los"], { required: ["corrected"] }),
    /unknown configuration "focal-los"; known ids: published-d128-h8, .*multi-scale-attention/,
  );
  const sizes = [{ dModel: 24, heads: 4 }, { dModel: 24, heads: 8 }].map((size) => ({
    ...size,
    id: publishedConfig(size, full).id,
  }));
  assert.throws(
    () => selectConfigs(sizes, ["focal-loss"], { owner: "notebook 04" }),
    /EQUILAB_CONFIGS=focal-loss selects none of notebook 04's configurations \(published-d24-h4, published-d24-h8\)/,
  );
});

Deno.test("collapseNote flags seeds whose predictions are ≥ 95% one class; baselineRows and abRows carry it", () => {
  const report = (shares: number[]) => ({
    best: { predictedShares: shares },
    final: { predictedShares: [0.4, 0.3, 0.3] },
  });
  const result = {
    runs: [
      { reports: { test: report([0, 0.03, 0.97]) } },
      { reports: { test: report([0.01, 0.95, 0.04]) } },
      { reports: { test: report([0.3, 0.2, 0.5]) } },
    ],
  };
  assert.equal(collapseNote(result, "test"), "2 of 3 seeds predict only 稳 / 跌");
  assert.equal(collapseNote(result, "test", "final"), "none");
  assert.equal(collapseNote({ runs: [{ reports: { test: report([0.2, 0.2, 0.6]) } }] }, "test"), "none");
  assert.equal(COLLAPSE_SHARE, 0.95);
});

Deno.test("selectionRuleRows and dateBlockRows read the runs window by window", async () => {
  const windows = new EquiNetWindows(stocks, { contextDays: 20, validationDateShare: 0.15 });
  const config: EquiNetConfig = {
    ...tinyConfig(windows),
    epochs: 4,
    selectBy: "loss",
    compareSelectBy: ["points"],
  };
  const result = await runEquiNetExperiment(windows, config, { seeds: [1, 2], logisticWindows: 0 });
  const rows = selectionRuleRows(result, "points");
  assert.equal(rows.length, 3);
  assert.equal(rows[0]["epoch by loss"], result.runs[0].bestEpoch);
  assert.equal(rows[0]["epoch by points"], result.runs[0].otherSelections!.points!.bestEpoch);
  assert.equal(
    rows[1]["accuracy (points)"],
    result.runs[1].otherSelections!.points!.reports.test.accuracy.toFixed(3),
  );
  assert.equal(
    rows[2]["accuracy (loss)"],
    ((result.runs[0].reports.test.best.accuracy + result.runs[1].reports.test.best.accuracy) / 2).toFixed(3),
  );
  assert.deepEqual(selectionRuleRows(result, "accuracy"), []);
  const blocks = dateBlockRows(result, undefined, { resamples: 200 })!;
  assert.deepEqual(blocks.map((row) => row.comparison), ["tiny − always 稳", "tiny − always 跌"]);
  // the difference is the seed-mean accuracy minus always-稳's on the same test windows
  const meanAccuracy = result.runs.reduce((sum, run) => sum + run.reports.test.best.accuracy, 0) / 2;
  assert.ok(
    Math.abs(blocks[0].accuracy.difference - (meanAccuracy - result.baselines.test.alwaysFlat.accuracy)) <
      1e-12,
  );
  assert.ok(
    Math.abs(
      blocks[1].points.difference -
        (result.summary.test.best.points.mean - result.baselines.test.alwaysDown.points),
    ) < 1e-9,
  );
  assert.ok(
    blocks[0].accuracy.lower <= blocks[0].accuracy.difference &&
      blocks[0].accuracy.difference <= blocks[0].accuracy.upper,
  );
  assert.equal(blocks[0].accuracy.dates, new Set(result.testWindows!.dates).size);
  const table = dateBlockTable(blocks);
  assert.match(table[0]["accuracy difference [95% CI]"], /^-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]$/);
  // against a reference experiment on the same windows: a third row; itself against itself is 0
  const versus = dateBlockRows(result, result, { resamples: 50 })!;
  assert.equal(versus.length, 3);
  assert.equal(versus[2].accuracy.difference, 0);
  // runs without window-by-window predictions: no rows
  assert.equal(dateBlockRows({ ...result, testWindows: undefined }), undefined);
});
