/**
 * The hybrid design's two-branch LSTM: a fundamental stream and a technical stream, each an LSTM
 * whose last state goes through Dense(32, relu), concatenated into one linear output — plus its
 * sample windows and a seeded training loop with early stopping.
 *
 * Porting notes:
 * - The seed slices `lstm_output[:, -1, :]` from `return_sequences=True`; that equals
 *   `returnSequences: false`, which we use.
 * - Keras (TF 2) LSTMs use `recurrent_activation='sigmoid'`; tfjs defaults to `hardSigmoid`, so we
 *   set `'sigmoid'` explicitly.
 * - The seed's TPE space has a dropout rate its model never uses; we apply it after each branch's
 *   Dense(32) (0 = no dropout layer).
 * - Target: the seed predicts the raw close 5 days ahead, which across 100 stocks mostly measures
 *   the price level; we predict the 5-day forward return `close[t + 5] / close[t] − 1` from the
 *   window ending on day t.
 * - Keras' `EarlyStopping(restore_best_weights=True)` has no tfjs equivalent; {@link fitTwoBranchLstm}
 *   trains through `lib/train`'s loop, which stops early, restores the best epoch and resumes, and
 *   shuffles with `lib/random` (tfjs' own shuffle uses Math.random).
 *
 * @module
 */
import { join } from "node:path";
import { tf } from "../backend/mod.ts";
import { fusedLstm } from "../kernels/mod.ts";
import { createRandom } from "../random/mod.ts";
import {
  assignVariables,
  type EpochRecord,
  readTensorFolder,
  type TrainableModel,
  trainModel,
} from "../train/mod.ts";

/** Options of {@link buildTwoBranchLstm}. */
export interface TwoBranchLstmArgs {
  /** Seed of every initialiser and dropout mask. Required. */
  seed: number;
  /** Days per window. Default 60. */
  windowDays?: number;
  /** Fundamental features per day. Default 8. */
  fundamentalFeatures?: number;
  /** Technical features per day. Default 15. */
  technicalFeatures?: number;
  /** Units of each LSTM. Default 64. */
  lstmUnits?: number;
  /** Units of each branch's Dense layer. Default 32. */
  denseUnits?: number;
  /** Dropout after each branch's Dense layer; 0 adds none. Default 0. */
  dropout?: number;
  /**
   * How the two LSTMs compute. Default `"fused"`: one fused op with its own gradient per LSTM
   * (`fusedLstm` from `lib/kernels`, a `tf.layers.lstm` subclass: same config, weight names and seeded
   * initial weights). `"layers"`: stock `tf.layers.lstm`. Trained weights agree to float32 rounding
   * (the fused op sums in another order), not bit for bit.
   */
  implementation?: "fused" | "layers";
}

/**
 * Builds and compiles (Adam, MSE) the two-branch model. Inputs: `fundamental_stream`
 * [window, fundamentalFeatures] and `technical_stream` [window, technicalFeatures]; output [1].
 *
 * @example
 * ```ts
 * import { buildTwoBranchLstm } from "./two_branch_lstm.ts";
 * const model = buildTwoBranchLstm({ seed: 1, windowDays: 10, lstmUnits: 8, denseUnits: 4 });
 * model.summary();
 * ```
 */
export function buildTwoBranchLstm(args: TwoBranchLstmArgs): tf.LayersModel {
  const windowDays = args.windowDays ?? 60;
  const fundamentalFeatures = args.fundamentalFeatures ?? 8;
  const technicalFeatures = args.technicalFeatures ?? 15;
  const lstmUnits = args.lstmUnits ?? 64;
  const denseUnits = args.denseUnits ?? 32;
  const dropout = args.dropout ?? 0;
  const implementation = args.implementation ?? "fused";
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
  if (implementation !== "fused" && implementation !== "layers") {
    throw new RangeError(`implementation must be "fused" or "layers", got ${implementation}`);
  }
  const lstmLayer = implementation === "fused" ? fusedLstm : tf.layers.lstm;
  const random = createRandom(args.seed);
  const branch = (name: string, features: number) => {
    const stream = random.fork(name);
    const input = tf.input({ shape: [windowDays, features], name: `${name}_stream` });
    const lstm = lstmLayer({
      units: lstmUnits,
      returnSequences: false,
      recurrentActivation: "sigmoid",
      kernelInitializer: tf.initializers.glorotUniform({ seed: stream.nextSeed() }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: stream.nextSeed() }),
      unitForgetBias: true,
      name: `${name}_lstm`,
    }).apply(input) as tf.SymbolicTensor;
    let encoded = tf.layers.dense({
      units: denseUnits,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: stream.nextSeed() }),
      name: `${name}_dense`,
    }).apply(lstm) as tf.SymbolicTensor;
    if (dropout > 0) {
      encoded = tf.layers.dropout({ rate: dropout, seed: stream.nextSeed(), name: `${name}_dropout` })
        .apply(encoded) as tf.SymbolicTensor;
    }
    return { input, encoded };
  };
  const fundamental = branch("fundamental", fundamentalFeatures);
  const technical = branch("technical", technicalFeatures);
  const merged = tf.layers.concatenate({ name: "merge" }).apply([fundamental.encoded, technical.encoded]);
  const output = tf.layers.dense({
    units: 1,
    activation: "linear",
    kernelInitializer: tf.initializers.glorotUniform({ seed: random.fork("output").nextSeed() }),
    name: "forward_return",
  }).apply(merged) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [fundamental.input, technical.input], outputs: output });
  return model;
}

