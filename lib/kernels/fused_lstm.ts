/**
 * `tf.layers.lstm` with its per-step cell replaced by {@link lstmSequence}.
 *
 * @module
 */
import { tf } from "../backend/mod.ts";
import { lstmSequence, type LstmSequenceArgs } from "./lstm_sequence.ts";

/** Options of `tf.layers.lstm` (units, initialisers, returnSequences, name, …). */
export type LstmLayerArgs = Parameters<typeof tf.layers.lstm>[0];
/** A `tf.layers.lstm` layer instance. */
export type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type LstmCellWeights = {
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor };
};

// The LSTM layer class is not exported by name from @tensorflow/tfjs; a throwaway instance (no weights
// until built) gives its constructor.
const LstmLayerClass = tf.layers.lstm({ units: 1 }).constructor as new (args: LstmLayerArgs) => LstmLayer;

/**
 * An LSTM layer that is a `tf.layers.lstm` in every respect — config, weights (names, order, shapes,
 * seeded initialisers, `getWeights`/`setWeights`, `trainableWeights`), output shape — except that its
 * forward pass and gradient are the fused {@link lstmSequence} op. Registered for serialization as
 * `FusedLSTM`.
 *
 * Supported configuration: `activation: "tanh"` (default), `recurrentActivation: "sigmoid"` (must
 * be given: tfjs's default is `hardSigmoid`), `useBias` true, no `dropout` / `recurrentDropout`, not
 * `goBackwards`, `stateful` or `returnState`; inputs without mask or initial state. Anything else throws
 * at construction (or call) rather than silently computing something different.
 */
export class FusedLstm extends LstmLayerClass {
  /** Serialization name. */
  static className = "FusedLSTM";
  readonly #product: LstmSequenceArgs["recurrentProduct"];
  readonly #vectorized: LstmSequenceArgs["vectorized"];

  /** Same options as `tf.layers.lstm`, plus the {@link lstmSequence} kernel choices. */
  constructor(args: LstmLayerArgs & Pick<LstmSequenceArgs, "recurrentProduct" | "vectorized">) {
    const { recurrentProduct, vectorized, ...layerArgs } = args;
    super(layerArgs);
    this.#product = recurrentProduct;
    this.#vectorized = vectorized;
    const config = this.getConfig();
    const problems: string[] = [];
    if (config.activation !== "tanh") problems.push(`activation ${config.activation} (needs tanh)`);
    if (config.recurrentActivation !== "sigmoid") {
      problems.push(`recurrentActivation ${config.recurrentActivation} (needs sigmoid)`);
    }
    if (config.useBias !== true) problems.push("useBias false");
    if (config.dropout !== 0 || config.recurrentDropout !== 0) problems.push("dropout/recurrentDropout");
    if (config.goBackwards || config.stateful || config.returnState) {
      problems.push("goBackwards/stateful/returnState");
    }
    if (problems.length > 0) {
      throw new RangeError(`FusedLstm: unsupported configuration: ${problems.join(", ")}`);
    }
  }

  /** Runs {@link lstmSequence} on the layer's weights. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    if (kwargs?.mask != null || kwargs?.initialState != null) {
      throw new RangeError("FusedLstm: masks and initial states are not supported");
    }
    if (Array.isArray(inputs)) {
      if (inputs.length !== 1) throw new RangeError(`FusedLstm: expects one input, got ${inputs.length}`);
      inputs = inputs[0];
    }
    const cell = this.cell as unknown as LstmCellWeights;
    return lstmSequence(
      inputs as tf.Tensor3D,
      cell.kernel.read() as tf.Tensor2D,
      cell.recurrentKernel.read() as tf.Tensor2D,
      cell.bias.read() as tf.Tensor1D,
      {
        returnSequences: this.returnSequences,
        recurrentProduct: this.#product,
        vectorized: this.#vectorized,
      },
    );
  }
}
// The base constructor's type (taken from an instance) does not carry LSTM's static `fromConfig`,
// which FusedLstm inherits at run time.
tf.serialization.registerClass(
  FusedLstm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);

/**
 * Creates a {@link FusedLstm} layer (the fused counterpart of `tf.layers.lstm`).
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { fusedLstm } from "./fused_lstm.ts";
 * const layer = fusedLstm({ units: 4, recurrentActivation: "sigmoid" });
 * const lastHidden = layer.apply(tf.ones([2, 5, 3])) as tf.Tensor; // [2, 4]
 * ```
 */
export function fusedLstm(
  args: LstmLayerArgs & Pick<LstmSequenceArgs, "recurrentProduct" | "vectorized">,
): FusedLstm {
  return new FusedLstm(args);
}
