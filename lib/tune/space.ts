/**
 * Search spaces for hyperparameter tuning: categorical choices, uniform, log-uniform and their
 * quantised forms (hyperopt's `hp.choice`, `hp.uniform`, `hp.loguniform`, `hp.quniform`,
 * `hp.qloguniform`).
 *
 * @module
 */
import type { Random } from "../random/mod.ts";

/** A categorical parameter: one of `options`, uniformly a priori. */
export interface ChoiceParam {
  /** Discriminant. */
  kind: "choice";
  /** The values to choose from (numbers or strings, kept as given). */
  options: readonly (number | string)[];
}

/** A continuous parameter, uniform between `low` and `high` (or uniform in log space). */
export interface NumericParam {
  /** Discriminant: `"uniform"` or `"logUniform"` (uniform in ln x). */
  kind: "uniform" | "logUniform";
  /** Lower bound (> 0 for log-uniform). */
  low: number;
  /** Upper bound. */
  high: number;
  /** Quantisation step: values are rounded to a multiple of it, then kept within the bounds. 0 = none. */
  step: number;
}

/** One parameter of a space. */
export type ParamSpec = ChoiceParam | NumericParam;

/** A space: parameter name → its distribution. */
export type SearchSpace = Record<string, ParamSpec>;

/** A point of a space: parameter name → value. */
export type Params = Record<string, number | string>;

/**
 * A categorical parameter.
 *
 * @example
 * ```ts
 * import { choice } from "./space.ts";
 * const units = choice([32, 64, 128]);
 * ```
 */
export function choice(options: readonly (number | string)[]): ChoiceParam {
  if (options.length === 0) throw new RangeError("choice() needs at least one option");
  return { kind: "choice", options: [...options] };
}

/**
 * Uniform on [low, high]; with `step` > 0 rounded to multiples of `step` (hyperopt's `quniform`).
 *
 * @example
 * ```ts
 * import { uniform } from "./space.ts";
 * const dropout = uniform(0.1, 0.5);
 * ```
 */
export function uniform(low: number, high: number, step = 0): NumericParam {
  checkBounds(low, high, step, false);
  return { kind: "uniform", low, high, step };
}

/**
 * Log-uniform on [low, high] (ln x uniform); with `step` > 0 rounded to multiples of `step`.
 *
 * Porting note: hyperopt's `hp.loguniform(label, a, b)` takes the bounds of ln x; we take the
 * bounds of x itself (`logUniform(1e-4, 1e-2)` is hyperopt's `loguniform(log(1e-4), log(1e-2))`).
 *
 * @example
 * ```ts
 * import { logUniform } from "./space.ts";
 * const learningRate = logUniform(1e-4, 1e-2);
 * ```
 */
export function logUniform(low: number, high: number, step = 0): NumericParam {
  checkBounds(low, high, step, true);
  return { kind: "logUniform", low, high, step };
}

/**
 * The seed's search space for the two-branch LSTM: units {32, 64, 128}, dropout U(0.1, 0.5),
 * learning rate logU(1e-4, 1e-2), batch {32, 64, 128}, window {30, 60, 90} days.
 */
export const HYBRID_LSTM_SPACE: SearchSpace = {
  units: choice([32, 64, 128]),
  dropout: uniform(0.1, 0.5),
  learningRate: logUniform(1e-4, 1e-2),
  batchSize: choice([32, 64, 128]),
  windowDays: choice([30, 60, 90]),
};

/**
 * One draw from the prior of `spec` (uniform over options / range).
 *
 * @example
 * ```ts
 * import { createRandom } from "../random/mod.ts";
 * import { sampleParam, uniform } from "./space.ts";
 * sampleParam(uniform(0, 1), createRandom(1));
 * ```
 */
export function sampleParam(spec: ParamSpec, random: Random): number | string {
  if (spec.kind === "choice") return spec.options[random.int(spec.options.length)];
  const [low, high] = workingBounds(spec);
  return fromWorking(spec, low + (high - low) * random.uniform());
}

/** Bounds of the space the density model works in: x for uniform, ln x for log-uniform. */
export function workingBounds(spec: NumericParam): [number, number] {
  return spec.kind === "logUniform" ? [Math.log(spec.low), Math.log(spec.high)] : [spec.low, spec.high];
}

/** Maps a working-space value back to a parameter value: exp for log-uniform, then quantises. */
export function fromWorking(spec: NumericParam, working: number): number {
  const value = spec.kind === "logUniform" ? Math.exp(working) : working;
  return quantise(spec, value);
}

/** Rounds to a multiple of `spec.step` (if any) and keeps the value within the bounds. */
export function quantise(spec: NumericParam, value: number): number {
  let result = value;
  if (spec.step > 0) {
    result = Math.round(value / spec.step) * spec.step;
    if (result < spec.low) result += spec.step;
    if (result > spec.high) result -= spec.step;
  }
  return Math.min(spec.high, Math.max(spec.low, result));
}

function checkBounds(low: number, high: number, step: number, positive: boolean): void {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new RangeError(`space: need finite low < high, got ${low}, ${high}`);
  }
  if (positive && !(low > 0)) throw new RangeError(`logUniform: low must be > 0, got ${low}`);
  if (!(step >= 0) || step >= high - low) {
    throw new RangeError(`space: step must be in [0, high − low), got ${step}`);
  }
}
