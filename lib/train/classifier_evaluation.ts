/** Per-epoch evaluation of an up/down/flat classifier on a fixed set of windows. */
import type { WindowBatch } from "../features/equinet_windows.ts";
import {
  argmaxPredictions,
  classificationReport,
  type ConfidenceGateArgs,
  gatePredictions,
  type PointsRules,
} from "../eval/classification.ts";
import type { Evaluation } from "./trainer.ts";

/** Options of {@link classifierEvaluation}. */
export interface ClassifierEvaluationArgs {
  /** Points rules of the score. Default EquiNet's (+1 / −1 / −2 / 0). */
  rules?: PointsRules;
  /** Confidence gating of predictions; null = arg-max. Default null. */
  gate?: ConfidenceGateArgs | null;
  /**
   * What the score (the best-checkpoint rule) is: `"points"` per 1000 predictions (EquiNet's
   * 积分制 rule of the 2025-05-31 version), `"accuracy"` (the rule of the version whose results
   * table is published) or `"loss"` (the negated mean cross-entropy: a rule that does not reward
   * predicting whatever class paid in the selection segment — EquiNet's validation segment sits in the
   * September 2024 rally). Default "points".
   */
  selectBy?: SelectionRule;
}

/** A best-checkpoint rule of {@link classifierEvaluation}. */
export type SelectionRule = "points" | "accuracy" | "loss";

/**
 * The score (higher is better) a best-checkpoint rule gives an epoch, from the metrics
 * {@link classifierEvaluation} reports: points, accuracy, or the negated mean cross-entropy.
 *
 * @example
 * ```ts
 * import { selectionScore } from "./classifier_evaluation.ts";
 * selectionScore("loss", { loss: 0.9, points: 10, accuracy: 0.5 }); // -0.9
 * ```
 */
export function selectionScore(rule: SelectionRule, metrics: Record<string, number>): number {
  const value = rule === "loss" ? -metrics.loss : metrics[rule];
  if (typeof value !== "number") throw new Error(`selectionScore: no ${rule} in the metrics`);
  return value;
}

/**
 * An `evaluate` function for {@link trainModel}: predicts a fixed batch (dropout off) and scores
 * it. Score = points per 1000 predictions (EquiNet's best-checkpoint rule) or accuracy; metrics: accuracy,
 * points, loss (mean cross-entropy of the probabilities), upRecall, downMisjudge,
 * extremeUpCapture, and the predicted class shares.
 *
 * @example
 * ```ts
 * import { classifierEvaluation } from "./classifier_evaluation.ts";
 * declare const model: import("../models/mod.ts").TransformerClassifier;
 * declare const fixedSet: import("../features/mod.ts").WindowBatch;
 * const evaluate = classifierEvaluation(model, fixedSet);
 * ```
 */
export function classifierEvaluation(
  model: { predictProbabilities(batch: WindowBatch): Float32Array | Promise<Float32Array> },
  batch: WindowBatch,
  args: ClassifierEvaluationArgs = {},
): () => Promise<Evaluation> {
  return async () => {
    const probabilities = await model.predictProbabilities(batch);
    const predictions = args.gate
      ? gatePredictions(probabilities, args.gate)
      : argmaxPredictions(probabilities);
    const report = classificationReport(batch.labels, predictions, batch.futureReturns, args.rules);
    let loss = 0;
    for (let item = 0; item < batch.size; item++) {
      loss -= Math.log(Math.max(probabilities[item * 3 + batch.labels[item]], 1e-12));
    }
    const metrics = {
      accuracy: report.accuracy,
      points: report.points,
      loss: loss / batch.size,
      upRecall: report.upRecall,
      downMisjudge: report.downMisjudge,
      extremeUpCapture: report.extremeUpCapture,
      predictedUp: report.predictedShares[0],
      predictedDown: report.predictedShares[1],
      predictedFlat: report.predictedShares[2],
    };
    return { score: selectionScore(args.selectBy ?? "points", metrics), metrics };
  };
}