/** Samples for the two-branch model, flat row-major. */
export interface HybridWindows {
  /** Fundamental windows, `[sample][day][feature]` flattened. */
  fundamental: Float32Array;
  /** Technical windows, flattened the same way. */
  technical: Float32Array;
  /** Forward return of each sample. */
  target: Float32Array;
  /** Day index of each window's last day (the prediction day). */
  endDay: Int32Array;
  /** Samples, window days and feature counts. */
  shape: { samples: number; windowDays: number; fundamentalFeatures: number; technicalFeatures: number };
}

/**
 * Cuts one stock's daily features into windows: the window ending on day t (inclusive) is paired
 * with `close[t + horizonDays] / close[t] − 1`. Windows with a NaN input or target are skipped, and
 * their count is returned as `skipped` so nothing disappears silently.
 *
 * @example
 * ```ts
 * import { hybridWindows } from "./two_branch_lstm.ts";
 * const days = 12;
 * const fundamental = [Float64Array.from({ length: days }, (_, d) => d)];
 * const technical = [Float64Array.from({ length: days }, () => 1)];
 * const close = Float64Array.from({ length: days }, (_, d) => 10 + d);
 * const { windows } = hybridWindows(fundamental, technical, close, { windowDays: 3, horizonDays: 5 });
 * ```
 */
export function hybridWindows(
  fundamental: readonly ArrayLike<number>[],
  technical: readonly ArrayLike<number>[],
  close: ArrayLike<number>,
  args: { windowDays?: number; horizonDays?: number; firstEndDay?: number; lastEndDay?: number } = {},
): { windows: HybridWindows; skipped: number } {
  const windowDays = args.windowDays ?? 60;
  const horizonDays = args.horizonDays ?? 5;
  const days = close.length;
  for (const [name, table] of [["fundamental", fundamental], ["technical", technical]] as const) {
    table.forEach((series, feature) => {
      if (series.length !== days) {
        throw new RangeError(`hybridWindows: ${name}[${feature}] has ${series.length} days, close ${days}`);
      }
    });
  }
  const first = Math.max(windowDays - 1, args.firstEndDay ?? 0);
  const last = Math.min(days - 1 - horizonDays, args.lastEndDay ?? Infinity);
  const ends: number[] = [];
  let skipped = 0;
  for (let end = first; end <= last; end++) {
    let complete = close[end] > 0 && close[end + horizonDays] > 0;
    for (const table of [fundamental, technical]) {
      for (const series of table) {
        for (let day = end - windowDays + 1; complete && day <= end; day++) {
          if (Number.isNaN(series[day])) complete = false;
        }
      }
    }
    if (complete) ends.push(end);
    else skipped++;
  }
  const fundamentalFeatures = fundamental.length, technicalFeatures = technical.length;
  const windows: HybridWindows = {
    fundamental: new Float32Array(ends.length * windowDays * fundamentalFeatures),
    technical: new Float32Array(ends.length * windowDays * technicalFeatures),
    target: new Float32Array(ends.length),
    endDay: Int32Array.from(ends),
    shape: { samples: ends.length, windowDays, fundamentalFeatures, technicalFeatures },
  };
  ends.forEach((end, sample) => {
    for (let step = 0; step < windowDays; step++) {
      const day = end - windowDays + 1 + step;
      for (let feature = 0; feature < fundamentalFeatures; feature++) {
        windows.fundamental[(sample * windowDays + step) * fundamentalFeatures + feature] =
          fundamental[feature][day];
      }
      for (let feature = 0; feature < technicalFeatures; feature++) {
        windows.technical[(sample * windowDays + step) * technicalFeatures + feature] =
          technical[feature][day];
      }
    }
    windows.target[sample] = close[end + horizonDays] / close[end] - 1;
  });
  return { windows, skipped };
}

