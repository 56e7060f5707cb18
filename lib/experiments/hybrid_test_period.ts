/**
 * The hybrid study's test period as notebook 09 and README's Results show it: the stored final model and
 * ablations traded on 2020-2023 beside the naive strategies, every Sharpe ratio over the 10-year government
 * bond yield as known each day.
 *
 * @module
 */
import { type MarketPanel, returnFit } from "../eval/mod.ts";
import {
  buildHybridFeatures,
  type HybridFeatures,
  type HybridUniverse,
  loadHybridUniverse,
} from "../features/mod.ts";
import { type HybridSettings, hybridSettings, toHybridParams } from "./hybrid.ts";
import {
  breakerExposure,
  csi300Eligibility,
  eligibleEqualWeight,
  hybridBaselineRows,
  hybridMarketPanel,
  modelBacktests,
  ridgeOnLastDay,
  riskFreeFromBondYield,
  type StrategyRow,
  strategyRow,
  zeroForecastFit,
} from "./hybrid_backtest.ts";
import { type HybridModelRun, type HybridStudy, hybridStudy, type HybridStudyArgs } from "./hybrid_study.ts";
import { hybridModelSplits } from "./hybrid_units.ts";
import type { SplitWindows } from "./hybrid_data.ts";

/** Options of {@link hybridTestPeriod}. */
export interface HybridTestPeriodArgs {
  /** Quick mode (tiny settings; the quick store). Default false. */
  quick?: boolean;
  /** Read the units from the store only (compute none). Default: `EQUILAB_FROM_STORE`, as `hybridStudy`. */
  fromStore?: boolean;
  /** Progress of units computed here (quick mode), as `hybridStudy` reports it. */
  onUnit?: HybridStudyArgs["onUnit"];
}

/** What {@link hybridTestPeriod} assembles: the table's rows and what they were computed from. */
export interface HybridTestPeriod {
  /** The study's settings (stocks, top-k). */
  settings: HybridSettings;
  /** The loaded universe and its features. */
  universe: HybridUniverse;
  features: HybridFeatures;
  /** The stored units. */
  study: HybridStudy;
  /** The stored seeds of the final model and of each ablation. */
  runs: {
    model: HybridModelRun[];
    earnings: HybridModelRun[];
    technicalOnly: HybridModelRun[];
    closeTarget: HybridModelRun[];
  };
  /** The final model's windows (its test windows are the rebalance days); the seed's 60 days before it exists. */
  splits: { train: SplitWindows; validation: SplitWindows; test: SplitWindows };
  /** The panel every book trades on. */
  panel: MarketPanel;
  /** The circuit breaker's exposure and tripped days over the whole panel. */
  breaker: ReturnType<typeof breakerExposure>;
  /** First and last day of the test books (universe day indices). */
  startDay: number;
  endDay: number;
  /** The annual risk-free rate of each day (the 10-year yield as known that day). */
  riskFreeRate: Float64Array;
  /** The strategies: the model and its A/B variants, the ablations, then the baselines. */
  rows: StrategyRow[];
}

/**
 * Trades the stored hybrid units on the test period. The model rows appear once the final model's seeds are
 * stored (they wait for the whole search); the baselines need no model. Every book: top-k of the universe,
 * rebalanced every 5 days, A-share costs and rules (`lib/eval`'s backtest).
 *
 * @example
 * ```ts ignore
 * import { hybridTestPeriod } from "./hybrid_test_period.ts";
 * const { rows } = await hybridTestPeriod({ fromStore: true });
 * ```
 */
