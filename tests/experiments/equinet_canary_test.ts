import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { equiNetStocksFromMarket } from "./_synthetic.ts";
import { selectBackend } from "../../lib/backend/mod.ts";
import { EquiNetWindows } from "../../lib/features/mod.ts";
import { type EquiNetConfig, runEquiNetExperiment } from "../../lib/experiments/mod.ts";
import { randomWalkMarket } from "../../lib/synthetic/mod.ts";

await selectBackend("wasm");

// Leakage canary: on a random-walk universe nothing about the next 3 days is predictable, so the
// corrected pipeline cannot beat (or, trained briefly, stray far from) its majority baseline. A
// pipeline that leaks the future (labels or normalisers reading later closes) would.
Deno.test("leakage canary: corrected pipeline on a random walk stays within 2 points of majority", async () => {
  const market = randomWalkMarket({ seed: 11, stockCount: 24, days: 260 });
  const stocks = await equiNetStocksFromMarket(market);
  const windows = new EquiNetWindows(stocks, {
    mode: "corrected",
    context: "random",
    minContextDays: 10,
    maxContextDays: 30,
    validationDateShare: 0.15,
    testDateShare: 0.3,
  });
  const config: EquiNetConfig = {
    id: "canary",
    windows: windows.args,
    model: { dModel: 8, heads: 2, layers: 1, dropout: 0 },
    epochs: 3,
    windowsPerEpoch: 200,
    batchSize: 50,
    evaluationWindows: 2000,
    learningRate: 3e-3,
  };
  const result = await runEquiNetExperiment(windows, config, { seeds: [1], logisticWindows: 3000 });
  const majority = result.baselines.test.majority.accuracy;
  const logistic = result.logistic!.reports.test.accuracy;
  const transformer = result.runs[0].reports.test.best.accuracy;
  assert.ok(majority > 0.4, `majority ${majority}`);
  assertClose(logistic, majority, { absolute: 0.02, label: `logistic ${logistic} vs majority ${majority}` });
  assertClose(transformer, majority, {
    absolute: 0.02,
    label: `transformer ${transformer} vs majority ${majority}`,
  });
});