/** Options of {@link fitTwoBranchLstm}. */
export interface FitTwoBranchArgs {
  /** Seed of the shuffling (the training loop's random stream). Required. */
  seed: number;
  /** Maximum epochs. Default 100. */
  epochs?: number;
  /** Batch size. Default 64. */
  batchSize?: number;
  /** Epochs without a better validation loss before stopping. Default 10. */
  patience?: number;
  /** Adam learning rate, constant (the seed compiles Keras' Adam without a schedule). Default 0.001. */
  learningRate?: number;
  /**
   * Folder for `best/` (lowest validation loss) and `last/` (resumable: weights, Adam moments, random
   * state, history): a run that is cut off continues from its last finished epoch (断点续训) and ends as an
   * uninterrupted one. Default: a temporary folder, removed afterwards.
   */
  checkpointFolder?: string;
  /** Continue from `last/` when it exists. Default true. */
  resume?: boolean;
  /**
   * A further stopping rule on the validation losses so far (one per finished epoch), asked before each
   * epoch — e.g. a median pruner comparing the run with earlier trials. True ends the run (best weights
   * restored, `pruned` set). Decided from the history, so a resumed run stops where an uninterrupted one
   * does. Default: none.
   */
  stopWhen?: (validationLosses: readonly number[]) => boolean;
  /** Called after each epoch (0-based epoch), after the checkpoints are written. */
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void | Promise<void>;
}

/** Result of {@link fitTwoBranchLstm}. */
export interface FitTwoBranchResult {
  /** Training loss (MSE) per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Epoch (0-based) whose weights were restored. */
  bestEpoch: number;
  /** Its validation loss. */
  bestValidationLoss: number;
  /** Epochs already done when this call started (0 for a fresh run). */
  resumedFromEpoch: number;
  /** True when `stopWhen` ended the run. */
  pruned: boolean;
}

/** A two-branch model as `trainModel` trains it: its trainable variables by name and the batch MSE. */
class TwoBranchTrainable implements TrainableModel<readonly number[]> {
  readonly namedVariables: ReadonlyMap<string, tf.Variable>;

  constructor(readonly model: tf.LayersModel, readonly windows: HybridWindows) {
    // A layer's variable under its original (layer-scoped) name: stable across processes, unlike `name`,
    // which tfjs suffixes when several models share a process.
    this.namedVariables = new Map(
      model.trainableWeights.map((weight) => [
        weight.originalName,
        (weight as unknown as { val: tf.Variable }).val,
      ]),
    );
  }

  /** Mean squared error of the samples `batch` (indices into the windows), in training mode. */
  loss(batch: readonly number[]): tf.Scalar {
    return tf.tidy(() => {
      const { inputs, target } = toTensors(this.windows, batch);
      const output = this.model.apply(inputs, { training: true }) as tf.Tensor;
      return tf.losses.meanSquaredError(target, output.reshape(target.shape)) as tf.Scalar;
    });
  }
}

/**
 * Trains through `lib/train`'s loop (`trainModel`): Adam at a constant rate on the batch MSE, the training
 * windows shuffled each epoch with `lib/random`, the validation loss after every epoch, early stopping
 * after `patience` epochs without a lower one, the best epoch's weights restored — with resumable
 * checkpoints (断点续训).
 *
 * Porting note: Keras' Adam (the seed's `compile(optimizer='adam')`) adds its epsilon 1e-7 to the
 * bias-corrected second moment's root after scaling; ours is PyTorch's placement with 1e-8 — one formula
 * for every model of EquiLab. No gradient clipping (Keras clips only when asked).
 *
 * @example
 * ```ts
 * import { buildTwoBranchLstm, fitTwoBranchLstm } from "./two_branch_lstm.ts";
 * // const result = await fitTwoBranchLstm(model, trainWindows, validationWindows, { seed: 1 });
 * ```
 */
