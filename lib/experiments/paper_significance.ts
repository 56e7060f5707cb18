/**
 * Is a next-day forecast better than chance? Per-day tests of the honest twin's stored predictions
 * against its naive baselines (lib/stats): the Diebold–Mariano test (with the Harvey–Leybourne–Newbold
 * correction) of its absolute percentage errors against persistence's, and, for the direction it calls,
 * the exact binomial test against the always-majority rate and McNemar's exact test against the
 * always-majority forecaster on the same days. Plus coin-flip forecasters on the same days, to show how
 * far luck alone reaches.
 */
import { createRandom } from "../random/mod.ts";
import { binomialTest, dieboldMariano, mcnemarTest } from "../stats/mod.ts";
import type { PredictionTrace } from "./paper.ts";

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
