/**
 * A test model for tests/parallel: one weight vector, loss = mean squared error of `inputs · w`
 * against the labels; its `loss` throws on batches of `failOnSize` windows (so with a batch of 5 split
 * in two, only the worker's part of 2 fails).
 */
import { tf } from "../../lib/backend/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";

/** Options of {@link FailingModel}. */
export interface FailingModelArgs {
  /** Batch size on which `loss` throws. */
  failOnSize: number;
}

/** See the module comment. */
export class FailingModel {
  readonly namedVariables: ReadonlyMap<string, tf.Variable>;
  readonly #failOnSize: number;

  constructor(args: FailingModelArgs) {
    this.#failOnSize = args.failOnSize;
    this.namedVariables = new Map([[
      "w",
      tf.variable(tf.ones([8, 1]), true, `failing-w-${crypto.randomUUID()}`),
    ]]);
  }

  loss(batch: WindowBatch): tf.Scalar {
    if (batch.size === this.#failOnSize) throw new Error(`FailingModel: refusing a batch of ${batch.size}`);
    return tf.tidy(() => {
      const inputs = tf.tensor2d(batch.inputs, [batch.size * batch.steps, batch.features]);
      const predictions = tf.matMul(inputs, this.namedVariables.get("w")!).reshape([batch.size, batch.steps]);
      return tf.losses.meanSquaredError(
        tf.tensor1d(Array.from(batch.labels)).expandDims(1),
        predictions.mean(1, true),
      );
    });
  }
}
