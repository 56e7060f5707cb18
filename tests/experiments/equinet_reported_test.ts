import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { fileURLToPath } from "node:url";
import {
  EQUINET_REPORTED_FILE,
  type EquiNetRun,
  parseEquiNetReported,
  publishedComparisonRows,
  readEquiNetReported,
  reportedOf,
} from "../../lib/experiments/mod.ts";
import { classificationReport, naiveBaselines } from "../../lib/eval/mod.ts";

const HEADER = "d_model,nhead,num_layers,block,best_chosen_on_eval_samples,checkpoint,set,n_evals," +
  "eval1,eval2,eval3,eval4,eval5,eval6,eval7,eval8,eval9,eval10,mean_percent";

Deno.test("the original's results table: 13 blocks × best/final × train/test/all, every mean checked", async () => {
  const rows = await readEquiNetReported();
  assert.equal(rows.length, 78);
  const best64 = reportedOf(rows, { dModel: 64, heads: 8 }, "best", "test");
  assert.equal(best64.length, 1);
  assert.deepEqual(best64[0].evaluations.slice(0, 3), [0.528, 0.524, 0.526]);
  assertClose(best64[0].meanAccuracy, 0.523, { absolute: 1e-9 });
  // d_model 32 / 8 heads was measured twice; d_model 24 / 6 heads never filled in.
  assert.equal(reportedOf(rows, { dModel: 32, heads: 8 }, "final", "all").length, 2);
  assert.equal(reportedOf(rows, { dModel: 24, heads: 6 }, "best", "test").length, 0);
  assert.equal(rows.filter((row) => row.dModel === 24 && row.heads === 6).length, 6);
  // Every accuracy the original reports lies within 45..58%: around the buggy labels' 跌 share.
  const all = rows.flatMap((row) => row.evaluations);
  assert.ok(
    Math.min(...all) >= 0.45 && Math.max(...all) <= 0.58,
    `${Math.min(...all)} .. ${Math.max(...all)}`,
  );
});

Deno.test("the committed copy is the research folder's table, byte for byte (when ../shared is beside the repository)", async () => {
  const research = fileURLToPath(
    new URL("../../../shared/research/equinet_published_results.csv", import.meta.url),
  );
  let theirs: Uint8Array;
  try {
    theirs = await Deno.readFile(research);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  assert.deepEqual(await Deno.readFile(EQUINET_REPORTED_FILE), theirs);
});

Deno.test("parseEquiNetReported: a wrong mean, checkpoint, percentage or header names the file, line, column and value", () => {
  const row = (cells: string) => `${HEADER}\n${cells}\n`;
  assert.throws(
    () => parseEquiNetReported(row("32,8,4,b,1000,best_model,test,2,50.0,52.0,,,,,,,,,52.0"), "t.csv"),
    /t\.csv: line 2, column mean_percent: not the mean of the evaluations \(51\.000\) \(value "52\.0"\)/,
  );
  assert.throws(
    () => parseEquiNetReported(row("32,8,4,b,1000,best,test,2,50.0,52.0,,,,,,,,,51.0"), "t.csv"),
    /line 2, column checkpoint: not best_model or final_model \(value "best"\)/,
  );
  assert.throws(
    () => parseEquiNetReported(row("32,8,4,b,1000,best_model,test,2,50.0,152.0,,,,,,,,,101.0"), "t.csv"),
    /line 2, column eval2: not a percentage \(value "152\.0"\)/,
  );
  assert.throws(
    () => parseEquiNetReported(row("32,8,4,b,1000,best_model,test,1,50.0,52.0,,,,,,,,,50.0"), "t.csv"),
    /line 2, column eval2: a value beyond n_evals 1/,
  );
  assert.throws(() => parseEquiNetReported("a,b\n1,2\n", "t.csv"), /t\.csv: line 1: header "a,b", expected/);
  const parsed = parseEquiNetReported(row("32,8,4,b,100,final_model,all,2,50.0,52.0,,,,,,,,,51.0"), "t.csv");
  assert.deepEqual(parsed[0].evaluations, [0.5, 0.52]);
  assert.equal(parsed[0].checkpoint, "final");
  assert.equal(parsed[0].selectionWindows, 100);
});

Deno.test("publishedComparisonRows: ours (mean ± std over the samples) beside the original's, the majority rate and the one-class flag", async () => {
  const reported = await readEquiNetReported();
  const labels = Int32Array.from([1, 1, 2, 0, 1, 1, 2, 1]);
  const returns = new Float32Array(labels.length);
  const onlyDown = classificationReport(labels, new Int32Array(labels.length).fill(1), returns);
  const run: EquiNetRun = {
    seed: 1,
    history: [],
    bestEpoch: 7,
    reports: {
      test: {
        best: onlyDown,
        final: onlyDown,
        sampleAccuracies: { best: [0.5, 0.52, 0.54], final: [0.5, 0.5, 0.5] },
      },
    },
    seconds: 1,
    resumedFromEpoch: 0,
  };
  const baselines = { test: naiveBaselines(Int32Array.from([1, 1, 0]), labels, returns) };
  const rows = publishedComparisonRows(new Map([["published-d64-h8", run]]), reported, baselines);
  assert.equal(rows.length, 18);
  const d64 = rows.find((row) => row["d_model · heads"] === "64 · 8")!;
  assert.equal(d64["ours, best, test"], "52.0% ± 2.0");
  assert.equal(d64["ours, final, test"], "50.0% ± 0.0");
  assert.equal(d64["original, best, test"], "52.3% ± 2.2");
  assert.equal(d64["majority class of the buggy labels, test"], "62.5% (跌)");
  assert.equal(d64["ours predicts one class?"], "only 跌");
  assert.equal(d64["best epoch"], 7);
  const d32 = rows.find((row) =>
    row["d_model · heads"] === "32 · 8" && String(row["Adam steps / epoch"]).startsWith("20")
  )!;
  assert.equal(d32["ours, best, test"], "not run yet");
  assert.match(String(d32["original, best, test"]), /^\d+\.\d% ± \d+\.\d \/ \d+\.\d% ± \d+\.\d$/);
  const d24h6 = rows.find((row) => row["d_model · heads"] === "24 · 6")!;
  assert.equal(d24h6["original, final, test"], "not measured");
  assert.equal(rows.filter((row) => String(row["Adam steps / epoch"]).startsWith("1000")).length, 6);
});
