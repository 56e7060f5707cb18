/**
 * The training loop shared by every model: each epoch draws fresh batches, takes Adam steps with
 * a StepLR schedule and global-norm clipping, evaluates on a fixed set, reports through
 * `onEpochEnd`, keeps the best checkpoint by score and a resumable last checkpoint (断点续训).
 */
import { tf } from "../backend/mod.ts";
import { createRandom, type Random, type RandomState } from "../random/mod.ts";
import { Adam, type AdamArgs } from "./adam.ts";
import {
  assignVariables,
  type NamedArray,
  packFloat32,
  readTensorFolder,
  resolveTensorFolder,
  unpackFloat32,
  variablesToArrays,
  writeTensorFolder,
} from "./checkpoint.ts";
import { clipByGlobalNorm } from "./gradient_clipping.ts";
import { stepLearningRate } from "./schedule.ts";

/** What the loop needs from a model: named trainable variables and a training loss. */
export interface TrainableModel<Batch> {
  /** Trainable variables by stable name (saved in checkpoints under these names). */
  readonly namedVariables: ReadonlyMap<string, tf.Variable>;
  /** Mean loss of a batch in training mode; dropout seeds must come from `random`. */
  loss(batch: Batch, random: Random): tf.Scalar;
}

/** Result of evaluating the model after an epoch. */
export interface Evaluation {
  /** Higher is better; decides the best checkpoint (EquiNet: points per 1000). */
  score: number;
  /** Any other numbers to report (accuracy, evaluation loss…). */
  metrics: Record<string, number>;
}

/** The longest the training loop computes without letting the event loop run timers. */
const YIELD_EVERY_MS = 500;

/**
 * Lets the event loop run pending timers and I/O (a macrotask turn), e.g. between batches of a long
 * synchronous computation, so that heartbeats and progress timers keep firing.
 *
 * @example
 * ```ts
 * import { yieldToEventLoop } from "./trainer.ts";
 * await yieldToEventLoop();
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One line of training history, passed to `onEpochEnd`. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Epochs planned. */
  epochs: number;
  /** Mean training loss over the epoch's batches. */
  trainingLoss: number;
  /** Learning rate used in this epoch. */
  learningRate: number;
  /** Mean global gradient norm before clipping. */
  gradientNorm: number;
  /** Evaluation score after this epoch. */
  score: number;
  /** Evaluation metrics after this epoch. */
  metrics: Record<string, number>;
  /** Whether this epoch set a new best score (and was saved as `best/`). */
  best: boolean;
  /** Wall-clock seconds of this epoch (the only field that differs between identical runs). */
  seconds: number;
}

