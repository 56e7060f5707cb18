import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { classificationLoss, crossEntropyLoss, expectedCostLoss, focalLoss } from "../../lib/train/mod.ts";

await selectBackend("cpu");

function close(actual: tf.Scalar, expected: number, tolerance = 1e-5): void {
  const value = actual.dataSync()[0];
  actual.dispose();
  assertClose(value, expected, { absolute: tolerance });
}

// logits [2, 0, 0]: softmax = [e²/(e²+2), 1/(e²+2), 1/(e²+2)] = [0.786986, 0.106507, 0.106507]
const p0 = Math.exp(2) / (Math.exp(2) + 2);
const p1 = 1 / (Math.exp(2) + 2);

Deno.test("cross-entropy matches −log p by hand", () => {
  close(crossEntropyLoss(tf.tensor2d([[2, 0, 0]]), [0]), -Math.log(p0));
  // mean over a batch of two: −(log p0 + log p1) / 2
  close(crossEntropyLoss(tf.tensor2d([[2, 0, 0], [2, 0, 0]]), [0, 1]), -(Math.log(p0) + Math.log(p1)) / 2);
  // uniform logits: log 3
  close(crossEntropyLoss(tf.tensor2d([[0, 0, 0]]), [2]), Math.log(3));
});

Deno.test("focal loss: alpha[y]·(1 − p)^γ·(−log p) by hand; γ = 0 and unit alpha give cross-entropy", () => {
  const alpha = [1.5, 2, 1];
  close(focalLoss(tf.tensor2d([[2, 0, 0]]), [0], { alpha, gamma: 2 }), 1.5 * (1 - p0) ** 2 * -Math.log(p0));
  close(focalLoss(tf.tensor2d([[2, 0, 0]]), [1], { alpha, gamma: 2 }), 2 * (1 - p1) ** 2 * -Math.log(p1));
  // uniform: 1·(2/3)²·log 3 = 0.488272
  close(focalLoss(tf.tensor2d([[0, 0, 0]]), [2], { alpha, gamma: 2 }), (4 / 9) * Math.log(3));
  close(
    focalLoss(tf.tensor2d([[2, 0, 0], [0, 1, 0]]), [1, 2], { gamma: 0 }),
    (-Math.log(p1) + -Math.log(1 / (Math.E + 2))) / 2,
  );
  assert.throws(() => focalLoss(tf.tensor2d([[0, 0, 0]]), [0], { alpha: [1, 2] }), /2 weights for 3 classes/);
});

Deno.test("expected-cost loss: Σ p_j·C[y][j] by hand; a true-down predicted up costs the most", () => {
  // uniform prediction, truth down: (2 + 0 + 0.5) / 3
  close(expectedCostLoss(tf.tensor2d([[0, 0, 0]]), [1], { crossEntropyWeight: 0 }), 2.5 / 3);
  // confident up: truth down costs ≈ 2·p0 + 0.5·p1; truth up costs ≈ 1·p1 + 0.5·p1
  close(expectedCostLoss(tf.tensor2d([[2, 0, 0]]), [1], { crossEntropyWeight: 0 }), 2 * p0 + 0.5 * p1);
  close(expectedCostLoss(tf.tensor2d([[2, 0, 0]]), [0], { crossEntropyWeight: 0 }), 1.5 * p1);
  // with the default cross-entropy term
  close(expectedCostLoss(tf.tensor2d([[2, 0, 0]]), [0]), 1.5 * p1 - Math.log(p0));
  // custom matrix: identity-free 0/1 cost = 1 − p_y
  const zeroOne = [[0, 1, 1], [1, 0, 1], [1, 1, 0]];
  close(
    expectedCostLoss(tf.tensor2d([[2, 0, 0]]), [0], { costMatrix: zeroOne, crossEntropyWeight: 0 }),
    1 - p0,
  );
});

Deno.test("classificationLoss dispatches by kind", () => {
  close(classificationLoss(tf.tensor2d([[0, 0, 0]]), [0]), Math.log(3));
  close(
    classificationLoss(tf.tensor2d([[0, 0, 0]]), [0], { kind: "focal", gamma: 1 }),
    (2 / 3) * Math.log(3),
  );
  close(
    classificationLoss(tf.tensor2d([[0, 0, 0]]), [2], { kind: "expected-cost", crossEntropyWeight: 0 }),
    1 / 3,
  );
});
