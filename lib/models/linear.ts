/**
 * Ridge regression solved in closed form (normal equations), the linear baseline beside every LSTM.
 */

/** Options of {@link fitRidge}. */
export interface RidgeArgs {
  /**
   * L2 penalty λ on the weights (not the intercept): minimises Σ(y − Xw − b)² + λ‖w‖². Default 1e-6
   * (nearly ordinary least squares, enough to keep collinear inputs such as open/high/low solvable).
   */
  l2?: number;
}

/** A fitted linear model ŷ = x·weights + intercept. */
export interface RidgeModel {
  /** One weight per input column. */
  weights: Float64Array;
  /** The unpenalised intercept. */
  intercept: number;
  /** Predicts every row of a row-major [rows][weights.length] matrix. */
  predict(inputs: ArrayLike<number>): Float64Array;
}

/**
 * Fits ridge regression on a row-major matrix `inputs` ([rows][columns]) against `targets`. Columns
 * are centred first so the intercept is not penalised; the (columns × columns) normal equations
 * (XᵀX + λI) w = Xᵀy are solved by Cholesky decomposition in float64.
 *
 * @example
 * ```ts
 * import { fitRidge } from "./linear.ts";
 * // y = 2x + 1
 * const model = fitRidge(Float64Array.from([0, 1, 2, 3]), Float64Array.from([1, 3, 5, 7]), { l2: 0 });
 * model.predict([4]); // ≈ [9]
 * ```
 */
export function fitRidge(
  inputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  args: RidgeArgs = {},
): RidgeModel {
  const l2 = args.l2 ?? 1e-6;
  const rows = targets.length;
  if (rows < 1) throw new RangeError("fitRidge: no rows");
  if (inputs.length % rows !== 0) {
    throw new RangeError(`fitRidge: ${inputs.length} input values do not split into ${rows} rows`);
  }
  if (!(l2 >= 0)) throw new RangeError(`fitRidge: l2 must be ≥ 0, got ${l2}`);
  const columns = inputs.length / rows;
  for (let index = 0; index < inputs.length; index++) {
    if (!Number.isFinite(inputs[index])) {
      throw new RangeError(
        `fitRidge: input at row ${Math.floor(index / columns)}, column ${index % columns} is ${
          inputs[index]
        }`,
      );
    }
  }
  for (let row = 0; row < rows; row++) {
    if (!Number.isFinite(targets[row])) {
      throw new RangeError(`fitRidge: target at row ${row} is ${targets[row]}`);
    }
  }
  const means = new Float64Array(columns);
  let targetMean = 0;
  for (let row = 0; row < rows; row++) {
    targetMean += targets[row];
    for (let column = 0; column < columns; column++) means[column] += inputs[row * columns + column];
  }
  targetMean /= rows;
  for (let column = 0; column < columns; column++) means[column] /= rows;
  // Perf note: O(rows × columns²) accumulation of XᵀX over centred rows; columns is small (≤ ~100).
  const gram = new Float64Array(columns * columns);
  const moment = new Float64Array(columns);
  const centred = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      centred[column] = inputs[row * columns + column] - means[column];
    }
    const y = targets[row] - targetMean;
    for (let i = 0; i < columns; i++) {
      const xi = centred[i];
      moment[i] += xi * y;
      for (let j = 0; j <= i; j++) gram[i * columns + j] += xi * centred[j];
    }
  }
  for (let i = 0; i < columns; i++) {
    gram[i * columns + i] += l2;
    for (let j = 0; j < i; j++) gram[j * columns + i] = gram[i * columns + j];
  }
  const weights = solveSymmetric(gram, moment, columns);
  let intercept = targetMean;
  for (let column = 0; column < columns; column++) intercept -= weights[column] * means[column];
  return {
    weights,
    intercept,
    predict(x: ArrayLike<number>): Float64Array {
      if (x.length % columns !== 0) {
        throw new RangeError(`RidgeModel.predict: ${x.length} values are not rows of ${columns} columns`);
      }
      const count = x.length / columns;
      const result = new Float64Array(count);
      for (let row = 0; row < count; row++) {
        let sum = intercept;
        for (let column = 0; column < columns; column++) sum += weights[column] * x[row * columns + column];
        result[row] = sum;
      }
      return result;
    },
  };
}

/** Solves A w = b for symmetric positive (semi)definite A by Cholesky; refuses a singular system. */
function solveSymmetric(matrix: Float64Array, vector: Float64Array, size: number): Float64Array {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * size + j];
      for (let k = 0; k < j; k++) sum -= lower[i * size + k] * lower[j * size + k];
      if (i === j) {
        if (!(sum > 1e-12 * Math.max(1, matrix[i * size + i]))) {
          throw new RangeError(
            `fitRidge: the normal equations are singular at column ${i} (a constant or duplicated input); raise l2`,
          );
        }
        lower[i * size + i] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / lower[j * size + j];
      }
    }
  }
  const forward = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = vector[i];
    for (let k = 0; k < i; k++) sum -= lower[i * size + k] * forward[k];
    forward[i] = sum / lower[i * size + i];
  }
  const solution = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = forward[i];
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i] * solution[k];
    solution[i] = sum / lower[i * size + i];
  }
  return solution;
}
