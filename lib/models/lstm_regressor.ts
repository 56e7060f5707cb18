/**
 * A small LSTM regressor (windows of daily features → one number), as in the ChiNext LSTM paper.
 */
import { readSync, tf } from "../backend/mod.ts";
import { fusedLstm } from "../kernels/mod.ts";
import { createRandom, type Random } from "../random/mod.ts";
import { trainModel } from "../train/mod.ts";
import { DataParallelTrainer } from "../parallel/mod.ts";

/**
 * TensorFlow.js packs the LSTM gates in this order along the last axis of kernels and bias.
 *
 * @example
 * ```ts
 * import { LSTM_GATE_ORDER } from "./lstm_regressor.ts";
 * const forgetSlice = LSTM_GATE_ORDER.indexOf("forget"); // 1: bias[hidden .. 2·hidden)
 * ```
 */
export const LSTM_GATE_ORDER = ["input", "forget", "cell", "output"] as const;

/** Options of {@link LstmRegressor}. Defaults follow the paper's best configuration where it gives one. */
export interface LstmRegressorArgs {
  /** Features per day (5 for the paper's Data1, 6 for Data2). Required. */
  featureCount: number;
  /** Days per input window (time steps). Default 20 (the TensorFlow 1 tutorial's `time_step`). */
  windowDays?: number;
  /**
   * LSTM units per layer (hidden state size). Default 2 — the paper's "LSTM 单元数 = 2" under the
   * hidden-size reading (see `lib/experiments/paper.ts` for the time-steps reading).
   */
  hiddenSize?: number;
  /** Stacked LSTM layers. Default 1. */
  layers?: number;
  /**
   * Dropout rate on each LSTM layer's output during training (before the next layer or the linear head).
   * Default 0. Porting note: the paper says it uses dropout but gives neither rate nor place.
   */
  dropout?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** Windows per gradient step. Default 64. */
  batchSize?: number;
  /**
   * Passes over the training windows. Default 200. Porting note: the paper's "迭代次数" (iterations,
   * 10/50/100/200) is read as epochs — full passes in mini-batches — as in the PyTorch loops of the genre.
   */
  epochs?: number;
  /**
   * Initial forget-gate bias. Default 1.
   *
   * Porting note: TensorFlow 1's BasicLSTMCell adds a constant `forget_bias` to the forget gate's
   * pre-activation at every step while its trainable bias starts at zero. The constant's gradient path is
   * the bias's, so with Adam or SGD (no weight decay) both train identically to a forget-gate bias
   * *initialised* to that constant; we write the constant into the bias slice (gate order i, f, c, o).
   * tfjs's `unitForgetBias` can only add 1, and PyTorch has no such option.
   */
  forgetBias?: number;
  /** Seed of every random draw: initialisers, dropout masks, shuffling. Default 0. */
  seed?: number;
  /**
   * How the LSTM layers compute. Default `"fused"`: each layer is one fused op with its own gradient
   * (`fusedLstm` from `lib/kernels`; 10-50x faster to train on cpu/wasm). `"layers"`: stock
   * `tf.layers.lstm` (dozens of taped ops per time step). Both build the same layers from the same
   * seeded initialisers, so a seed gives identical initial weights; trained weights agree to float32
   * rounding (the fused op sums in another order), not bit for bit.
   */
  implementation?: "fused" | "layers";
  /** Shuffle the training windows each epoch (with the seeded stream). Default true. */
  shuffle?: boolean;
  /**
   * Threads sharing each batch in {@link LstmRegressor.fit}: the main thread plus `workers − 1` Deno
   * Workers (lib/parallel `DataParallelTrainer`), each computing the gradient of a contiguous part of the
   * batch; the size-weighted mean is the whole batch's gradient and Adam runs once on the main thread.
   * Default 1 (no worker). The dropout masks are drawn for the whole batch before it is cut, so a seed
   * gives the same masks for any worker count, and weights equal to `workers: 1`'s up to float32
   * summation order (not bit for bit). Only pays where a second core is free.
   */
  workers?: number;
  /**
   * Called after every epoch with the epoch number (1-based) and its mean training loss (MSE on the
   * scaled target). Awaited, so a progress display can repaint.
   */
  onEpochEnd?: (epoch: number, loss: number) => void | Promise<void>;
}

