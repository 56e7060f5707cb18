import assert from "node:assert/strict";
import { selectBackend } from "../../lib/backend/mod.ts";
import {
  formatMeanStd,
  formatMeanStdPercent,
  formatPercent,
  honestTableRows,
  paperConfigs,
  paperTableRows,
  runHonestExperiment,
  runPaperSweep,
  seedVerdict,
} from "../../lib/experiments/mod.ts";
import { syntheticPaperData, tinySettings } from "./_synthetic.ts";

await selectBackend("cpu");

Deno.test("formatPercent and formatMeanStdPercent: shares in percent, the std in percentage points", () => {
  assert.equal(formatPercent(0.0109), "1.09%");
  assert.equal(formatPercent(0.49433, 1), "49.4%");
  assert.equal(formatPercent(Number.NaN), "NaN");
  assert.equal(formatMeanStdPercent({ mean: 0.012345, std: 0.00081 }), "1.23% ± 0.08");
  assert.equal(formatMeanStdPercent({ mean: 0.5123, std: 0.012 }, 1), "51.2% ± 1.2");
});

Deno.test("formatMeanStd: fixed decimals; refuses silly precision", () => {
  assert.equal(formatMeanStd({ mean: 0.012345, std: 0.00081 }), "0.0123 ± 0.0008");
  assert.equal(formatMeanStd({ mean: 0.5123, std: 0.012 }, 3), "0.512 ± 0.012");
  assert.equal(formatMeanStd({ mean: 1, std: 0 }, 0), "1 ± 0");
  assert.throws(() => formatMeanStd({ mean: 1, std: 0 }, 1.5), /decimals must be an integer/);
});

Deno.test("seedVerdict: counts the seeds beating the baseline", () => {
  assert.equal(seedVerdict([0.01, 0.012, 0.02], 0.015), "mixed (2/3)");
  assert.equal(seedVerdict([0.01, 0.012], 0.015), "yes (2/2)");
  assert.equal(seedVerdict([0.02], 0.015), "no (0/1)");
  assert.equal(seedVerdict([0.015], 0.015), "no (0/1)"); // a tie is not a win
  assert.equal(seedVerdict([0.55, 0.56], 0.51, "higher"), "yes (2/2)");
  assert.throws(() => seedVerdict([], 1), /no per-seed values/);
});

Deno.test("paperTableRows: each published cell beside ours and the baselines of the same result", async () => {
  const data = syntheticPaperData(50, 9);
  const settings = { ...tinySettings(), seeds: [1, 2] };
  const results = await runPaperSweep(data, paperConfigs(2), { settings, write: false });
  const rows = paperTableRows(2, results);
  assert.equal(rows.length, 3);
  // MAPE in percent, as the paper writes it
  assert.deepEqual(rows.map((row) => row["paper MAPE (published)"]), ["1.89%", "2.23%", "1.74%"]);
  const [first] = results;
  assert.equal(rows[0]["persistence"], formatPercent(first.baselines.asPublished.persistence.mape));
  assert.equal(rows[0]["(high+low)/2 (test)"], formatPercent(first.baselines.outOfSampleTest.midRange.mape));
  assert.equal(
    rows[0]["LSTM as published (in-sample)"],
    formatMeanStdPercent(first.summary.asPublishedInSampleMape),
  );
  assert.equal(
    rows[0]["LSTM out-of-sample (last 20%)"],
    formatMeanStdPercent(first.summary.outOfSampleTestMape),
  );
  assert.equal(rows[0]["units read as"], "A: hidden size");
  assert.equal(rows[0].model, "3-day windows, 2 hidden");
  assert.match(
    String(rows[0]["LSTM beats every baseline? in-sample / test"]),
    /^(yes|no|mixed) \(\d\/2\) \/ (yes|no|mixed) \(\d\/2\)$/,
  );
  // Table 3 only finds its two 2-unit cells among these results; Table 1 shares the forget-bias-1 one.
  assert.deepEqual(paperTableRows(3, results).map((row) => row["paper MAPE (published)"]), [
    "1.86%",
    "1.09%",
  ]);
  assert.deepEqual(paperTableRows(1, results).map((row) => row["paper's cell"]), [
    "row 200 次, column Data2",
  ]);
  assert.throws(
    () => paperTableRows(2, results, ["windowDays"]),
    /no result matches a configuration of Table 2/,
  );
  // From a partial store one configuration has a single seed: its cells say so.
  const partial = results.map((result, index) => {
    if (index !== 1) return result;
    const keep = (summary: typeof result.summary.asPublishedInSampleMape) => ({
      ...summary,
      std: 0,
      values: summary.values.slice(0, 1),
    });
    return {
      ...result,
      seeds: result.seeds.slice(0, 1),
      summary: {
        ...result.summary,
        asPublishedInSampleMape: keep(result.summary.asPublishedInSampleMape),
        outOfSampleTestMape: keep(result.summary.outOfSampleTestMape),
      },
    };
  });
  const partialRows = paperTableRows(2, partial);
  assert.match(String(partialRows[1]["LSTM as published (in-sample)"]), / \(1 seed\)$/);
  assert.match(String(partialRows[0]["LSTM out-of-sample (last 20%)"]), / \(2 seeds\)$/);
});

Deno.test("honestTableRows: LSTM beside persistence, ridge and the majority direction", async () => {
  const data = syntheticPaperData(70, 10);
  const config = paperConfigs(2)[2];
  const result = await runHonestExperiment(data, config, {
    settings: { ...tinySettings(), seeds: [1, 2] },
    write: false,
  });
  const [row] = honestTableRows([{ label: "synthetic", result }]);
  assert.equal(row.run, "synthetic");
  assert.equal(row["days train / validation / test"], "43 / 6 / 13");
  assert.equal(row["persistence MAPE"], formatPercent(result.baselines.test.persistence.mape));
  assert.equal(row["ridge MAPE"], formatPercent(result.baselines.test.ridge.mape));
  assert.equal(row["LSTM test MAPE"], formatMeanStdPercent(result.summary.testMape));
  const majority = `always "${result.baselines.majorityDirection.direction}"`;
  assert.equal(row[majority], formatPercent(result.baselines.majorityDirection.test, 1));
  assert.equal(
    row["LSTM beats always-majority (direction)?"],
    seedVerdict(
      result.summary.testDirectionAccuracy.values,
      result.baselines.majorityDirection.test,
      "higher",
    ),
  );
});
