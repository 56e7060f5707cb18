/**
 * Is a next-day forecast better than chance? Per-day tests of the honest twin's stored predictions
 * against its naive baselines (lib/stats): the Diebold–Mariano test (with the Harvey–Leybourne–Newbold
 * correction) of its absolute percentage errors against persistence's, and, for the direction it calls,
 * the exact binomial test against the always-majority rate and McNemar's exact test against the
 * always-majority forecaster on the same days. Plus coin-flip forecasters on the same days, to show how
 * far luck alone reaches.
 */
import { createRandom } from "../random/mod.ts";
import { binomialTest, dateBlockBootstrap, dieboldMariano, mcnemarTest } from "../stats/mod.ts";
import type { PaperExperimentResult, PredictionTrace } from "./paper.ts";

/** The tests of one seed's test-day predictions. */
export interface HonestSeedTests {
  /** The seed. */
  seed: number;
  /** Test days. */
  days: number;
  /** DM (HLN) on absolute percentage errors, LSTM vs persistence: negative statistic = the LSTM misses less. */
  versusPersistence: { statistic: number; pValue: number; pValueModelBetter: number };
  /** Days whose direction (vs the last close) the LSTM called right. */
  directionCorrect: number;
  /** Share of days moving in the training majority's direction (what always saying it scores). */
  majorityRate: number;
  /** Exact binomial test of `directionCorrect` of `days` against `majorityRate`, one-sided (better). */
  binomialPValue: number;
  /** McNemar's exact test, LSTM vs always-majority on the same days, two-sided. */
  mcnemarPValue: number;
}

/**
 * The tests of one seed's predictions. `close` is the whole close series the trace's target days index.
 *
 * @example
 * ```ts
 * import { honestSeedTests } from "./paper_significance.ts";
 * const close = Float64Array.from([100, 101, 100, 102, 103, 101, 104]);
 * const trace = { targetDays: [2, 3, 4, 5, 6], actual: [100, 102, 103, 101, 104], predicted: [100.5, 101.5, 102.5, 102.5, 101.5] };
 * honestSeedTests(1, trace, close, "up").days; // 5
 * ```
 */
export function honestSeedTests(
  seed: number,
  trace: PredictionTrace,
  close: Float64Array,
  majority: "up" | "down",
): HonestSeedTests {
  const days = trace.targetDays.length;
  const reference = trace.targetDays.map((day) => close[day - 1]);
  const dm = dieboldMariano(trace.actual, trace.predicted, reference, {
    loss: "absolute-percentage",
    horizon: 1,
  });
  const modelRight: boolean[] = [];
  const majorityRight: boolean[] = [];
  for (let index = 0; index < days; index++) {
    const move = Math.sign(trace.actual[index] - reference[index]);
    modelRight.push(Math.sign(trace.predicted[index] - reference[index]) === move);
    majorityRight.push(move === (majority === "up" ? 1 : -1));
  }
  const directionCorrect = modelRight.filter(Boolean).length;
  const majorityRate = majorityRight.filter(Boolean).length / days;
  return {
    seed,
    days,
    versusPersistence: { statistic: dm.statistic, pValue: dm.pValue, pValueModelBetter: dm.pValueABetter },
    directionCorrect,
    majorityRate,
    binomialPValue: binomialTest(directionCorrect, days, { probability: majorityRate }).pValueGreater,
    mcnemarPValue: mcnemarTest(modelRight, majorityRight).pValue,
  };
}

/**
 * Accuracies of `forecasters` coin-flip forecasters (up or down with probability ½ each day, seeded)
 * on days whose moves are `moves` (+1 up, −1 down, 0 unchanged: never right), sorted ascending.
 *
 * @example
 * ```ts
 * import { coinFlipAccuracies } from "./paper_significance.ts";
 * const accuracies = coinFlipAccuracies([1, -1, 1, 1], 1000, 7); // 1000 values in 0, 0.25, …, 1
 * ```
 */
export function coinFlipAccuracies(
  moves: readonly number[],
  forecasters: number,
  seed: number,
): Float64Array {
  const random = createRandom(seed);
  const accuracies = new Float64Array(forecasters);
  for (let forecaster = 0; forecaster < forecasters; forecaster++) {
    let right = 0;
    for (const move of moves) if ((random.uniform() < 0.5 ? 1 : -1) === move) right++;
    accuracies[forecaster] = right / moves.length;
  }
  return accuracies.sort();
}