/** Windows in one flat buffer, as built by `buildWindows` (`lib/features/windows.ts`). */
export interface SequenceBatch {
  /** Row-major [count][windowDays][featureCount]. */
  inputs: Float32Array;
  /** One target per window (scaled). */
  targets: ArrayLike<number>;
  /** Number of windows. */
  count: number;
}

/**
 * One training batch as {@link LstmRegressor.loss} takes it: `size` windows, their targets and (with
 * dropout) the masks of each layer's output, first axis the window.
 */
export interface LstmTrainingBatch {
  /** Number of windows. */
  size: number;
  /** Row-major [size][windowDays][featureCount]. */
  inputs: Float32Array;
  /** [size] scaled targets. */
  targets: Float32Array;
  /** Per layer: dropout multipliers (0 or 1/(1 − rate)) of shape [size, …]; null without dropout. */
  masks: { values: Float32Array; shape: number[] }[] | null;
}

/**
 * The windows `start..end−1` of an {@link LstmTrainingBatch} (copies; masks cut along the first axis).
 *
 * @example
 * ```ts
 * import { sliceLstmTrainingBatch } from "./lstm_regressor.ts";
 * const batch = { size: 2, inputs: new Float32Array([1, 2]), targets: new Float32Array([3, 4]), masks: null };
 * sliceLstmTrainingBatch(batch, 1, 2).inputs; // Float32Array [2]
 * ```
 */
export function sliceLstmTrainingBatch(
  batch: LstmTrainingBatch,
  start: number,
  end: number,
): LstmTrainingBatch {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > batch.size) {
    throw new RangeError(
      `sliceLstmTrainingBatch: need integers 0 ≤ start ≤ end ≤ ${batch.size}, got ${start}..${end}`,
    );
  }
  const stride = batch.inputs.length / batch.size;
  return {
    size: end - start,
    inputs: batch.inputs.slice(start * stride, end * stride),
    targets: batch.targets.slice(start, end),
    masks: batch.masks?.map(({ values, shape }) => {
      const perWindow = values.length / shape[0];
      return {
        values: values.slice(start * perWindow, end * perWindow),
        shape: [end - start, ...shape.slice(1)],
      };
    }) ?? null,
  };
}

/** Options of {@link LstmRegressor.fit}. */
export interface LstmFitArgs {
  /**
   * Folder of a resumable checkpoint (`last/`, `lib/train`'s: weights, Adam's moments, the random
   * stream, the history so far). Default none (nothing saved).
   */
  checkpointFolder?: string;
  /** Continue from the folder's checkpoint when there is one. Default true. */
  resume?: boolean;
  /** Seconds between checkpoint saves; the last epoch and a stop always save. Default 30. */
  checkpointEverySeconds?: number;
  /**
   * Polled after every epoch: true saves a checkpoint and throws `TrainingStopped` (from `lib/train`).
   * Default never.
   */
  shouldStop?: () => boolean;
}

/** What {@link LstmRegressor.fit} returns. */
export interface TrainingHistory {
  /** Mean training loss (MSE, scaled target) of each epoch, in order. */
  loss: number[];
  /** Gradient steps taken (resumed epochs included). */
  steps: number;
  /** Epochs restored from a checkpoint (0 when training started from scratch). */
  resumedFromEpoch: number;
}

/** Weights of one LSTM layer, gates packed in {@link LSTM_GATE_ORDER}. */
export interface LstmLayerWeights {
  /** [inputSize][4 × hidden]. */
  kernel: Float32Array;
  /** [hidden][4 × hidden]. */
  recurrentKernel: Float32Array;
  /** [4 × hidden]. */
  bias: Float32Array;
}

/** All weights of the regressor, for inspection and tests. */
export interface LstmRegressorWeights {
  /** One entry per LSTM layer, first layer first. */
  layers: LstmLayerWeights[];
  /** Linear head: [hidden][1] kernel and its bias. */
  head: { kernel: Float32Array; bias: number };
}

type ResolvedArgs = Required<Omit<LstmRegressorArgs, "onEpochEnd">> & Pick<LstmRegressorArgs, "onEpochEnd">;

