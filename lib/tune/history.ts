/**
 * The course of a search, for a chart: loss per trial and the best loss so far.
 *
 * @module
 */
import type { TrialRecord } from "./minimize.ts";

/** Result of {@link searchHistory}. */
export interface SearchHistory {
  /** Trial numbers, 0-based. */
  trial: number[];
  /** Loss of each trial (NaN where the objective did not return a finite number). */
  loss: number[];
  /** Lowest loss up to and including each trial (NaN until one finished). */
  bestSoFar: number[];
}

/**
 * Loss per trial and best-so-far curve.
 *
 * @example
 * ```ts
 * import { searchHistory } from "./history.ts";
 * searchHistory([{ index: 0, params: {}, loss: 3 }, { index: 1, params: {}, loss: 5 }]).bestSoFar; // [3, 3]
 * ```
 */
export function searchHistory(trials: readonly TrialRecord[]): SearchHistory {
  const history: SearchHistory = { trial: [], loss: [], bestSoFar: [] };
  let best = NaN;
  for (const trial of trials) {
    const loss = trial.loss ?? NaN;
    if (!Number.isNaN(loss) && !(loss >= best)) best = loss;
    history.trial.push(trial.index);
    history.loss.push(loss);
    history.bestSoFar.push(best);
  }
  return history;
}
