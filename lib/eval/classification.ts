/**
 * Metrics of three-way (涨 up / 跌 down / 稳 flat) predictions, including EquiNet's points score
 * (积分制). Classes are indexed UP 0, DOWN 1, FLAT 2 as in `lib/features/labels.ts`.
 */
const UP = 0;
const DOWN = 1;
const FLAT = 2;

function checkPair(labels: ArrayLike<number>, predictions: ArrayLike<number>, what: string): void {
  if (labels.length !== predictions.length) {
    throw new RangeError(`${what}: ${labels.length} labels but ${predictions.length} predictions`);
  }
  if (labels.length === 0) throw new RangeError(`${what}: no samples`);
}

/**
 * Share of predictions equal to the label.
 *
 * @example
 * ```ts
 * import { accuracy } from "./classification.ts";
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * ```
 */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  checkPair(labels, predictions, "accuracy");
  let correct = 0;
  for (let index = 0; index < labels.length; index++) if (labels[index] === predictions[index]) correct++;
  return correct / labels.length;
}

/**
 * Counts `matrix[true][predicted]`.
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "./classification.ts";
 * confusionMatrix([0, 1, 2], [0, 0, 2]); // [[1,0,0],[1,0,0],[0,0,1]]
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes = 3,
): number[][] {
  checkPair(labels, predictions, "confusionMatrix");
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index];
    const prediction = predictions[index];
    if (!(label >= 0 && label < classes && prediction >= 0 && prediction < classes)) {
      throw new RangeError(`confusionMatrix: sample ${index} has label ${label}, prediction ${prediction}`);
    }
    matrix[label][prediction]++;
  }
  return matrix;
}

/** Precision and recall per class; NaN where a class was never predicted (precision) or never true (recall). */
export interface PrecisionRecall {
  /** Of the samples predicted as class k, the share truly k. */
  precision: number[];
  /** Of the samples truly k, the share predicted k. */
  recall: number[];
}

/**
 * Per-class precision and recall from a confusion matrix.
 *
 * @example
 * ```ts
 * import { confusionMatrix, precisionRecall } from "./classification.ts";
 * precisionRecall(confusionMatrix([0, 0, 1], [0, 1, 1])).recall; // [0.5, 1, NaN]
 * ```
 */
export function precisionRecall(matrix: readonly (readonly number[])[]): PrecisionRecall {
  const classes = matrix.length;
  const precision: number[] = [];
  const recall: number[] = [];
  for (let k = 0; k < classes; k++) {
    let predicted = 0;
    let actual = 0;
    for (let other = 0; other < classes; other++) {
      predicted += matrix[other][k];
      actual += matrix[k][other];
    }
    precision.push(predicted === 0 ? NaN : matrix[k][k] / predicted);
    recall.push(actual === 0 ? NaN : matrix[k][k] / actual);
  }
  return { precision, recall };
}

/** Points of EquiNet's 积分制, per prediction. */
export interface PointsRules {
  /** Points for a correct prediction. Default +1. */
  correct?: number;
  /** Points when the truth is up and the prediction down. Default −1. */
  upPredictedDown?: number;
  /** Points when the truth is down and the prediction up. Default −2. */
  downPredictedUp?: number;
  /** Points for every other mistake (involving flat). Default 0. */
  otherMistake?: number;
}

/**
 * EquiNet's points score (积分制), scaled to 1000 predictions: +1 per correct prediction, −1 per
 * up stock predicted down, −2 per down stock predicted up, 0 otherwise; the sum × 1000 / n.
 * The original scored exactly 1000 samples; scaling makes other sample sizes comparable.
 *
 * @example
 * ```ts
 * import { pointsScore } from "./classification.ts";
 * pointsScore([0, 1, 2, 1], [0, 0, 2, 2]); // (1 − 2 + 1 + 0) × 1000 / 4 = 0
 * ```
 */