/**
 * LSTM layers (last time step's hidden state) → linear head, trained by Adam on mean squared error.
 *
 * Initialisers (Keras defaults, seeded from `seed` via `lib/random`): kernels `glorotUniform`,
 * recurrent kernels `orthogonal`, biases zero except the forget slice = `forgetBias`, head
 * `glorotUniform` with zero bias. Porting note: tfjs defaults differ — its LSTM uses `hardSigmoid` for the
 * gates and `glorotNormal` kernels; we set `recurrentActivation: "sigmoid"` and the initialisers
 * explicitly. The paper used PyTorch (whose default is uniform ±1/√hidden for every weight).
 *
 * @example
 * ```ts
 * import { LstmRegressor } from "./lstm_regressor.ts";
 * const model = new LstmRegressor({ featureCount: 1, windowDays: 3, hiddenSize: 2, epochs: 2, seed: 1 });
 * const windows = { inputs: new Float32Array([0, 0.1, 0.2, 0.1, 0.2, 0.3]), targets: [0.3, 0.4], count: 2 };
 * const history = await model.fit(windows);
 * const predictions = model.predict(windows.inputs, windows.count);
 * model.dispose();
 * ```
 */
export class LstmRegressor {
  /** The options with defaults filled in. */
  readonly args: Readonly<ResolvedArgs>;
  #random: Random;
  #lstmLayers: ReturnType<typeof tf.layers.lstm>[] = [];
  #head: ReturnType<typeof tf.layers.dense>;
  #disposed = false;