/** Diebold–Mariano verdicts of one configuration's seeds against a no-model forecast. */
export interface SeedVerdicts {
  /** Seeds whose forecast misses significantly less (two-sided p < `level`, negative statistic). */
  better: number;
  /** Seeds whose forecast misses significantly more. */
  worse: number;
  /** Seeds tested. */
  seeds: number;
  /** The median two-sided p-value over seeds. */
  medianPValue: number;
}

/**
 * Diebold–Mariano (HLN, absolute percentage errors, horizon 1) of each seed's forecast against a
 * baseline forecast of the same days, summed up as verdicts at `level`.
 *
 * @example
 * ```ts
 * import { seedVerdicts } from "./paper_significance.ts";
 * const actual = [100, 102, 101, 103, 104, 102, 105, 106];
 * const baseline = [99, 100, 102, 101, 103, 104, 102, 105];
 * seedVerdicts([{ actual, predicted: actual.map((value) => value + 0.1) }], baseline).better; // 1
 * ```
 */
export function seedVerdicts(
  traces: readonly { actual: readonly number[]; predicted: readonly number[] }[],
  baseline: readonly number[],
  level = 0.05,
): SeedVerdicts {
  const tests = traces.map((trace) =>
    dieboldMariano(trace.actual, trace.predicted, baseline, { loss: "absolute-percentage", horizon: 1 })
  );
  const pValues = tests.map((test) => test.pValue).sort((a, b) => a - b);
  const middle = pValues.length >> 1;
  return {
    better: tests.filter((test) => test.pValue < level && test.statistic < 0).length,
    worse: tests.filter((test) => test.pValue < level && test.statistic > 0).length,
    seeds: tests.length,
    medianPValue: pValues.length % 2 ? pValues[middle] : (pValues[middle - 1] + pValues[middle]) / 2,
  };
}

/**
 * A {@link SeedVerdicts} in words: `"better 5/5 (p̃ 1e-9)"`, `"worse 3/5"`, `"no difference (p̃ 0.41)"`.
 *
 * @example
 * ```ts
 * import { verdictText } from "./paper_significance.ts";
 * verdictText({ better: 0, worse: 0, seeds: 5, medianPValue: 0.41 }); // "no difference in 5/5 (median p 0.41)"
 * ```
 */
export function verdictText(verdicts: SeedVerdicts): string {
  const median = verdicts.medianPValue;
  const p = median === 0 ? "< 1e-300" : median < 0.01 ? median.toExponential(0) : median.toFixed(2);
  const parts: string[] = [];
  if (verdicts.better > 0) parts.push(`better ${verdicts.better}/${verdicts.seeds}`);
  if (verdicts.worse > 0) parts.push(`worse ${verdicts.worse}/${verdicts.seeds}`);
  const neither = verdicts.seeds - verdicts.better - verdicts.worse;
  if (neither > 0) parts.push(`no difference in ${neither}/${verdicts.seeds}`);
  return `${parts.join(", ")} (median p ${p})`;
}

/** The price columns the baselines are computed from (the study's daily bars). */
export interface BaselineColumns {
  /** Closes. */
  close: ArrayLike<number>;
  /** Daily highs. */
  high: ArrayLike<number>;
  /** Daily lows. */
  low: ArrayLike<number>;
}

/**
 * Notebook 02's significance table: for each configuration, Diebold–Mariano verdicts over its seeds —
 * the as-published fit against the same day's (high + low) / 2, and the out-of-sample forecast against
 * persistence and (high + low) / 2 on the test days.
 *
 * @example
 * ```ts ignore
 * table(paperSignificanceRows((config, reading) => study.publishedTraces(config, reading), table1, chinext));
 * ```
 */