export function pointsScore(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  rules: PointsRules = {},
): number {
  checkPair(labels, predictions, "pointsScore");
  const correct = rules.correct ?? 1;
  const upPredictedDown = rules.upPredictedDown ?? -1;
  const downPredictedUp = rules.downPredictedUp ?? -2;
  const otherMistake = rules.otherMistake ?? 0;
  let points = 0;
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index];
    const prediction = predictions[index];
    if (label === prediction) points += correct;
    else if (label === UP && prediction === DOWN) points += upPredictedDown;
    else if (label === DOWN && prediction === UP) points += downPredictedUp;
    else points += otherMistake;
  }
  return (points * 1000) / labels.length;
}

/**
 * Share of true-up samples predicted up (NaN without true ups).
 *
 * @example
 * ```ts
 * import { upRecall } from "./classification.ts";
 * upRecall([0, 0, 1], [0, 2, 0]); // 0.5
 * ```
 */
export function upRecall(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  return classShareWhere(labels, predictions, UP, UP, "upRecall");
}

/**
 * Share of true-down samples predicted up (NaN without true downs): the costliest mistake.
 *
 * @example
 * ```ts
 * import { downMisjudge } from "./classification.ts";
 * downMisjudge([1, 1, 0], [0, 1, 0]); // 0.5
 * ```
 */
export function downMisjudge(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  return classShareWhere(labels, predictions, DOWN, UP, "downMisjudge");
}

function classShareWhere(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  truth: number,
  predicted: number,
  what: string,
): number {
  checkPair(labels, predictions, what);
  let total = 0;
  let hits = 0;
  for (let index = 0; index < labels.length; index++) {
    if (labels[index] !== truth) continue;
    total++;
    if (predictions[index] === predicted) hits++;
  }
  return total === 0 ? NaN : hits / total;
}

/**
 * Accuracy on the samples with the largest realised returns: the top `topShare` (default 5%,
 * at least one sample; ties broken by sample order).
 *
 * @example
 * ```ts
 * import { extremeUpCapture } from "./classification.ts";
 * extremeUpCapture([0, 2, 2], [0, 2, 1], [0.09, 0.0, 0.01], 0.34); // top 2 (0.09, 0.01): 1 of 2 → 0.5
 * ```
 */
export function extremeUpCapture(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  futureReturns: ArrayLike<number>,
  topShare = 0.05,
): number {
  checkPair(labels, predictions, "extremeUpCapture");
  if (futureReturns.length !== labels.length) {
    throw new RangeError(`extremeUpCapture: ${futureReturns.length} returns for ${labels.length} labels`);
  }
  if (!(topShare > 0 && topShare <= 1)) {
    throw new RangeError(`extremeUpCapture: topShare ${topShare} not in (0, 1]`);
  }
  const order = Array.from({ length: labels.length }, (_, index) => index)
    .sort((a, b) => futureReturns[b] - futureReturns[a] || a - b);
  const count = Math.max(1, Math.ceil(labels.length * topShare));
  let correct = 0;
  for (let rank = 0; rank < count; rank++) {
    if (labels[order[rank]] === predictions[order[rank]]) correct++;
  }
  return correct / count;
}

/** Everything {@link classificationReport} measures. */
export interface ClassificationReport {
  /** Number of samples. */
  count: number;
  /** Share correct. */
  accuracy: number;
  /** Points per 1000 predictions ({@link pointsScore}). */
  points: number;
  /** `[true][predicted]` counts. */
  confusion: number[][];
  /** Per-class precision (UP, DOWN, FLAT). */
  precision: number[];
  /** Per-class recall (UP, DOWN, FLAT). */
  recall: number[];
  /** Share of true ups predicted up. */
  upRecall: number;
  /** Share of true downs predicted up. */
  downMisjudge: number;
  /** Accuracy on the top 5% realised returns (NaN when no returns were given). */
  extremeUpCapture: number;
  /** Share of predictions per class (UP, DOWN, FLAT). */
  predictedShares: number[];
}

/**
 * All metrics at once.
 *
 * @example
 * ```ts
 * import { classificationReport } from "./classification.ts";
 * const report = classificationReport([0, 1, 2, 2], [2, 2, 2, 2]);
 * report.points; // 500
 * ```
 */