  /** Builds the layers and initialises every weight (deterministically from `seed`). */
  constructor(args: LstmRegressorArgs) {
    this.args = resolveArgs(args);
    const { featureCount, windowDays, hiddenSize, layers, forgetBias, seed } = this.args;
    this.#random = createRandom(seed);
    const initRandom = this.#random.fork("initialisers");
    const lstm = this.args.implementation === "fused" ? fusedLstm : tf.layers.lstm;
    for (let layer = 0; layer < layers; layer++) {
      this.#lstmLayers.push(lstm({
        units: hiddenSize,
        returnSequences: layer < layers - 1,
        activation: "tanh",
        recurrentActivation: "sigmoid",
        kernelInitializer: tf.initializers.glorotUniform({ seed: initRandom.nextSeed() }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: initRandom.nextSeed() }),
        biasInitializer: "zeros",
        unitForgetBias: false,
      }));
    }
    this.#head = tf.layers.dense({
      units: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: initRandom.nextSeed() }),
      biasInitializer: "zeros",
    });
    // Build every layer with one dummy forward pass, then write the forget-gate bias slice.
    tf.tidy(() => {
      this.#forward(tf.zeros([1, windowDays, featureCount]) as tf.Tensor3D, null);
    });
    for (const layer of this.#lstmLayers) {
      const [kernel, recurrentKernel] = layer.getWeights();
      const bias = new Float32Array(4 * hiddenSize);
      bias.fill(forgetBias, hiddenSize, 2 * hiddenSize);
      const biasTensor = tf.tensor1d(bias);
      layer.setWeights([kernel, recurrentKernel, biasTensor]);
      biasTensor.dispose(); // the variable keeps its own reference
    }
  }

  /**
   * Trains on `data` for `epochs` epochs through `lib/train`'s loop (`trainModel`: Adam at a constant
   * learning rate, no clipping — PyTorch's defaults, as the paper's code) and returns the per-epoch loss.
   * Each epoch shuffles the windows (seeded) and draws the dropout masks from the same stream, so a seed
   * gives identical weights. With `checkpointFolder`, a run that was killed or stopped continues from its
   * last saved epoch (断点续训) and ends with exactly the weights of an uninterrupted run. Each call starts
   * a fresh Adam (zero moments).
   *
   * Porting note: until `PAPER_NUMERICS_VERSION` 2 the regressor had its own loop and tfjs's Adam
   * (ε 1e-7; epoch loss weighted by batch size). Now: `lib/train`'s Adam (PyTorch's formula, ε 1e-8), and
   * an epoch's loss is the mean of its batches' losses, as for every model.
   */
  async fit(data: SequenceBatch, fitArgs: LstmFitArgs = {}): Promise<TrainingHistory> {
    this.#checkAlive();
    const { windowDays, featureCount, batchSize, epochs, shuffle, seed, learningRate, workers } = this.args;
    checkBatch(data, windowDays * featureCount);
    if (epochs === 0) return { loss: [], steps: 0, resumedFromEpoch: 0 };
    const batchesPerEpoch = Math.ceil(data.count / batchSize);
    const drawBatches = (random: Random): LstmTrainingBatch[] => {
      const order = Array.from({ length: data.count }, (_, index) => index);
      if (shuffle) random.shuffle(order);
      const batches: LstmTrainingBatch[] = [];
      for (let start = 0; start < data.count; start += batchSize) {
        batches.push(this.#gatherBatch(data, order, start, Math.min(batchSize, data.count - start), random));
      }
      return batches;
    };
    const { onEpochEnd, ...settings } = this.args;
    let trainer: DataParallelTrainer<LstmTrainingBatch> | undefined;
    if (workers > 1) {
      trainer = await DataParallelTrainer.create<LstmTrainingBatch>({
        model: this,
        replica: {
          worker: new URL("./_replica_worker.ts", import.meta.url).href,
          name: "LstmRegressor",
          args: { ...settings, workers: 1 },
        },
        workers,
        slice: sliceLstmTrainingBatch,
      });
    }
    // The loss draws nothing (the masks come with the batch); the trainer's per-step seeds come from here.
    const parallelRandom = createRandom(seed).fork("parallel");
    try {
      const result = await trainModel<LstmTrainingBatch>({
        model: this,
        epochs,
        drawBatches,
        seed,
        learningRate,
        stepEpochs: 1,
        gamma: 1,
        clipNorm: null,
        measureGradientNorm: false,
        checkpointFolder: fitArgs.checkpointFolder,
        resume: fitArgs.resume,
        checkpointEverySeconds: fitArgs.checkpointEverySeconds ?? 30,
        shouldStop: fitArgs.shouldStop,
        // The worker count changes float sums, not the settings: a run may resume with another.
        metadata: {
          model: "LstmRegressor",
          settings: { ...settings, workers: undefined },
          windows: data.count,
        },
        computeGradients: trainer ? (batch) => trainer!.gradients(batch, parallelRandom) : undefined,
        onEpochEnd: onEpochEnd ? (record) => onEpochEnd(record.epoch, record.trainingLoss) : undefined,
      });
      return {
        loss: result.history.map((record) => record.trainingLoss),
        steps: result.history.length * batchesPerEpoch,
        resumedFromEpoch: result.resumedFromEpoch,
      };
    } finally {
      trainer?.dispose();
    }
  }

  /**
   * Predicts the (scaled) target of `count` windows in a row-major [count][windowDays][featureCount] buffer.
   * Reads synchronously, so not on the webgpu backend: use {@link predictAsync} there.
   */
  predict(inputs: Float32Array, count: number, chunkSize = 1024): Float64Array {
    this.#checkPredictInputs(inputs, count);
    const result = new Float64Array(count);
    for (let start = 0; start < count; start += chunkSize) {
      const size = Math.min(chunkSize, count - start);
      // Perf note: tidy returns the tensor, not its values: tidy walks a returned typed array element
      // by element looking for tensors (~0.2 µs each).
      const output = tf.tidy(() => this.#predictChunk(inputs, start, size));
      try {
        result.set(readSync(output, "LstmRegressor.predict", "await predictAsync(…)"), start);
      } finally {
        output.dispose();
      }
    }
    return result;
  }

  /** {@link predict} on every backend, webgpu included: each chunk is read asynchronously. */
  async predictAsync(inputs: Float32Array, count: number, chunkSize = 1024): Promise<Float64Array> {
    this.#checkPredictInputs(inputs, count);
    const result = new Float64Array(count);
    for (let start = 0; start < count; start += chunkSize) {
      const size = Math.min(chunkSize, count - start);
      const output = tf.tidy(() => this.#predictChunk(inputs, start, size));
      result.set(await output.data(), start);
      output.dispose();
    }
    return result;
  }

  /** Copies of every weight (for inspection and tests). Not on webgpu: use {@link getWeightsAsync}. */
  getWeights(): LstmRegressorWeights {
    this.#checkAlive();
    const read = (tensor: tf.Tensor) =>
      (readSync(tensor, "LstmRegressor.getWeights", "await getWeightsAsync()") as Float32Array).slice();
    const layers = this.#lstmLayers.map((layer) => {
      const [kernel, recurrentKernel, bias] = layer.getWeights().map(read);
      return { kernel, recurrentKernel, bias };
    });
    const [headKernel, headBias] = this.#head.getWeights().map(read);
    return { layers, head: { kernel: headKernel, bias: headBias[0] } };
  }

  /** {@link getWeights} on every backend, webgpu included (asynchronous reads). */
  async getWeightsAsync(): Promise<LstmRegressorWeights> {
    this.#checkAlive();
    const read = async (tensor: tf.Tensor) => ((await tensor.data()) as Float32Array).slice();
    const layers: LstmLayerWeights[] = [];
    for (const layer of this.#lstmLayers) {
      const [kernel, recurrentKernel, bias] = await Promise.all(layer.getWeights().map(read));
      layers.push({ kernel, recurrentKernel, bias });
    }
    const [headKernel, headBias] = await Promise.all(this.#head.getWeights().map(read));
    return { layers, head: { kernel: headKernel, bias: headBias[0] } };
  }

  /** Frees the weights and optimizer state. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const layer of this.#lstmLayers) layer.dispose();
    this.#head.dispose();
  }

  /**
   * The trainable variables by stable name (`lstm<layer>/<kernel|recurrentKernel|bias>`, `head/<kernel|bias>`):
   * the same names in every replica, unlike tfjs's instance-numbered variable names.
   */
  get namedVariables(): ReadonlyMap<string, tf.Variable> {
    const names = ["kernel", "recurrentKernel", "bias"];
    const named = new Map<string, tf.Variable>();
    this.#lstmLayers.forEach((layer, index) =>
      layer.trainableWeights.forEach((weight, at) =>
        named.set(`lstm${index}/${names[at]}`, weight.read() as tf.Variable)
      )
    );
    this.#head.trainableWeights.forEach((weight, at) =>
      named.set(`head/${names[at * 2]}`, weight.read() as tf.Variable)
    );
    return named;
  }

  /** Mean squared error of one training batch (dropout as its masks say): what {@link fit} minimises. */
  loss(batch: LstmTrainingBatch): tf.Scalar {
    const { windowDays, featureCount } = this.args;
    return tf.tidy(() => {
      const x = tf.tensor3d(batch.inputs, [batch.size, windowDays, featureCount]);
      const y = tf.tensor2d(batch.targets, [batch.size, 1]);
      const masks = batch.masks?.map((mask) => tf.tensor(mask.values, mask.shape)) ?? null;
      return tf.losses.meanSquaredError(y, this.#forward(x, masks)) as tf.Scalar;
    });
  }

  /** Windows `order[start..start+size)` as a training batch, with this step's dropout masks (if any). */
  #gatherBatch(
    data: SequenceBatch,
    order: number[],
    start: number,
    size: number,
    dropoutRandom: Random,
  ): LstmTrainingBatch {
    const { windowDays, featureCount, dropout, hiddenSize, layers } = this.args;
    const stride = windowDays * featureCount;
    const inputs = new Float32Array(size * stride);
    const targets = new Float32Array(size);
    for (let row = 0; row < size; row++) {
      const source = order[start + row];
      inputs.set(data.inputs.subarray(source * stride, (source + 1) * stride), row * stride);
      targets[row] = data.targets[source];
    }
    const masks = dropout > 0
      ? dropoutMasks(dropoutRandom, dropout, size, windowDays, hiddenSize, layers)
      : null;
    return { size, inputs, targets, masks };
  }

  #forward(x: tf.Tensor3D, masks: tf.Tensor[] | null): tf.Tensor2D {
    let hidden: tf.Tensor = x;
    this.#lstmLayers.forEach((layer, index) => {
      hidden = layer.apply(hidden) as tf.Tensor;
      if (masks) hidden = tf.mul(hidden, masks[index]);
    });
    return this.#head.apply(hidden) as tf.Tensor2D;
  }

  #checkPredictInputs(inputs: Float32Array, count: number): void {
    this.#checkAlive();
    const { windowDays, featureCount } = this.args;
    if (inputs.length !== count * windowDays * featureCount) {
      throw new RangeError(
        `LstmRegressor.predict: ${inputs.length} values are not ${count} windows of ${windowDays} days × ${featureCount} features`,
      );
    }
  }

  /** Predictions `[size, 1]` of windows start … start + size − 1 (call inside tidy). */
  #predictChunk(inputs: Float32Array, start: number, size: number): tf.Tensor2D {
    const { windowDays, featureCount } = this.args;
    const stride = windowDays * featureCount;
    const x = tf.tensor3d(inputs.subarray(start * stride, (start + size) * stride), [
      size,
      windowDays,
      featureCount,
    ]);
    return this.#forward(x, null);
  }

  #checkAlive(): void {
    if (this.#disposed) throw new Error("LstmRegressor: used after dispose()");
  }
}