export async function hybridTestPeriod(args: HybridTestPeriodArgs = {}): Promise<HybridTestPeriod> {
  const quick = args.quick ?? false;
  const settings = hybridSettings(quick);
  const universe = await loadHybridUniverse({ stocks: settings.stocks });
  const features = buildHybridFeatures(universe);
  const stocks = Array.from({ length: settings.stocks }, (_, index) => index);
  const study = await hybridStudy({ quick, fromStore: args.fromStore, onUnit: args.onUnit });
  const runs = {
    model: study.runs("model").map(({ run }) => run),
    earnings: study.runs("earnings-rule").map(({ run }) => run),
    technicalOnly: study.runs("technical-only").map(({ run }) => run),
    closeTarget: study.runs("close-target").map(({ run }) => run),
  };
  const chosen = runs.model.length > 0 ? toHybridParams(runs.model[0].params) : undefined;
  const windowDays = chosen?.windowDays ?? 60;
  const splits = hybridModelSplits(features, { quick, windowDays, variant: "model" });
  for (const run of [...runs.model, ...runs.earnings, ...runs.technicalOnly]) {
    if (run.testPredictions.length !== splits.test.windows.shape.samples) {
      throw new Error(
        `${run.variant} seed ${run.seed}: ${run.testPredictions.length} stored predictions for ` +
          `${splits.test.windows.shape.samples} test windows`,
      );
    }
  }
  // The close-target ablation predicts the close in 5 days (in units of the stock's training mean close): traded
  // on the return it implies, close[t+5] / close[t] − 1, and scored against the realised return.
  const closeSplits = hybridModelSplits(features, { quick, windowDays, variant: "close-target" });
  if (closeSplits.test.windows.endDay.join() !== splits.test.windows.endDay.join()) {
    throw new Error("hybridTestPeriod: the close-target and return windows differ");
  }
  const impliedReturns = runs.closeTarget.map((run) =>
    Float32Array.from(run.testPredictions, (close, sample) => close / closeSplits.test.lastClose[sample] - 1)
  );
  const ridge = ridgeOnLastDay(splits.train);
  const ridgePredictions = Float32Array.from(ridge.predict(splits.test));

  const panel = hybridMarketPanel(universe, stocks);
  const startDay = features.validationDays, endDay = features.dates.length - 1;
  const breaker = breakerExposure(panel.close);
  const riskFreeRate = riskFreeFromBondYield(features.macroDaily.bondYield, startDay);
  const trading = { topK: settings.topK, startDay, endDay, riskFreeRate };
  const eligible = csi300Eligibility(universe, stocks);
  const predictions = (seeds: HybridModelRun[]) => seeds.map((run) => Float32Array.from(run.testPredictions));
  const fits = (seeds: HybridModelRun[]) => seeds.map((run) => run.fit.test);
  const { model, earnings, technicalOnly, closeTarget } = runs;
  const book = (seeds: Float32Array[], extra: Partial<Parameters<typeof modelBacktests>[4]> = {}) =>
    modelBacktests(panel, splits.test, seeds, stocks, { ...trading, ...extra });
  const rows: StrategyRow[] = [
    ...(model.length > 0
      ? [
        strategyRow("two-branch LSTM (A)", "model", book(predictions(model)), fits(model)),
        strategyRow(
          "… + 熔断 circuit breaker (B)",
          "A/B",
          book(predictions(model), { exposure: breaker.exposure }),
          fits(model),
        ),
        // A point-in-time universe: the same forecasts, trading only the stocks that were CSI 300 members then.
        strategyRow(
          "two-branch LSTM (A), then-members of the CSI 300 only",
          "model",
          book(predictions(model), { eligible }),
          fits(model),
        ),
      ]
      : []),
    ...(earnings.length > 0
      ? [
        strategyRow(
          "… + 财报季 earnings-season rule (B)",
          "A/B",
          book(predictions(earnings)),
          fits(earnings),
        ),
      ]
      : []),
    ...(closeTarget.length > 0
      ? [strategyRow(
        "close-target LSTM, traded on its implied return",
        "baseline",
        modelBacktests(panel, closeSplits.test, impliedReturns, stocks, trading),
        impliedReturns.map((implied) => returnFit(implied, splits.test.windows.target)),
      )]
      : []),
    ...(technicalOnly.length > 0
      ? [
        strategyRow("technical-only LSTM", "baseline", book(predictions(technicalOnly)), fits(technicalOnly)),
      ]
      : []),
    strategyRow("ridge on the same inputs", "baseline", book([ridgePredictions]), [
      returnFit(ridgePredictions, splits.test.windows.target),
    ]),
    strategyRow("return = 0 forecast (fit only)", "baseline", [], [zeroForecastFit(splits.test)]),
    ...hybridBaselineRows(panel, universe, trading),
    strategyRow("equal-weight of then-members of the CSI 300", "baseline", [
      eligibleEqualWeight(panel, eligible, trading),
    ], []),
  ];
  return {
    settings,
    universe,
    features,
    study,
    runs,
    splits,
    panel,
    breaker,
    startDay,
    endDay,
    riskFreeRate,
    rows,
  };
}