export function classificationReport(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  futureReturns?: ArrayLike<number>,
  rules: PointsRules = {},
): ClassificationReport {
  const confusion = confusionMatrix(labels, predictions);
  const { precision, recall } = precisionRecall(confusion);
  const predictedShares = [0, 1, 2].map((k) =>
    (confusion[0][k] + confusion[1][k] + confusion[2][k]) / labels.length
  );
  return {
    count: labels.length,
    accuracy: accuracy(labels, predictions),
    points: pointsScore(labels, predictions, rules),
    confusion,
    precision,
    recall,
    upRecall: upRecall(labels, predictions),
    downMisjudge: downMisjudge(labels, predictions),
    extremeUpCapture: futureReturns ? extremeUpCapture(labels, predictions, futureReturns) : NaN,
    predictedShares,
  };
}

/**
 * Arg-max class of each row of `[n × classes]` probabilities (or logits); the first on ties.
 *
 * @example
 * ```ts
 * import { argmaxPredictions } from "./classification.ts";
 * argmaxPredictions(Float32Array.from([0.2, 0.5, 0.3])); // Int32Array [1]
 * ```
 */
export function argmaxPredictions(probabilities: ArrayLike<number>, classes = 3): Int32Array {
  const count = probabilities.length / classes;
  if (!Number.isInteger(count)) {
    throw new RangeError(`argmaxPredictions: length not a multiple of ${classes}`);
  }
  const out = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if (probabilities[row * classes + k] > probabilities[row * classes + best]) best = k;
    }
    out[row] = best;
  }
  return out;
}

/** Options of {@link gatePredictions}. */
export interface ConfidenceGateArgs {
  /** Predict up only when p_up exceeds this. Default 0.6. */
  upThreshold?: number;
  /** …and p_up exceeds p_down times this. Default 2. */
  upOverDown?: number;
  /** Predict down only when p_down exceeds this. Default 0.7. */
  downThreshold?: number;
  /** …and p_down exceeds p_up times this. Default 3. */
  downOverUp?: number;
}

/**
 * Confidence gating (置信度门控): up only when p_up > 0.6 and p_up > 2·p_down; down only when
 * p_down > 0.7 and p_down > 3·p_up; flat otherwise. Input `[n × 3]` probabilities (UP, DOWN, FLAT).
 *
 * @example
 * ```ts
 * import { gatePredictions } from "./classification.ts";
 * gatePredictions(Float32Array.from([0.65, 0.3, 0.05, 0.5, 0.1, 0.4])); // Int32Array [2, 2]
 * ```
 */
export function gatePredictions(probabilities: ArrayLike<number>, args: ConfidenceGateArgs = {}): Int32Array {
  const upThreshold = args.upThreshold ?? 0.6;
  const upOverDown = args.upOverDown ?? 2;
  const downThreshold = args.downThreshold ?? 0.7;
  const downOverUp = args.downOverUp ?? 3;
  const count = probabilities.length / 3;
  if (!Number.isInteger(count)) throw new RangeError("gatePredictions: length not a multiple of 3");
  const out = new Int32Array(count).fill(FLAT);
  for (let row = 0; row < count; row++) {
    const up = probabilities[row * 3 + UP];
    const down = probabilities[row * 3 + DOWN];
    if (up > upThreshold && up > upOverDown * down) out[row] = UP;
    if (down > downThreshold && down > downOverUp * up) out[row] = DOWN;
  }
  return out;
}

/**
 * One prediction as the original printed it, on one line: `涨 21% · 跌 54% · 稳 25%`
 * (probabilities in class order UP, DOWN, FLAT; rounded to whole percent).
 *
 * @example
 * ```ts
 * import { formatPrediction } from "./classification.ts";
 * formatPrediction([0.21, 0.54, 0.25]); // "涨 21% · 跌 54% · 稳 25%"
 * ```
 */
export function formatPrediction(probabilities: ArrayLike<number>): string {
  if (probabilities.length !== 3) {
    throw new RangeError("formatPrediction: needs 3 probabilities (up, down, flat)");
  }
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  return `涨 ${percent(probabilities[UP])} · 跌 ${percent(probabilities[DOWN])} · 稳 ${
    percent(probabilities[FLAT])
  }`;
}