function resolveArgs(args: LstmRegressorArgs): ResolvedArgs {
  const resolved: ResolvedArgs = {
    featureCount: args.featureCount,
    windowDays: args.windowDays ?? 20,
    hiddenSize: args.hiddenSize ?? 2,
    layers: args.layers ?? 1,
    dropout: args.dropout ?? 0,
    learningRate: args.learningRate ?? 0.01,
    batchSize: args.batchSize ?? 64,
    epochs: args.epochs ?? 200,
    forgetBias: args.forgetBias ?? 1,
    seed: args.seed ?? 0,
    implementation: args.implementation ?? "fused",
    shuffle: args.shuffle ?? true,
    workers: args.workers ?? 1,
    onEpochEnd: args.onEpochEnd,
  };
  for (const key of ["featureCount", "windowDays", "hiddenSize", "layers", "batchSize", "workers"] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`LstmRegressorArgs.${key} must be an integer ≥ 1, got ${resolved[key]}`);
    }
  }
  if (!Number.isInteger(resolved.epochs) || resolved.epochs < 0) {
    throw new RangeError(`LstmRegressorArgs.epochs must be an integer ≥ 0, got ${resolved.epochs}`);
  }
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new RangeError(`LstmRegressorArgs.dropout must be in [0, 1), got ${resolved.dropout}`);
  }
  if (!(resolved.learningRate > 0)) {
    throw new RangeError(`LstmRegressorArgs.learningRate must be > 0, got ${resolved.learningRate}`);
  }
  if (resolved.implementation !== "fused" && resolved.implementation !== "layers") {
    throw new RangeError(
      `LstmRegressorArgs.implementation must be "fused" or "layers", got ${resolved.implementation}`,
    );
  }
  if (!Number.isFinite(resolved.forgetBias)) {
    throw new RangeError(`LstmRegressorArgs.forgetBias must be finite, got ${resolved.forgetBias}`);
  }
  return resolved;
}