/** Options of {@link trainModel}. */
export interface TrainArgs<Batch> {
  /** The model to train (its variables are updated in place). */
  model: TrainableModel<Batch>;
  /** Total epochs (a resumed run continues up to this many). */
  epochs: number;
  /** The batches of one epoch, drawn with the loop's random stream (e.g. `windows.drawEpoch`). */
  drawBatches: (random: Random, epoch: number) => Batch[];
  /**
   * Evaluates the model (dropout off) on a fixed set after each epoch; must not use the loop's
   * randomness. The best checkpoint is chosen by this score, so in honest runs evaluate on a
   * validation segment, never on the test segment (that would select the model on test data).
   * Default: none — every epoch's score is NaN, no `best/` is kept and `patience` is refused (the paper's
   * LSTM trains a fixed number of epochs).
   */
  evaluate?: (epoch: number) => Evaluation | Promise<Evaluation>;
  /** Seed of the loop's random stream (batches and dropout). Default 0. */
  seed?: number;
  /** Initial learning rate. Default 1e-3. */
  learningRate?: number;
  /** StepLR step size in epochs. Default 10. */
  stepEpochs?: number;
  /** StepLR decay factor. Default 0.5. */
  gamma?: number;
  /** Adam options (betas, epsilon, weight decay). Default PyTorch's. */
  adam?: AdamArgs;
  /** Clip gradients to this global norm; null disables clipping. Default 1. */
  clipNorm?: number | null;
  /**
   * Whether to measure each step's global gradient norm when not clipping (for `EpochRecord.gradientNorm`;
   * NaN when off). It costs a few tf ops per step, which tiny models feel. Default true.
   */
  measureGradientNorm?: boolean;
  /**
   * Computes a batch's loss and gradients (by variable name) elsewhere — e.g. data-parallel workers
   * summing their slices' gradients (`lib/parallel`). `random` is the loop's stream. Default:
   * `tf.variableGrads` of `model.loss` in this process.
   */
  computeGradients?: (
    batch: Batch,
    random: Random,
  ) => Promise<{ loss: number; gradients: ReadonlyMap<string, tf.Tensor> }>;
  /**
   * Folder (e.g. `out/equinet/d64`) for `best/` (highest score) and `last/` (resumable:
   * weights, Adam moments, random state, history). Default: no checkpoints.
   */
  checkpointFolder?: string;
  /** Continue from `last/` when it exists. Default true. */
  resume?: boolean;
  /**
   * Seconds between writes of `last/`: an epoch ending this long after the previous write saves it; the
   * final epoch, an early stop and a `shouldStop` always save. 0 saves every epoch (for long epochs); tiny
   * models with thousands of short epochs save every 30 s or so. `best/` is written whenever the score
   * improves. Default 0.
   */
  checkpointEverySeconds?: number;
  /**
   * Polled after every epoch, after its checkpoints: true saves `last/` and throws {@link TrainingStopped}
   * (the run continues from there when called again). Default: never.
   */
  shouldStop?: () => boolean;
  /**
   * Early stopping: end after this many epochs in a row without a new best score (Keras' `EarlyStopping`
   * patience). Decided from the history, so a resumed run stops where an uninterrupted one does. Default:
   * none (every epoch runs).
   */
  patience?: number;
  /**
   * A further stopping rule read from the history before each epoch (e.g. a pruner comparing the run with
   * earlier ones): true ends the run there. Like `patience` it is decided from the history alone, so a
   * resumed run stops where an uninterrupted one does. Default: none.
   */
  stopWhen?: (history: readonly EpochRecord[]) => boolean;
  /**
   * Extra metadata saved in every model.json (e.g. the model's options). It is also part of the
   * settings a resumed run must match: put the model options and the data/evaluation settings here
   * so that resuming with different ones is refused.
   */
  metadata?: Record<string, unknown>;
  /**
   * Descriptive metadata saved in every model.json beside `metadata` but not compared when resuming:
   * facts the checkpoint folder already pins (e.g. how the data's market rows were paired, which the
   * data fingerprint naming the folder covers), so that recording a new one does not stop checkpoints
   * written before it from resuming. Default: none.
   */
  notes?: Record<string, unknown>;
  /**
   * Further best-checkpoint rules kept beside `score`, each a score (higher is better) computed from
   * an epoch's evaluation metrics: rule `name` keeps its best epoch's weights in `best-<name>/`, so
   * that one run shows what another selection rule would have chosen (e.g. validation points beside
   * validation loss). Ties keep the earlier epoch, as `score` does. Derived from the history, so a
   * resumed run keeps them exactly. Default: none.
   */
  keepBestBy?: Record<string, (metrics: Record<string, number>) => number>;
  /** Called after every epoch, after checkpoints are written. */
  onEpochEnd?: (record: EpochRecord, history: readonly EpochRecord[]) => void | Promise<void>;
  /** Called after every optimiser step (for a progress bar inside long epochs). */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
}

/** What {@link TrainArgs.onBatchEnd} receives. */
export interface BatchProgress {
  /** 1-based epoch number. */
  epoch: number;
  /** Epochs planned. */
  epochs: number;
  /** 1-based batch number within the epoch. */
  batch: number;
  /** Batches in this epoch. */
  batches: number;
  /** Training loss of this batch. */
  loss: number;
  /** Learning rate of this epoch. */
  learningRate: number;
}

/** Thrown by {@link trainModel} when `shouldStop` asked it to stop (its `last/` checkpoint is saved). */
export class TrainingStopped extends Error {
  /** @param epoch The last finished epoch. */
  constructor(readonly epoch: number) {
    super(`training stopped after epoch ${epoch}; the checkpoint continues it`);
    this.name = "TrainingStopped";
  }
}

