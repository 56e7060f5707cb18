import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  backtestTable,
  drawdownCurve,
  equalWeightMarketReturns,
  HYBRID_REPORTED,
  predictionScores,
  ridgeOnLastDay,
  type SplitWindows,
  strategyRow,
} from "../../lib/experiments/mod.ts";
import { backtestTopK } from "../../lib/eval/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

function split(samples: number, seed: number): SplitWindows {
  const random = createRandom(seed);
  const windowDays = 3, fundamentalFeatures = 2, technicalFeatures = 15;
  const fundamental = Float32Array.from(
    { length: samples * windowDays * fundamentalFeatures },
    () => random.normal(),
  );
  const technical = Float32Array.from(
    { length: samples * windowDays * technicalFeatures },
    () => random.normal(),
  );
  // target: 0.02 × the last day's second fundamental − 0.01 × the last day's 5th technical input
  const target = Float32Array.from({ length: samples }, (_, sample) => {
    const step = sample * windowDays + windowDays - 1;
    return 0.02 * fundamental[step * fundamentalFeatures + 1] -
      0.01 * technical[step * technicalFeatures + 4];
  });
  return {
    windows: {
      fundamental,
      technical,
      target,
      endDay: Int32Array.from({ length: samples }, (_, sample) => sample % 4),
      shape: { samples, windowDays, fundamentalFeatures, technicalFeatures },
    },
    stock: Int32Array.from({ length: samples }, (_, sample) => Math.floor(sample / 4) % 3 + 5),
    announcement: new Uint8Array(samples),
    lastClose: new Float32Array(samples),
    skipped: 0,
    leftOutForBreaks: 0,
  };
}

Deno.test("ridgeOnLastDay recovers a target made of last-day inputs", () => {
  const predicted = ridgeOnLastDay(split(200, 1), 1e-6).predict(split(50, 2));
  const truth = split(50, 2).windows.target;
  predicted.forEach((value, sample) => assertClose(value, truth[sample], { absolute: 1e-4 }));
});

Deno.test("predictionScores places each window's forecast on its stock and end day", () => {
  const windows = split(12, 3);
  const scores = predictionScores(windows, Float32Array.from({ length: 12 }, (_, sample) => sample), [
    5,
    6,
    7,
  ], 4);
  assert.equal(scores.length, 3);
  assert.deepEqual(Array.from(scores[1]), [4, 5, 6, 7]);
  assert.throws(
    () => predictionScores(windows, new Float32Array(3), [5, 6, 7], 4),
    /3 predictions for 12 windows/,
  );
});

Deno.test("equalWeightMarketReturns and drawdownCurve", () => {
  const returns = equalWeightMarketReturns([[10, 11, NaN], [20, 19, 19]]);
  assert.equal(returns[0], 0);
  assertClose(returns[1], 0.025, { absolute: 1e-12 });
  assert.equal(returns[2], 0);
  assert.deepEqual(
    Array.from(drawdownCurve([1, 1.2, 0.9, 1.3])).map((value) => Math.round(value * 100) / 100),
    [
      0,
      0,
      -0.25,
      0,
    ],
  );
});

Deno.test("backtestTable shows mean ± std over seeds and ends with the seed's published row", () => {
  const panel = {
    dates: ["2023-01-03", "2023-01-04", "2023-01-05"],
    codes: ["sh.600000"],
    close: [[10, 10.2, 10.1]],
  };
  const results = [1, 2].map(() => backtestTopK(panel, [[1, 1, 1]], { topK: 1, fillAt: "close" }));
  const fit = {
    count: 2,
    skipped: 0,
    leftOutForBreaks: 0,
    mae: 0.01,
    rmse: 0.02,
    r2: -0.1,
    zeroBaseline: { mae: 0, rmse: 0, r2: 0 },
  };
  const rows = backtestTable([
    strategyRow("model", "model", results, [fit, { ...fit, mae: 0.03 }]),
    strategyRow("zero", "baseline", [], [fit]),
  ]);
  assert.equal(rows.length, 3);
  assert.equal(rows[0].MAE, "0.0200 ± 0.0141");
  assert.equal(rows[0].seeds, 2);
  assert.equal(rows[1].Sharpe, "—");
  assert.equal(rows[1].period, "—");
  assert.equal(rows[2].source, "published");
  assert.equal(rows[2].Sharpe, HYBRID_REPORTED.sharpe.toFixed(2));
  assert.equal(rows[2]["max drawdown"], "-12.4%");
  assert.match(String(rows[0]["max drawdown"]), /^-\d/); // drawdowns read as losses in every row
  assert.match(String(rows[2].strategy), /published without data or code/);
  // one definition per column: a row's win rate sits under the basis its metrics used, "—" under the other
  const basis = results[0].metrics.winBasis;
  const other = basis === "trades" ? "days" : "trades";
  const label = (kind: string) => kind === "trades" ? "closed trades" : "days";
  assert.notEqual(rows[0][`win rate (${label(basis)})`], "—");
  assert.equal(rows[0][`win rate (${label(other)})`], "—");
  assert.equal(rows[0][`profit factor (${label(other)})`], "—");
  assert.equal(rows[0]["win rate"], undefined);
});
