/**
 * Naive baselines every EquiNet metric is shown beside: the training set's majority class,
 * always flat, always down.
 */
import { type ClassificationReport, classificationReport, type PointsRules } from "./classification.ts";

/** Reports of the naive strategies on a test set. */
export interface NaiveBaselines {
  /** The most frequent training class (lowest index on ties), predicted for every test sample. */
  majority: ClassificationReport & { predictedClass: number };
  /** Always 稳 flat. */
  alwaysFlat: ClassificationReport;
  /** Always 跌 down. */
  alwaysDown: ClassificationReport;
  /** Always 涨 up. */
  alwaysUp: ClassificationReport;
}

/**
 * The majority class of some labels (ignoring −1; lowest class index on ties).
 *
 * @example
 * ```ts
 * import { majorityClass } from "./baselines.ts";
 * majorityClass([2, 2, 1, -1]); // 2
 * ```
 */
export function majorityClass(labels: ArrayLike<number>, classes = 3): number {
  const counts = new Array<number>(classes).fill(0);
  for (let index = 0; index < labels.length; index++) if (labels[index] >= 0) counts[labels[index]]++;
  if (counts.every((count) => count === 0)) throw new RangeError("majorityClass: no labels");
  return counts.indexOf(Math.max(...counts));
}

/**
 * Scores the naive strategies on `testLabels`; the majority class is taken from `trainLabels`
 * (never from the test set).
 *
 * @example
 * ```ts
 * import { naiveBaselines } from "./baselines.ts";
 * naiveBaselines([2, 2, 1], [0, 1, 2, 2]).alwaysFlat.points; // 500
 * ```
 */
export function naiveBaselines(
  trainLabels: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  futureReturns?: ArrayLike<number>,
  rules: PointsRules = {},
): NaiveBaselines {
  const constant = (value: number) =>
    classificationReport(testLabels, new Int32Array(testLabels.length).fill(value), futureReturns, rules);
  const predictedClass = majorityClass(trainLabels);
  return {
    majority: { ...constant(predictedClass), predictedClass },
    alwaysFlat: constant(2),
    alwaysDown: constant(1),
    alwaysUp: constant(0),
  };
}