export async function fitTwoBranchLstm(
  model: tf.LayersModel,
  train: HybridWindows,
  validation: HybridWindows,
  args: FitTwoBranchArgs,
): Promise<FitTwoBranchResult> {
  const epochs = args.epochs ?? 100;
  const batchSize = args.batchSize ?? 64;
  const patience = args.patience ?? 10;
  if (train.shape.samples === 0 || validation.shape.samples === 0) {
    throw new RangeError(
      `fitTwoBranchLstm: ${train.shape.samples} training and ${validation.shape.samples} validation samples`,
    );
  }
  const trainable = new TwoBranchTrainable(model, train);
  const validationTarget = tf.tensor2d(validation.target, [validation.shape.samples, 1]);
  const temporary = args.checkpointFolder ? undefined : await Deno.makeTempDir({ prefix: "two-branch-" });
  const folder = args.checkpointFolder ?? temporary!;
  try {
    const result = await trainModel({
      model: trainable,
      epochs,
      seed: args.seed,
      learningRate: args.learningRate ?? 1e-3,
      // A constant rate: no StepLR step within any run.
      stepEpochs: Number.MAX_SAFE_INTEGER,
      clipNorm: null,
      patience,
      ...(args.stopWhen
        ? {
          stopWhen: (history: readonly EpochRecord[]) =>
            args.stopWhen!(history.map((record) => record.metrics.validationLoss)),
        }
        : {}),
      drawBatches: (random) => {
        const order = random.shuffle(Array.from({ length: train.shape.samples }, (_, index) => index));
        const batches: number[][] = [];
        for (let start = 0; start < order.length; start += batchSize) {
          batches.push(order.slice(start, start + batchSize));
        }
        return batches;
      },
      evaluate: async () => {
        const predicted = predictTwoBranchLstm(model, validation);
        const lossTensor = tf.tidy(() =>
          tf.losses.meanSquaredError(validationTarget, tf.tensor2d(predicted, [predicted.length, 1]))
        );
        const loss = (await lossTensor.data())[0];
        lossTensor.dispose();
        return { score: -loss, metrics: { validationLoss: loss } };
      },
      checkpointFolder: folder,
      resume: args.resume ?? true,
      metadata: { model: "two-branch-lstm", batchSize, trainSamples: train.shape.samples },
      onEpochEnd: (record) =>
        args.onEpoch?.(record.epoch - 1, record.trainingLoss, record.metrics.validationLoss),
    });
    const best = await readTensorFolder(join(folder, "best"));
    assignVariables(trainable.namedVariables, best.weights);
    const validationLoss = result.history.map((record) => record.metrics.validationLoss);
    return {
      trainLoss: result.history.map((record) => record.trainingLoss),
      validationLoss,
      bestEpoch: result.bestEpoch - 1,
      bestValidationLoss: validationLoss[result.bestEpoch - 1],
      resumedFromEpoch: result.resumedFromEpoch,
      pruned: result.stoppedByRule,
    };
  } finally {
    validationTarget.dispose();
    if (temporary) await Deno.remove(temporary, { recursive: true }).catch(() => {});
  }
}

/**
 * Predicted forward returns for windows.
 *
 * @example
 * ```ts
 * import { predictTwoBranchLstm } from "./two_branch_lstm.ts";
 * // const predicted = predictTwoBranchLstm(model, testWindows);
 * ```
 */
export function predictTwoBranchLstm(model: tf.LayersModel, windows: HybridWindows): Float32Array {
  const { samples } = windows.shape;
  const predicted = new Float32Array(samples);
  // Chunk by chunk, so no tensor holds every window (≈ 22,000 validation windows of 90 days, ≈ 200 MB).
  // Before lib/backend's wasm Slice kernel, tfjs copied the whole input to cut each batch: one call
  // took 159 s where these chunks took 31 s. Within a chunk `predict` runs its default batches of 32;
  // the chunk is a multiple of 32, so the batches — and the numbers — are those of one call.
  for (let start = 0; start < samples; start += PREDICT_CHUNK_WINDOWS) {
    const order = Array.from(
      { length: Math.min(PREDICT_CHUNK_WINDOWS, samples - start) },
      (_, i) => start + i,
    );
    const { inputs, target } = toTensors(windows, order);
    const output = model.predict(inputs, { batchSize: PREDICT_BATCH }) as tf.Tensor;
    predicted.set(output.dataSync() as Float32Array, start);
    tf.dispose([...inputs, target, output]);
  }
  return predicted;
}

/** tfjs' default `predict` batch. */
const PREDICT_BATCH = 32;
/** Windows per tensor when predicting (a multiple of {@link PREDICT_BATCH}). */
const PREDICT_CHUNK_WINDOWS = 32 * PREDICT_BATCH;

function toTensors(
  windows: HybridWindows,
  order?: readonly number[],
): { inputs: tf.Tensor[]; target: tf.Tensor } {
  const { samples, windowDays, fundamentalFeatures, technicalFeatures } = windows.shape;
  // A batch holds the samples `order` names, in that order; without it, every sample.
  const count = order === undefined ? samples : order.length;
  const pick = (source: Float32Array, width: number) => {
    if (order === undefined) return source;
    const out = new Float32Array(count * width);
    order.forEach((sample, position) => {
      if (!(Number.isInteger(sample) && sample >= 0 && sample < samples)) {
        throw new RangeError(
          `two-branch LSTM: sample ${sample} of a batch is not one of the ${samples} windows`,
        );
      }
      out.set(source.subarray(sample * width, (sample + 1) * width), position * width);
    });
    return out;
  };
  return {
    inputs: [
      tf.tensor3d(pick(windows.fundamental, windowDays * fundamentalFeatures), [
        count,
        windowDays,
        fundamentalFeatures,
      ]),
      tf.tensor3d(pick(windows.technical, windowDays * technicalFeatures), [
        count,
        windowDays,
        technicalFeatures,
      ]),
    ],
    target: tf.tensor2d(pick(windows.target, 1), [count, 1]),
  };
}
