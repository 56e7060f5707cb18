/**
 * The tree-structured Parzen estimator's proposal step (Bergstra et al. 2011), after hyperopt's
 * `tpe.suggest`.
 *
 * Porting note — what we implement of hyperopt's defaults:
 * - `startupTrials` 20 (`n_startup_jobs`): the first 20 trials draw from the prior.
 * - `gamma` 0.25 with hyperopt's split: the best `min(ceil(gamma × √n), 25)` finished trials form
 *   the "good" set l(x), the rest g(x) (ties broken by trial order).
 * - `candidates` 24 (`n_EI_candidates`): 24 draws from l(x) per parameter; the one with the largest
 *   log l(x) − log g(x) wins. As in hyperopt, parameters are proposed independently.
 * - `priorWeight` 1.0; linear forgetting over the last 25 observations (`LF`).
 * - Parzen bandwidths: the prior N((low+high)/2, high−low) is one component; each observation's
 *   sigma is its larger gap to the sorted neighbours, clipped to [prior σ / min(100, 1 + n), prior σ];
 *   with a single observation it gets prior σ / 2. Densities are truncated to the bounds; log-uniform
 *   parameters are modelled in ln x; quantised ones score the probability of their rounding bucket.
 * - Categorical: forgetting-weighted counts plus `priorWeight` per option.
 * - Trials whose objective was not a finite number are excluded from the model (hyperopt's failed
 *   trials) but count against the budget.
 *
 * @module
 */
import type { Random } from "../random/mod.ts";
import { adaptiveParzen, categoricalPosterior, mixtureLogDensity, sampleMixture } from "./_parzen.ts";
import {
  fromWorking,
  type NumericParam,
  type Params,
  sampleParam,
  type SearchSpace,
  workingBounds,
} from "./space.ts";

/** TPE settings (hyperopt's defaults). */
export interface TpeArgs {
  /** Trials drawn from the prior before the model is used. Default 20. */
  startupTrials?: number;
  /** Share (times √n) of trials in the good set. Default 0.25. */
  gamma?: number;
  /** Candidates drawn from l(x) per parameter. Default 24. */
  candidates?: number;
  /** Weight of the prior component. Default 1.0. */
  priorWeight?: number;
  /** Linear forgetting horizon (observations at full weight). Default 25. */
  forgetting?: number;
}

/** A finished trial as the proposal step sees it. */
export interface ObservedTrial {
  /** The parameters tried. */
  params: Params;
  /** The objective value, or null when it was not a finite number. */
  loss: number | null;
}

/**
 * Proposes the next point: from the prior during the first `startupTrials` trials, else by TPE.
 * Deterministic given `random`'s state and `history`.
 *
 * @example
 * ```ts
 * import { createRandom } from "../random/mod.ts";
 * import { HYBRID_LSTM_SPACE } from "./space.ts";
 * import { suggestTpe } from "./tpe.ts";
 * const params = suggestTpe(HYBRID_LSTM_SPACE, [], createRandom(1));
 * ```
 */
export function suggestTpe(
  space: SearchSpace,
  history: readonly ObservedTrial[],
  random: Random,
  args: TpeArgs = {},
): Params {
  const startupTrials = args.startupTrials ?? 20;
  const gamma = args.gamma ?? 0.25;
  const candidates = args.candidates ?? 24;
  const priorWeight = args.priorWeight ?? 1.0;
  const forgetting = args.forgetting ?? 25;
  const finished = history.map((trial, order) => ({ ...trial, order })).filter((trial) =>
    trial.loss !== null
  );
  const params: Params = {};
  if (history.length < startupTrials || finished.length < 2) {
    for (const name of Object.keys(space)) params[name] = sampleParam(space[name], random.fork(name));
    return params;
  }
  const ranked = [...finished].sort((a, b) => a.loss! - b.loss! || a.order - b.order);
  const belowCount = Math.min(Math.ceil(gamma * Math.sqrt(finished.length)), forgetting);
  const belowOrders = new Set(ranked.slice(0, belowCount).map((trial) => trial.order));
  // trial order is kept inside each set, for the forgetting weights
  const below = finished.filter((trial) => belowOrders.has(trial.order));
  const above = finished.filter((trial) => !belowOrders.has(trial.order));
  for (const name of Object.keys(space)) {
    const spec = space[name];
    const stream = random.fork(name);
    if (spec.kind === "choice") {
      const indexOf = (trial: ObservedTrial) => {
        const index = spec.options.indexOf(trial.params[name]);
        if (index < 0) throw new RangeError(`TPE: value ${trial.params[name]} of "${name}" is not an option`);
        return index;
      };
      const good = categoricalPosterior(below.map(indexOf), spec.options.length, priorWeight, forgetting);
      const bad = categoricalPosterior(above.map(indexOf), spec.options.length, priorWeight, forgetting);
      let best = -1, bestScore = -Infinity;
      for (let draw = 0; draw < candidates; draw++) {
        let pick = stream.uniform(), option = 0;
        while (option < good.length - 1 && pick >= good[option]) pick -= good[option++];
        const score = Math.log(good[option]) - Math.log(bad[option]);
        if (score > bestScore) [best, bestScore] = [option, score];
      }
      params[name] = spec.options[best];
    } else {
      params[name] = proposeNumeric(spec, below, above, name, stream, candidates, priorWeight, forgetting);
    }
  }
  return params;
}

function proposeNumeric(
  spec: NumericParam,
  below: readonly ObservedTrial[],
  above: readonly ObservedTrial[],
  name: string,
  stream: Random,
  candidates: number,
  priorWeight: number,
  forgetting: number,
): number {
  const [low, high] = workingBounds(spec);
  const toWorking = (trial: ObservedTrial) => {
    const value = trial.params[name];
    if (typeof value !== "number") throw new RangeError(`TPE: value ${value} of "${name}" is not a number`);
    return spec.kind === "logUniform" ? Math.log(value) : value;
  };
  const priorMean = (low + high) / 2, priorSigma = high - low;
  const good = adaptiveParzen(
    below.map(toWorking),
    priorWeight,
    priorMean,
    priorSigma,
    forgetting,
    low,
    high,
  );
  const bad = adaptiveParzen(above.map(toWorking), priorWeight, priorMean, priorSigma, forgetting, low, high);
  let best = NaN, bestScore = -Infinity;
  for (let draw = 0; draw < candidates; draw++) {
    const value = fromWorking(spec, sampleMixture(good, stream));
    let score: number;
    if (spec.step > 0) {
      const [lower, upper] = spec.kind === "logUniform"
        ? [Math.log(Math.max(value - spec.step / 2, 1e-300)), Math.log(value + spec.step / 2)]
        : [value - spec.step / 2, value + spec.step / 2];
      score = mixtureLogDensity(good, 0, lower, upper) - mixtureLogDensity(bad, 0, lower, upper);
    } else {
      const working = spec.kind === "logUniform" ? Math.log(value) : value;
      score = mixtureLogDensity(good, working) - mixtureLogDensity(bad, working);
    }
    if (score > bestScore) [best, bestScore] = [value, score];
  }
  return best;
}