/** What {@link trainModel} returns. */
export interface TrainResult {
  /** Every epoch, including those of an earlier, resumed run. */
  history: EpochRecord[];
  /** Best score seen (−Infinity without `evaluate`). */
  bestScore: number;
  /** Epoch (1-based) of the best score; 0 when none. */
  bestEpoch: number;
  /** Epochs already done when this call started (0 for a fresh run). */
  resumedFromEpoch: number;
  /** True when `patience` ended the run before `epochs`. */
  stoppedEarly: boolean;
  /** True when `stopWhen` ended the run before `epochs`. */
  stoppedByRule: boolean;
  /** Best epoch (1-based; 0 when none) and score of each `keepBestBy` rule. */
  alsoBest: Record<string, { epoch: number; score: number }>;
}

interface TrainingState {
  version: 1;
  epoch: number;
  bestScore: number | string;
  bestEpoch: number;
  random: RandomState;
  optimizerStep: number;
  optimizerNames: string[];
  config: Record<string, unknown>;
  history: EpochRecord[];
}

/** JSON that keeps NaN and ±Infinity (as strings). */
function stringify(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, entry) => typeof entry === "number" && !Number.isFinite(entry) ? String(entry) : entry,
    1,
  );
}

function parse(text: string): unknown {
  return JSON.parse(
    text,
    (_key, entry) =>
      entry === "NaN" ? NaN : entry === "Infinity" ? Infinity : entry === "-Infinity" ? -Infinity : entry,
  );
}

/**
 * Trains a model. Each epoch: learning rate from StepLR, batches from `drawBatches`, one Adam step
 * per batch (gradients clipped by global norm), then `evaluate`, checkpoints, `onEpochEnd`.
 * With a checkpoint folder and `resume`, a run that was killed continues from its last saved
 * epoch and ends exactly where an uninterrupted run ends (same weights, metrics and history,
 * except wall-clock seconds).
 *
 * @example
 * ```ts
 * import { trainModel } from "./trainer.ts";
 * declare const model: import("./trainer.ts").TrainableModel<number[]>;
 * const result = await trainModel({
 *   model,
 *   epochs: 3,
 *   drawBatches: (random) => [[random.uniform()]],
 *   evaluate: () => ({ score: 0, metrics: {} }),
 *   checkpointFolder: "out/example",
 *   onEpochEnd: (record) => console.log(record.epoch, record.trainingLoss),
 * });
 * ```
 */
