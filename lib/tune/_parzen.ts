/**
 * Parzen (truncated Gaussian mixture) estimators behind the TPE, after hyperopt's
 * `adaptive_parzen_normal`, `GMM1`, `GMM1_lpdf` and `ap_categorical_sampler`.
 */
import type { Random } from "../random/mod.ts";

/** A Gaussian mixture truncated to [low, high]. */
export interface Mixture {
  weights: Float64Array;
  means: Float64Array;
  sigmas: Float64Array;
  low: number;
  high: number;
}

/** hyperopt's linear forgetting: the last `forgetting` observations weigh 1, older ones ramp from 1/n up. */
export function forgettingWeights(count: number, forgetting: number): Float64Array {
  const weights = new Float64Array(count).fill(1);
  if (forgetting <= 0 || count <= forgetting) return weights;
  const ramped = count - forgetting;
  for (let index = 0; index < ramped; index++) {
    // numpy linspace(1/count, 1, num=ramped)
    weights[index] = ramped === 1 ? 1 / count : 1 / count + ((1 - 1 / count) * index) / (ramped - 1);
  }
  return weights;
}

/**
 * hyperopt's adaptive Parzen estimator: one component per observation (in trial order, for the
 * forgetting weights) plus the prior N(priorMean, priorSigma) with weight `priorWeight`. Each
 * component's sigma is the larger gap to its sorted neighbours, clipped to
 * [priorSigma / min(100, 1 + components), priorSigma]; the prior keeps priorSigma.
 */
export function adaptiveParzen(
  observations: readonly number[],
  priorWeight: number,
  priorMean: number,
  priorSigma: number,
  forgetting: number,
  low: number,
  high: number,
): Mixture {
  const count = observations.length;
  const observationWeights = forgettingWeights(count, forgetting);
  const entries: { mean: number; weight: number; prior: boolean }[] = [];
  for (let index = 0; index < count; index++) {
    entries.push({ mean: observations[index], weight: observationWeights[index], prior: false });
  }
  // the prior goes before equal observations, as numpy's searchsorted (side left) puts it
  entries.push({ mean: priorMean, weight: priorWeight, prior: true });
  entries.sort((a, b) => a.mean - b.mean || (a.prior ? -1 : b.prior ? 1 : 0));
  const size = entries.length;
  const sigmas = new Float64Array(size);
  if (size === 1) sigmas[0] = priorSigma;
  else if (size === 2) {
    // hyperopt: the lone observation gets half the prior's sigma
    for (let index = 0; index < 2; index++) {
      sigmas[index] = entries[index].prior ? priorSigma : priorSigma * 0.5;
    }
  } else {
    for (let index = 0; index < size; index++) {
      const left = index > 0 ? entries[index].mean - entries[index - 1].mean : -Infinity;
      const right = index < size - 1 ? entries[index + 1].mean - entries[index].mean : -Infinity;
      sigmas[index] = Math.max(left, right);
    }
    const minimum = priorSigma / Math.min(100, 1 + size);
    for (let index = 0; index < size; index++) {
      sigmas[index] = Math.min(priorSigma, Math.max(minimum, sigmas[index]));
    }
  }
  const weights = new Float64Array(size);
  const means = new Float64Array(size);
  let total = 0;
  for (let index = 0; index < size; index++) {
    if (entries[index].prior) sigmas[index] = priorSigma;
    weights[index] = entries[index].weight;
    means[index] = entries[index].mean;
    total += weights[index];
  }
  for (let index = 0; index < size; index++) weights[index] /= total;
  return { weights, means, sigmas, low, high };
}

/** One draw from the truncated mixture (rejection, as hyperopt's GMM1). */
export function sampleMixture(mixture: Mixture, random: Random): number {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    let pick = random.uniform();
    let component = 0;
    while (component < mixture.weights.length - 1 && pick >= mixture.weights[component]) {
      pick -= mixture.weights[component];
      component++;
    }
    const draw = random.normal(mixture.means[component], mixture.sigmas[component]);
    if (draw >= mixture.low && draw <= mixture.high) return draw;
  }
  throw new Error("sampleMixture: no draw inside the bounds after 10,000 tries");
}

/**
 * Log density of the truncated mixture at `x`, or — with `lower`/`upper` — the log probability of
 * the interval (a quantisation bucket), both normalised by the mixture's mass inside [low, high].
 */
export function mixtureLogDensity(mixture: Mixture, x: number, lower?: number, upper?: number): number {
  let accepted = 0, value = 0;
  for (let index = 0; index < mixture.weights.length; index++) {
    const mean = mixture.means[index], sigma = mixture.sigmas[index], weight = mixture.weights[index];
    accepted += weight * (normalCdf((mixture.high - mean) / sigma) - normalCdf((mixture.low - mean) / sigma));
    if (lower !== undefined && upper !== undefined) {
      const from = Math.max(lower, mixture.low), to = Math.min(upper, mixture.high);
      value += weight * (normalCdf((to - mean) / sigma) - normalCdf((from - mean) / sigma));
    } else {
      const z = (x - mean) / sigma;
      value += (weight * Math.exp(-0.5 * z * z)) / (sigma * Math.sqrt(2 * Math.PI));
    }
  }
  return Math.log(Math.max(value, 1e-300)) - Math.log(accepted);
}

/** hyperopt's categorical posterior: forgetting-weighted counts plus `priorWeight` per option, normalised. */
export function categoricalPosterior(
  observations: readonly number[],
  optionCount: number,
  priorWeight: number,
  forgetting: number,
): Float64Array {
  const weights = forgettingWeights(observations.length, forgetting);
  const probabilities = new Float64Array(optionCount).fill(priorWeight);
  for (let index = 0; index < observations.length; index++) {
    probabilities[observations[index]] += weights[index];
  }
  let total = 0;
  for (const probability of probabilities) total += probability;
  for (let index = 0; index < optionCount; index++) probabilities[index] /= total;
  return probabilities;
}

/** Standard normal CDF via the Chebyshev erfc of Numerical Recipes (`erfcc`, relative error < 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = t *
    Math.exp(
      -x * x - 1.26551223 +
        t * (1.00002368 +
            t * (0.37409196 +
                t * (0.09678418 +
                    t * (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? y : 2 - y;
}
