import assert from "node:assert/strict";
import { selectBackend } from "../../lib/backend/mod.ts";
import {
  paperConfigs,
  paperSettings,
  paperSweepEpochs,
  runPaperSweep,
  type SweepProgress,
} from "../../lib/experiments/mod.ts";
import { syntheticPaperData, tinySettings } from "./_synthetic.ts";

await selectBackend("cpu");

Deno.test("paperSweepEpochs: seeds × 2 trainings × (capped) epochs", () => {
  assert.equal(paperSweepEpochs(paperConfigs(2), paperSettings(false)), 3 * 5 * 2 * 200);
  assert.equal(
    paperSweepEpochs(paperConfigs(1), { ...paperSettings(false), maxEpochs: 20 }),
    5 * 2 * (10 + 20 * 3) * 2,
  );
  assert.equal(paperSweepEpochs([], paperSettings(true)), 0);
});

Deno.test("runPaperSweep: runs in order, counts progress over the sweep, reuses earlier results", async () => {
  const data = syntheticPaperData(50, 7);
  const settings = { ...tinySettings(), seeds: [1, 2] };
  const totals: number[] = [];
  const steps: SweepProgress[] = [];
  const table2 = await runPaperSweep(data, paperConfigs(2), {
    settings,
    write: false,
    onStart: (total) => {
      totals.push(total);
    },
    onProgress: (step) => {
      steps.push(step);
    },
  });
  assert.deepEqual(table2.map((result) => result.config.id), paperConfigs(2).map((config) => config.id));
  assert.deepEqual(totals, [3 * 2 * 2 * 1]);
  assert.deepEqual(steps.map((step) => step.done), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.ok(steps.every((step) => step.total === 12));
  assert.deepEqual(steps.slice(0, 4).map((step) => `${step.configId}:${step.phase}:${step.seed}`), [
    "data2-e200-fb1-u2:asPublished:1",
    "data2-e200-fb1-u2:outOfSample:1",
    "data2-e200-fb1-u2:asPublished:2",
    "data2-e200-fb1-u2:outOfSample:2",
  ]);
  // Table 3 shares its 2-unit configurations with Table 2 under the same reading: those are reused.
  const ran: string[] = [];
  const oneSeed = { ...settings, seeds: [1] };
  const table3 = await runPaperSweep(data, paperConfigs(3), {
    settings: oneSeed,
    write: false,
    reuse: table2,
    onStart: (total) => {
      totals.push(total);
    },
    onProgress: (step) => {
      if (!ran.includes(step.configId)) ran.push(step.configId);
    },
  });
  assert.equal(totals[1], 4 * 1 * 2);
  assert.deepEqual(ran, [
    "data2-e200-fb1-u7",
    "data2-e200-fb1-u14",
    "data2-e200-fb0.4-u7",
    "data2-e200-fb0.4-u14",
  ]);
  assert.equal(table3[0], table2[0]);
  assert.equal(table3[3], table2[2]);
  // Another reading is another experiment: nothing is reused.
  const readingB = await runPaperSweep(data, paperConfigs(3).slice(0, 1), {
    settings: oneSeed,
    write: false,
    reading: "windowDays",
    reuse: table2,
  });
  assert.notEqual(readingB[0], table2[0]);
  assert.equal(readingB[0].reading, "windowDays");
  assert.equal(readingB[0].model.windowDays, 2);
});