export async function trainModel<Batch>(args: TrainArgs<Batch>): Promise<TrainResult> {
  const learningRate = args.learningRate ?? 1e-3;
  const stepEpochs = args.stepEpochs ?? 10;
  const gamma = args.gamma ?? 0.5;
  const clipNorm = args.clipNorm === undefined ? 1 : args.clipNorm;
  const seed = args.seed ?? 0;
  if (!Number.isInteger(args.epochs) || args.epochs < 1) {
    throw new RangeError(`trainModel: epochs must be a positive integer, got ${args.epochs}`);
  }
  const variables = args.model.namedVariables;
  const variableList = [...variables.values()];
  const adam = new Adam(variables, args.adam);
  const random = createRandom(seed).fork("training");
  const config = {
    seed,
    learningRate,
    stepEpochs,
    gamma,
    clipNorm,
    adam: adam.args,
    variables: [...variables].map(([name, variable]) => `${name}[${variable.shape}]`),
    metadata: args.metadata ?? {},
    // Only when given, so that checkpoints written before the option existed still resume.
    ...(args.keepBestBy ? { keepBestBy: Object.keys(args.keepBestBy) } : {}),
    ...(args.patience !== undefined ? { patience: args.patience } : {}),
  };
  let history: EpochRecord[] = [];
  let bestScore = -Infinity;
  let bestEpoch = 0;
  let startEpoch = 0;
  const folder = args.checkpointFolder;
  try {
    if (folder && (args.resume ?? true) && await resolveTensorFolder(`${folder}/last`)) {
      const saved = await readTensorFolder(`${folder}/last`);
      const state = parse(await Deno.readTextFile(`${saved.folder}/training_state.json`)) as TrainingState;
      if (JSON.stringify(state.config) !== JSON.stringify(config)) {
        throw new Error(
          `trainModel: ${folder}/last was written with other settings (${JSON.stringify(state.config)}); ` +
            `use another checkpointFolder or resume: false`,
        );
      }
      assignVariables(variables, saved.weights);
      const moments = unpackFloat32(
        await Deno.readFile(`${saved.folder}/optimizer.bin`),
        [...state.optimizerNames, ...state.optimizerNames].map((name) => variables.get(name)!.size),
        `${saved.folder}/optimizer.bin`,
      );
      const count = state.optimizerNames.length;
      adam.setState({
        step: state.optimizerStep,
        firstMoments: new Map(state.optimizerNames.map((name, index) => [name, moments[index]])),
        secondMoments: new Map(state.optimizerNames.map((name, index) => [name, moments[count + index]])),
      });
      random.setState(state.random);
      history = state.history;
      bestScore = Number(state.bestScore);
      bestEpoch = state.bestEpoch;
      startEpoch = state.epoch;
    }
    const resumedFromEpoch = startEpoch;
    const rules = Object.entries(args.keepBestBy ?? {});
    for (const [name] of rules) {
      if (!/^[a-z][a-z0-9-]*$/.test(name)) {
        throw new Error(
          `trainModel: keepBestBy rule names must be lower-case words (a folder name), got ${name}`,
        );
      }
    }
    const alsoBest: TrainResult["alsoBest"] = {};
    for (const [name, rule] of rules) {
      alsoBest[name] = { epoch: 0, score: -Infinity };
      for (const record of history) {
        const score = rule(record.metrics);
        if (score > alsoBest[name].score) alsoBest[name] = { epoch: record.epoch, score };
      }
    }
    if (args.patience !== undefined && !(Number.isInteger(args.patience) && args.patience >= 1)) {
      throw new RangeError(`trainModel: patience must be a positive integer, got ${args.patience}`);
    }
    if (args.patience !== undefined && !args.evaluate) {
      throw new RangeError("trainModel: patience needs an evaluate function (it waits for a better score)");
    }
    const checkpointEverySeconds = args.checkpointEverySeconds ?? 0;
    if (!(checkpointEverySeconds >= 0)) {
      throw new RangeError(`trainModel: checkpointEverySeconds must be ≥ 0, got ${checkpointEverySeconds}`);
    }
    let savedEpoch = startEpoch;
    let savedAt = performance.now();
    /** Writes `last/` (weights, Adam's moments, the random state, the history) after the latest epoch. */
    const saveLast = async (weights?: NamedArray[]) => {
      if (!folder || savedEpoch === history.length) return;
      const latest = history[history.length - 1];
      await writeLast(
        `${folder}/last`,
        weights ?? await variablesToArrays(variables),
        {
          ...args.metadata,
          ...args.notes,
          epoch: latest.epoch,
          score: latest.score,
          metrics: latest.metrics,
        },
        adam,
        {
          version: 1,
          epoch: latest.epoch,
          bestScore,
          bestEpoch,
          random: random.getState(),
          optimizerStep: adam.step,
          optimizerNames: [...variables.keys()],
          config,
          history,
        },
      );
      savedEpoch = history.length;
      savedAt = performance.now();
    };
    let stoppedEarly = false;
    let stoppedByRule = false;
    for (let epoch = startEpoch; epoch < args.epochs; epoch++) {
      // Early stopping, from the history: `patience` epochs since the best one end the run.
      if (args.patience !== undefined && bestEpoch > 0 && epoch - bestEpoch >= args.patience) {
        stoppedEarly = true;
        break;
      }
      if (history.length > 0 && args.stopWhen?.(history)) {
        stoppedByRule = true;
        break;
      }
      const started = performance.now();
      const rate = stepLearningRate(epoch, { initial: learningRate, stepEpochs, gamma });
      const batches = args.drawBatches(random, epoch);
      if (batches.length === 0) {
        throw new Error(`trainModel: drawBatches gave no batches for epoch ${epoch + 1}`);
      }
      let lossSum = 0;
      let normSum = 0;
      let lastYield = performance.now();
      for (const [batchIndex, batch] of batches.entries()) {
        let value: tf.Scalar | number;
        const named = new Map<string, tf.Tensor>();
        if (args.computeGradients) {
          const computed = await args.computeGradients(batch, random);
          value = computed.loss;
          for (const [name, gradient] of computed.gradients) {
            if (!variables.has(name)) {
              tf.dispose([...computed.gradients.values()]);
              throw new Error(
                `trainModel: computeGradients gave a gradient for ${name}, which is no variable`,
              );
            }
            named.set(name, gradient);
          }
        } else {
          const { value: loss, grads } = tf.variableGrads(() => args.model.loss(batch, random), variableList);
          value = loss;
          for (const [name, variable] of variables) {
            if (grads[variable.name]) named.set(name, grads[variable.name]);
          }
        }
        let applied = named;
        let norm: tf.Scalar | null = null;
        if (clipNorm !== null) {
          const clipped = clipByGlobalNorm(named, clipNorm);
          applied = clipped.gradients;
          norm = clipped.norm;
        } else if (args.measureGradientNorm ?? true) {
          norm = tf.tidy(() =>
            tf.sqrt(tf.addN([...named.values()].map((g) => tf.sum(tf.square(g))))) as tf.Scalar
          );
        }
        adam.apply(applied, rate);
        // Asynchronous reads: the webgpu backend cannot read synchronously in Deno.
        normSum += norm === null ? NaN : (await norm.data())[0];
        const batchLoss = typeof value === "number" ? value : (await value.data())[0];
        lossSum += batchLoss;
        tf.dispose([
          ...(norm === null ? [] : [norm]),
          ...(typeof value === "number" ? [] : [value]),
          ...named.values(),
          ...(applied === named ? [] : applied.values()),
        ]);
        await args.onBatchEnd?.({
          epoch: epoch + 1,
          epochs: args.epochs,
          batch: batchIndex + 1,
          batches: batches.length,
          loss: batchLoss,
          learningRate: rate,
        });
        // Awaiting tensors that are already computed never leaves the microtask queue: without this, a long
        // epoch would starve every timer of the process (a results-store claim's renewal among them).
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const evaluation: Evaluation = args.evaluate
        ? await args.evaluate(epoch + 1)
        : { score: NaN, metrics: {} };
      const best = evaluation.score > bestScore;
      if (best) {
        bestScore = evaluation.score;
        bestEpoch = epoch + 1;
      }
      const record: EpochRecord = {
        epoch: epoch + 1,
        epochs: args.epochs,
        trainingLoss: lossSum / batches.length,
        learningRate: rate,
        gradientNorm: normSum / batches.length,
        score: evaluation.score,
        metrics: evaluation.metrics,
        best,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      // Each keepBestBy rule's score, once: the rules this epoch improves are saved (with a folder) and kept.
      const improved = rules
        .map(([name, rule]) => ({ name, score: rule(evaluation.metrics) }))
        .filter(({ name, score }) => score > alsoBest[name].score);
      for (const { name, score } of improved) alsoBest[name] = { epoch: epoch + 1, score };
      if (folder) {
        const due = epoch + 1 === args.epochs ||
          (performance.now() - savedAt) / 1000 >= checkpointEverySeconds;
        const weights = best || due || improved.length > 0 ? await variablesToArrays(variables) : [];
        const metadata = {
          ...args.metadata,
          ...args.notes,
          epoch: epoch + 1,
          score: evaluation.score,
          metrics: evaluation.metrics,
        };
        if (best) await writeTensorFolder(`${folder}/best`, weights, metadata);
        for (const { name, score } of improved) {
          await writeTensorFolder(`${folder}/best-${name}`, weights, {
            ...metadata,
            rule: name,
            ruleScore: score,
          });
        }
        if (due) await saveLast(weights);
      }
      await args.onEpochEnd?.(record, history);
      if (epoch + 1 < args.epochs && args.shouldStop?.()) {
        await saveLast();
        throw new TrainingStopped(epoch + 1);
      }
    }
    // An early stop (or a stopping rule) may come between periodic saves: the final state is saved.
    await saveLast();
    return { history, bestScore, bestEpoch, resumedFromEpoch, stoppedEarly, stoppedByRule, alsoBest };
  } finally {
    adam.dispose();
  }
}

async function writeLast(
  folder: string,
  weights: NamedArray[],
  metadata: Record<string, unknown>,
  adam: Adam,
  state: TrainingState,
): Promise<void> {
  const moments = await adam.getState();
  const names = state.optimizerNames;
  const optimizer = packFloat32([
    ...names.map((name) => moments.firstMoments.get(name)!),
    ...names.map((name) => moments.secondMoments.get(name)!),
  ]);
  await writeTensorFolder(folder, weights, metadata, {
    "optimizer.bin": optimizer,
    "training_state.json": stringify(state),
  });
}
