import assert from "node:assert/strict";
import {
  deflatedSharpeRatio,
  expectedMaximumSharpe,
  probabilisticSharpeRatio,
  sharpeDifferenceBootstrap,
  sharpeInference,
} from "../../lib/stats/mod.ts";
import { sharpeRatio } from "../../lib/eval/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { assertClose, EXACT, reference, SERIES } from "./_reference.ts";
import { assertClose as assertNear } from "../_close.ts";

Deno.test("Lo's Sharpe standard error and interval match the formula with statsmodels' acf", () => {
  const inputs = reference.sharpeInference.inputs;
  for (const expected of reference.sharpeInference.cases) {
    const options = expected.options as {
      q?: number;
      autocorrelation?: boolean;
      lags?: number;
      non_normal?: boolean;
      confidence?: number;
    };
    const result = sharpeInference(inputs[expected.series as "t4" | "ar1"], {
      periodsPerYear: options.q,
      autocorrelation: options.autocorrelation,
      autocorrelationLags: options.lags,
      nonNormal: options.non_normal,
      confidence: options.confidence,
    });
    const label = `${expected.series} ${JSON.stringify(options)}`;
    for (
      const key of [
        "perPeriodSharpe",
        "perPeriodStandardError",
        "annualisationFactor",
        "sharpe",
        "standardError",
        "lower",
        "upper",
      ] as const
    ) assertClose(result[key], expected[key], SERIES, `${label}: ${key}`);
  }
});

Deno.test("Lo's iid Sharpe agrees with lib/eval's sharpeRatio", () => {
  const returns = reference.sharpeInference.inputs.t4;
  assertClose(sharpeInference(returns).sharpe, sharpeRatio(returns), 1e-13, "same definition");
});

Deno.test("deflated and probabilistic Sharpe ratios match the formula with scipy.stats.norm (paper's example ≈ 0.9004)", () => {
  for (const expected of reference.deflatedSharpe.cases) {
    const result = deflatedSharpeRatio(expected.sharpe, expected);
    assertClose(result.expectedMaxSharpe, expected.expectedMaxSharpe, EXACT, "SR0");
    assertClose(result.deflatedSharpe, expected.deflatedSharpe, EXACT, "DSR");
  }
  assert.equal(Number(reference.deflatedSharpe.cases[0].deflatedSharpe.toFixed(4)), 0.9004);
  assert.equal(expectedMaximumSharpe(1, 0.01), 0);
  assert.equal(probabilisticSharpeRatio(0.1, 0.1, 100), 0.5);
});

Deno.test("paired Sharpe bootstrap: deterministic by seed; a strategy that is the index plus alpha wins", () => {
  const random = createRandom(9);
  const index = Array.from({ length: 300 }, () => 0.0002 + 0.01 * random.normal());
  const strategy = index.map((value) => value + 0.002 + 0.001 * random.normal());
  const args = { seed: 4, resamples: 300, blockLength: 5 };
  const a = sharpeDifferenceBootstrap(strategy, index, args);
  const b = sharpeDifferenceBootstrap(strategy, index, args);
  assert.deepEqual([...a.resampled], [...b.resampled]);
  assert.notDeepEqual([...a.resampled], [
    ...sharpeDifferenceBootstrap(strategy, index, { ...args, seed: 5 }).resampled,
  ]);
  assertClose(a.estimate, sharpeRatio(strategy) - sharpeRatio(index), 1e-12, "estimate");
  assert.ok(a.lower > 0);
  assert.equal(a.shareAtMostZero, 0);
  const self = sharpeDifferenceBootstrap(index, index, args);
  assert.ok(self.resampled.every((value) => value === 0));
  assert.throws(() => sharpeDifferenceBootstrap([0.1, 0.2], [0.1]), RangeError);
});

Deno.test("a risk-free series: as a constant when constant, and subtracted period by period otherwise", () => {
  const random = createRandom(4);
  const returns = Array.from({ length: 120 }, () => 0.0005 + 0.01 * random.normal());
  const benchmark = returns.map((value) => value * 0.8 + 0.002 * random.normal());
  const constant = sharpeInference(returns, { riskFreeRate: 0.03 });
  const series = sharpeInference(returns, { riskFreeRate: returns.map(() => 0.03) });
  assertNear(series.sharpe, constant.sharpe, { absolute: 1e-12 });
  assertNear(series.standardError, constant.standardError, { absolute: 1e-12 });
  // a rising rate lowers the Sharpe ratio below the constant rate's where the rate is higher
  const rising = sharpeInference(returns, { riskFreeRate: returns.map((_, index) => 0.03 + index * 0.001) });
  assert.ok(rising.sharpe < constant.sharpe);
  const args = { seed: 2, resamples: 300, blockLength: 5 };
  const same = sharpeDifferenceBootstrap(returns, benchmark, { ...args, riskFreeRate: 0.03 });
  const sameSeries = sharpeDifferenceBootstrap(returns, benchmark, {
    ...args,
    riskFreeRate: returns.map(() => 0.03),
  });
  assertNear(sameSeries.estimate, same.estimate, { absolute: 1e-9 });
  assert.throws(
    () => sharpeInference(returns, { riskFreeRate: [0.03] }),
    /1 risk-free rates for 120 returns/,
  );
});
