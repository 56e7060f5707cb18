/**
 * Multinomial logistic regression, trained deterministically by full-batch gradient descent in
 * plain typed-array loops (no randomness, no TensorFlow.js): the linear baseline beside EquiNet.
 */
import type { FeatureMatrix } from "../features/window_summary.ts";

/** Options of {@link LogisticRegression}. */
export interface LogisticRegressionArgs {
  /** Number of classes. Default 3. */
  classes?: number;
  /** L2 penalty on the weights (not the intercepts), per sample. Default 1e-3. */
  l2?: number;
  /** Gradient-descent steps over the whole training set. Default 300. */
  iterations?: number;
  /** Step size on standardised features. Default 0.5. */
  learningRate?: number;
}

/**
 * Softmax regression on standardised features (mean and deviation fitted on the training rows
 * only). Weights start at zero, so one training set always gives the same model.
 *
 * @example
 * ```ts
 * import { LogisticRegression } from "./logistic.ts";
 * const model = new LogisticRegression({ iterations: 100 });
 * model.fit({ values: Float64Array.from([0, 1, 2, 3]), rows: 4, columns: 1, names: ["x"] }, [1, 1, 0, 0]);
 * model.predictProbabilities({ values: Float64Array.from([3]), rows: 1, columns: 1, names: ["x"] });
 * ```
 */
export class LogisticRegression {
  /** Options with defaults applied. */
  readonly args: Required<LogisticRegressionArgs>;
  /** `columns × classes` weights on standardised features (after {@link fit}). */
  weights: Float64Array = new Float64Array(0);
  /** Per-class intercepts. */
  intercepts: Float64Array = new Float64Array(0);
  /** Training means of the features. */
  means: Float64Array = new Float64Array(0);
  /** Training standard deviations of the features (1 where constant). */
  deviations: Float64Array = new Float64Array(0);
  /** Mean training cross-entropy after each iteration. */
  lossHistory: number[] = [];

  /** An unfitted model; call {@link fit}. */
  constructor(args: LogisticRegressionArgs = {}) {
    this.args = {
      classes: args.classes ?? 3,
      l2: args.l2 ?? 1e-3,
      iterations: args.iterations ?? 300,
      learningRate: args.learningRate ?? 0.5,
    };
  }

  /** Fits on a feature matrix and labels (0..classes − 1). Returns this. */
  fit(features: FeatureMatrix, labels: ArrayLike<number>): this {
    const { rows, columns } = features;
    const { classes, l2, iterations, learningRate } = this.args;
    if (labels.length !== rows) {
      throw new RangeError(`LogisticRegression.fit: ${rows} rows but ${labels.length} labels`);
    }
    for (let row = 0; row < rows; row++) {
      if (!(labels[row] >= 0 && labels[row] < classes)) {
        throw new RangeError(`LogisticRegression.fit: label ${labels[row]} at row ${row} is not a class`);
      }
    }
    this.means = new Float64Array(columns);
    this.deviations = new Float64Array(columns);
    for (let column = 0; column < columns; column++) {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += features.values[row * columns + column];
      const mean = sum / rows;
      let squares = 0;
      for (let row = 0; row < rows; row++) squares += (features.values[row * columns + column] - mean) ** 2;
      this.means[column] = mean;
      this.deviations[column] = Math.sqrt(squares / rows) || 1;
    }
    const x = this.#standardise(features);
    this.weights = new Float64Array(columns * classes);
    this.intercepts = new Float64Array(classes);
    this.lossHistory = [];
    const probabilities = new Float64Array(rows * classes);
    const weightGradient = new Float64Array(columns * classes);
    const interceptGradient = new Float64Array(classes);
    for (let iteration = 0; iteration < iterations; iteration++) {
      this.#probabilities(x, rows, probabilities);
      weightGradient.fill(0);
      interceptGradient.fill(0);
      let loss = 0;
      // Hot loop: gradient of the mean cross-entropy, (p − onehot)ᵀ x / rows.
      for (let row = 0; row < rows; row++) {
        loss -= Math.log(Math.max(probabilities[row * classes + labels[row]], 1e-300));
        for (let k = 0; k < classes; k++) {
          const error = probabilities[row * classes + k] - (labels[row] === k ? 1 : 0);
          interceptGradient[k] += error;
          for (let column = 0; column < columns; column++) {
            weightGradient[column * classes + k] += error * x[row * columns + column];
          }
        }
      }
      this.lossHistory.push(loss / rows);
      for (let index = 0; index < weightGradient.length; index++) {
        this.weights[index] -= learningRate * (weightGradient[index] / rows + l2 * this.weights[index]);
      }
      for (let k = 0; k < classes; k++) this.intercepts[k] -= learningRate * interceptGradient[k] / rows;
    }
    return this;
  }

  #standardise(features: FeatureMatrix): Float64Array {
    const { rows, columns } = features;
    if (columns !== this.means.length) {
      throw new RangeError(`LogisticRegression: ${columns} feature columns, fitted on ${this.means.length}`);
    }
    const x = new Float64Array(rows * columns);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const at = row * columns + column;
        x[at] = (features.values[at] - this.means[column]) / this.deviations[column];
      }
    }
    return x;
  }

  #probabilities(x: Float64Array, rows: number, out: Float64Array): void {
    const classes = this.args.classes;
    const columns = this.means.length;
    const scores = new Float64Array(classes);
    for (let row = 0; row < rows; row++) {
      let highest = -Infinity;
      for (let k = 0; k < classes; k++) {
        let score = this.intercepts[k];
        for (let column = 0; column < columns; column++) {
          score += x[row * columns + column] * this.weights[column * classes + k];
        }
        scores[k] = score;
        highest = Math.max(highest, score);
      }
      let total = 0;
      for (let k = 0; k < classes; k++) {
        scores[k] = Math.exp(scores[k] - highest);
        total += scores[k];
      }
      for (let k = 0; k < classes; k++) out[row * classes + k] = scores[k] / total;
    }
  }

  /** Class probabilities `[rows × classes]`, row-major. */
  predictProbabilities(features: FeatureMatrix): Float64Array {
    if (this.means.length === 0) throw new Error("LogisticRegression: call fit() first");
    const out = new Float64Array(features.rows * this.args.classes);
    this.#probabilities(this.#standardise(features), features.rows, out);
    return out;
  }
}
