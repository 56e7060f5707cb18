/**
 * Classification losses on logits: cross-entropy, focal loss, and an expected-cost
 * (asymmetric penalty) loss. All take logits `[batch, classes]` and integer labels, and return
 * the mean over the batch as a scalar tensor (call them inside `tf.tidy` or a gradient function).
 */
import { tf } from "../backend/mod.ts";

/** Per-sample log-softmax picked at the true class: `[batch]`. */
function logProbabilityOfTruth(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const classes = logits.shape[1];
  const oneHot = tf.oneHot(tf.cast(labels, "int32"), classes);
  return tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1) as tf.Tensor1D;
}

function toLabelTensor(labels: tf.Tensor1D | ArrayLike<number>): tf.Tensor1D {
  return labels instanceof tf.Tensor ? labels : tf.tensor1d(Array.from(labels), "int32");
}

/**
 * Mean cross-entropy −log softmax(logits)[label].
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { crossEntropyLoss } from "./losses.ts";
 * const loss = crossEntropyLoss(tf.tensor2d([[2, 0, 0]]), [0]); // ≈ 0.2395
 * ```
 */
export function crossEntropyLoss(logits: tf.Tensor2D, labels: tf.Tensor1D | ArrayLike<number>): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(logProbabilityOfTruth(logits, toLabelTensor(labels)))));
}

/** Options of {@link focalLoss}. */
export interface FocalLossArgs {
  /**
   * Weight of each class, indexed by class (UP, DOWN, FLAT). Default all 1. EquiNet's
   * 2025-05-31 version used [1.5, 2.0, 1.0].
   */
  alpha?: readonly number[];
  /** Focusing exponent: 0 gives (weighted) cross-entropy. Default 2. */
  gamma?: number;
}

/**
 * Mean focal loss −α[y]·(1 − p_y)^γ·log p_y (Lin et al. 2017), averaged over the batch (not
 * normalised by the alpha weights, as the original's `.mean()`).
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { focalLoss } from "./losses.ts";
 * const loss = focalLoss(tf.tensor2d([[0, 0, 0]]), [1], { alpha: [1.5, 2, 1], gamma: 2 });
 * ```
 */
export function focalLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D | ArrayLike<number>,
  args: FocalLossArgs = {},
): tf.Scalar {
  const gamma = args.gamma ?? 2;
  const classes = logits.shape[1];
  const alpha = args.alpha ?? new Array(classes).fill(1);
  if (alpha.length !== classes) {
    throw new RangeError(`focalLoss: alpha has ${alpha.length} weights for ${classes} classes`);
  }
  if (!(gamma >= 0)) throw new RangeError(`focalLoss: gamma must be ≥ 0, got ${gamma}`);
  return tf.tidy(() => {
    const labelTensor = toLabelTensor(labels);
    const logP = logProbabilityOfTruth(logits, labelTensor);
    const p = tf.exp(logP);
    const weight = tf.gather(tf.tensor1d(alpha as number[]), tf.cast(labelTensor, "int32"));
    // (1 − p)^γ with p clipped below 1 so the gradient of pow stays finite at γ < 1.
    const focus = gamma === 0 ? tf.onesLike(p) : tf.pow(tf.sub(1, tf.minimum(p, 1 - 1e-7)), gamma);
    return tf.neg(tf.mean(tf.mul(tf.mul(weight, focus), logP)));
  });
}

/**
 * EquiNet's asymmetric penalty, rows = true class, columns = predicted class (UP, DOWN, FLAT):
 * a down stock predicted up costs 2, an up stock predicted down 1, any other mistake 0.5,
 * a correct prediction 0 (the author's "AsymmetricPenaltyLoss" sketch).
 */
export const ASYMMETRIC_PENALTY: readonly (readonly number[])[] = [
  [0, 1, 0.5],
  [2, 0, 0.5],
  [0.5, 0.5, 0],
];

/** Options of {@link expectedCostLoss}. */
export interface ExpectedCostLossArgs {
  /** Cost of predicting column j when the truth is row i. Default {@link ASYMMETRIC_PENALTY}. */
  costMatrix?: readonly (readonly number[])[];
  /**
   * Weight of a cross-entropy term added to the expected cost (the expected cost alone has weak
   * gradients far from a solution). Default 1.
   */
  crossEntropyWeight?: number;
}

/**
 * Differentiable cost-matrix loss: the expected cost Σ_j softmax(logits)_j · C[y][j] under the
 * predicted distribution, plus `crossEntropyWeight` × cross-entropy, averaged over the batch.
 *
 * Porting note: the author's sketch charged a cost for the arg-max prediction, which has no
 * gradient; the expected cost is its differentiable counterpart.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { expectedCostLoss } from "./losses.ts";
 * const loss = expectedCostLoss(tf.tensor2d([[0, 0, 0]]), [1], { crossEntropyWeight: 0 }); // (2 + 0 + 0.5) / 3
 * ```
 */
export function expectedCostLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D | ArrayLike<number>,
  args: ExpectedCostLossArgs = {},
): tf.Scalar {
  const costMatrix = args.costMatrix ?? ASYMMETRIC_PENALTY;
  const crossEntropyWeight = args.crossEntropyWeight ?? 1;
  const classes = logits.shape[1];
  if (costMatrix.length !== classes || costMatrix.some((row) => row.length !== classes)) {
    throw new RangeError(`expectedCostLoss: costMatrix must be ${classes} × ${classes}`);
  }
  return tf.tidy(() => {
    const labelTensor = toLabelTensor(labels);
    const costs = tf.gather(tf.tensor2d(costMatrix.map((row) => [...row])), tf.cast(labelTensor, "int32"));
    const expected = tf.mean(tf.sum(tf.mul(tf.softmax(logits), costs), 1));
    if (crossEntropyWeight === 0) return expected as tf.Scalar;
    const crossEntropy = tf.neg(tf.mean(logProbabilityOfTruth(logits, labelTensor)));
    return tf.add(expected, tf.mul(crossEntropyWeight, crossEntropy)) as tf.Scalar;
  });
}

/** Which classification loss, with its options: the `loss` option of models and training. */
export type ClassificationLossArgs =
  | { kind: "cross-entropy" }
  | ({ kind: "focal" } & FocalLossArgs)
  | ({ kind: "expected-cost" } & ExpectedCostLossArgs);

/**
 * Applies the loss described by `args` (default cross-entropy).
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { classificationLoss } from "./losses.ts";
 * const loss = classificationLoss(tf.tensor2d([[1, 0, 0]]), [2], { kind: "focal", gamma: 1 });
 * ```
 */
export function classificationLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D | ArrayLike<number>,
  args: ClassificationLossArgs = { kind: "cross-entropy" },
): tf.Scalar {
  switch (args.kind) {
    case "cross-entropy":
      return crossEntropyLoss(logits, labels);
    case "focal":
      return focalLoss(logits, labels, args);
    case "expected-cost":
      return expectedCostLoss(logits, labels, args);
    default:
      throw new RangeError(
        `classificationLoss: unknown kind ${JSON.stringify((args as { kind: string }).kind)}`,
      );
  }
}