function checkBatch(data: SequenceBatch, stride: number): void {
  if (!Number.isInteger(data.count) || data.count < 1) {
    throw new RangeError(`LstmRegressor.fit: needs at least one window, got ${data.count}`);
  }
  if (data.inputs.length !== data.count * stride) {
    throw new RangeError(
      `LstmRegressor.fit: ${data.inputs.length} input values are not ${data.count} windows`,
    );
  }
  if (data.targets.length !== data.count) {
    throw new RangeError(`LstmRegressor.fit: ${data.targets.length} targets for ${data.count} windows`);
  }
  for (let index = 0; index < data.count; index++) {
    if (!Number.isFinite(data.targets[index])) {
      throw new RangeError(`LstmRegressor.fit: target ${index} is ${data.targets[index]}`);
    }
  }
}

/** Inverted-dropout masks (0 or 1/(1 − rate)) drawn from the seeded stream, one per LSTM layer output. */
function dropoutMasks(
  random: Random,
  rate: number,
  batch: number,
  windowDays: number,
  hiddenSize: number,
  layers: number,
): { values: Float32Array; shape: number[] }[] {
  const keep = 1 / (1 - rate);
  const masks = [];
  for (let layer = 0; layer < layers; layer++) {
    const shape = layer < layers - 1 ? [batch, windowDays, hiddenSize] : [batch, hiddenSize];
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let index = 0; index < values.length; index++) values[index] = random.uniform() < rate ? 0 : keep;
    masks.push({ values, shape });
  }
  return masks;
}
