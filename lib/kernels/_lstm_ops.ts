/**
 * The fused LSTM sequence op as tfjs ops, for backends whose tensors cannot be read synchronously
 * (webgpu, webgl): the forward pass is the usual per-step cell, and the backward pass is hand-written
 * backpropagation through time in ops (one `tf.customGrad` node; weight gradients as 2-D matMuls over
 * all steps, operands transposed explicitly).
 *
 * @module
 */
import { tf } from "../backend/mod.ts";

/** See `lstmSequence`: same contract, computed with tfjs ops on the active backend. */
export function lstmSequenceOps(
  inputs: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  const [batch, steps, features] = inputs.shape;
  const hidden = recurrentKernel.shape[0];
  const gateWidth = 4 * hidden;
  const rows = batch * steps;
  const forward = (
    x: tf.Tensor3D,
    w: tf.Tensor2D,
    u: tf.Tensor2D,
    b: tf.Tensor1D,
    save: tf.GradSaveFunc,
  ) => {
    const projection = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [rows, features]), w), b), [
      batch,
      steps,
      gateWidth,
    ]);
    const perStep = tf.unstack(projection, 1) as tf.Tensor2D[];
    let hiddenState: tf.Tensor2D = tf.zeros([batch, hidden]);
    let cellState: tf.Tensor2D = tf.zeros([batch, hidden]);
    const saved: tf.Tensor[] = [];
    const outputs: tf.Tensor2D[] = [];
    for (let step = 0; step < steps; step++) {
      const preactivation = step === 0 ? perStep[step] : tf.add(perStep[step], tf.matMul(hiddenState, u));
      const [zInput, zForget, zCandidate, zOutput] = tf.split(preactivation, 4, 1);
      const inputGate = tf.sigmoid(zInput), forgetGate = tf.sigmoid(zForget);
      const candidate = tf.tanh(zCandidate), outputGate = tf.sigmoid(zOutput);
      cellState = tf.add(tf.mul(forgetGate, cellState), tf.mul(inputGate, candidate));
      hiddenState = tf.mul(outputGate, tf.tanh(cellState));
      saved.push(inputGate, forgetGate, candidate, outputGate, cellState, hiddenState);
      outputs.push(hiddenState);
    }
    // x, w and u are needed backward; the engine keeps only what is saved.
    save([...saved, x, w, u]);
    const value = returnSequences ? tf.stack(outputs, 1) : hiddenState;
    const gradFunc = (dy: tf.Tensor, kept: tf.Tensor[]): tf.Tensor[] => {
      const at = (step: number, slot: number) => kept[step * 6 + slot] as tf.Tensor2D;
      const outputGradients = returnSequences ? tf.unstack(dy, 1) as tf.Tensor2D[] : null;
      const [savedInputs, savedKernel, savedRecurrent] = kept.slice(6 * steps);
      const recurrentTransposed = tf.transpose(savedRecurrent);
      let hiddenGradient: tf.Tensor2D = returnSequences ? tf.zeros([batch, hidden]) : dy as tf.Tensor2D;
      let cellGradient: tf.Tensor2D = tf.zeros([batch, hidden]);
      const stepGradients: tf.Tensor2D[] = new Array(steps);
      for (let step = steps - 1; step >= 0; step--) {
        if (outputGradients) hiddenGradient = tf.add(hiddenGradient, outputGradients[step]);
        const inputGate = at(step, 0), forgetGate = at(step, 1), candidate = at(step, 2);
        const outputGate = at(step, 3);
        const cellTanh = tf.tanh(at(step, 4));
        const previousCell = step > 0 ? at(step - 1, 4) : tf.zerosLike(cellTanh);
        const dCell = tf.add(
          cellGradient,
          tf.mul(tf.mul(hiddenGradient, outputGate), tf.sub(1, tf.square(cellTanh))),
        );
        const sigmoidSlope = (gate: tf.Tensor2D) => tf.mul(gate, tf.sub(1, gate));
        const stepGradient = tf.concat([
          tf.mul(tf.mul(dCell, candidate), sigmoidSlope(inputGate)),
          tf.mul(tf.mul(dCell, previousCell), sigmoidSlope(forgetGate)),
          tf.mul(tf.mul(dCell, inputGate), tf.sub(1, tf.square(candidate))),
          tf.mul(tf.mul(hiddenGradient, cellTanh), sigmoidSlope(outputGate)),
        ], 1) as tf.Tensor2D;
        stepGradients[step] = stepGradient;
        cellGradient = tf.mul(dCell, forgetGate);
        if (step > 0) hiddenGradient = tf.matMul(stepGradient, recurrentTransposed);
      }
      const dPreactivation = tf.reshape(tf.stack(stepGradients, 1), [rows, gateWidth]);
      const previousHidden = tf.reshape(
        tf.stack(
          [tf.zeros([batch, hidden]), ...Array.from({ length: steps - 1 }, (_, step) => at(step, 5))],
          1,
        ),
        [rows, hidden],
      );
      return [
        tf.reshape(tf.matMul(dPreactivation, tf.transpose(savedKernel)), [batch, steps, features]),
        tf.matMul(tf.transpose(tf.reshape(savedInputs, [rows, features])), dPreactivation),
        tf.matMul(tf.transpose(previousHidden), dPreactivation),
        tf.sum(dPreactivation, 0),
      ];
    };
    return { value, gradFunc };
  };
  const fused = tf.customGrad(forward as unknown as CustomGradient);
  return fused(inputs, kernel, recurrentKernel, bias);
}

/** The function type `tf.customGrad` takes (not exported by name from @tensorflow/tfjs). */
export type CustomGradient = Parameters<typeof tf.customGrad>[0];