export function paperSignificanceRows(
  tracesOf: (
    config: PaperExperimentResult["config"],
    reading: PaperExperimentResult["reading"],
  ) => { asPublished: PredictionTrace; outOfSampleTest: PredictionTrace }[],
  results: readonly PaperExperimentResult[],
  bars: BaselineColumns,
): Record<string, string>[] {
  const midRange = (trace: PredictionTrace) =>
    trace.targetDays.map((day) => (bars.high[day] + bars.low[day]) / 2);
  const persistence = (trace: PredictionTrace) => trace.targetDays.map((day) => bars.close[day - 1]);
  return results.map((result) => {
    const traces = tracesOf(result.config, result.reading);
    if (traces.length === 0) throw new Error(`paperSignificanceRows: no stored seed of ${result.experiment}`);
    const published = traces.map((trace) => trace.asPublished);
    const test = traces.map((trace) => trace.outOfSampleTest);
    return {
      configuration: result.config.id,
      "units read as": result.reading === "hiddenSize" ? "A: hidden size" : "B: window days",
      "as published vs (high+low)/2": verdictText(seedVerdicts(published, midRange(published[0]))),
      "out of sample vs persistence": verdictText(seedVerdicts(test, persistence(test[0]))),
      "out of sample vs (high+low)/2": verdictText(seedVerdicts(test, midRange(test[0]))),
    };
  });
}

/** What {@link directionBlockBootstrap} gives. */
export interface DirectionBlockBootstrap {
  /** Test days. */
  days: number;
  /** Seeds averaged (each day's right call counts as the share of seeds right). */
  seeds: number;
  /** Seed-mean direction accuracy minus always-majority's, on the days as they are. */
  difference: number;
  /** 95% percentile interval over resamples of blocks of consecutive days. */
  lower: number;
  /** Upper end of the interval. */
  upper: number;
  /** One-sided bootstrap p of "the LSTM is better": the share of resamples with a difference ≤ 0. */
  pValue: number;
  /** Block length in days. */
  blockLength: number;
}

/**
 * Direction accuracy of the seeds (their mean, day by day) against always saying the majority move, with
 * a moving-block bootstrap over the test days: blocks of consecutive days keep the serial dependence of
 * daily moves that the binomial and McNemar tests assume away. Every trace must cover the same days.
 *
 * @example
 * ```ts
 * import { directionBlockBootstrap } from "./paper_significance.ts";
 * const close = Float64Array.from([100, 101, 100, 102, 103, 101, 104, 103, 105, 106]);
 * const days = [2, 3, 4, 5, 6, 7, 8, 9];
 * const trace = { targetDays: days, actual: days.map((day) => close[day]), predicted: days.map((day) => close[day] + 0.5) };
 * directionBlockBootstrap([trace], close, "up", { resamples: 200 }).days; // 8
 * ```
 */
export function directionBlockBootstrap(
  traces: readonly PredictionTrace[],
  close: Float64Array,
  majority: "up" | "down",
  args: { seed?: number; resamples?: number; blockLength?: number } = {},
): DirectionBlockBootstrap {
  if (traces.length === 0) throw new RangeError("directionBlockBootstrap: no traces");
  const days = traces[0].targetDays;
  for (const trace of traces) {
    if (
      trace.targetDays.length !== days.length || trace.targetDays.some((day, index) => day !== days[index])
    ) {
      throw new RangeError("directionBlockBootstrap: every trace must cover the same target days");
    }
  }
  const gain = new Float64Array(days.length);
  days.forEach((day, index) => {
    const move = Math.sign(close[day] - close[day - 1]);
    let right = 0;
    for (const trace of traces) right += Number(Math.sign(trace.predicted[index] - close[day - 1]) === move);
    gain[index] = right / traces.length - Number(move === (majority === "up" ? 1 : -1));
  });
  const mean = (rows: Int32Array) => {
    let sum = 0;
    for (let index = 0; index < rows.length; index++) sum += gain[rows[index]];
    return sum / rows.length;
  };
  const result = dateBlockBootstrap(days.length, mean, {
    seed: args.seed ?? 0,
    resamples: args.resamples ?? 2000,
    ...(args.blockLength === undefined ? {} : { blockLength: args.blockLength }),
  });
  return {
    days: days.length,
    seeds: traces.length,
    difference: result.estimate,
    lower: result.lower,
    upper: result.upper,
    pValue: result.shareAtMostZero,
    blockLength: result.blockLength,
  };
}
