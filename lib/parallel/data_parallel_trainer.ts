import { matmulPath, setMatmulThreads, tf } from "../backend/mod.ts";
import { createRandom } from "../random/mod.ts";
import type { Random } from "../random/mod.ts";
import { type FromWorker, type ReplicaSpec, type ToWorker, typedArrayBuffers } from "./_protocol.ts";

export type { ReplicaSpec } from "./_protocol.ts";

/** A model that {@link DataParallelTrainer} can train: named variables and a mean loss over a batch. */
export interface ParallelModel<Batch> {
  /** The trainable variables by name (the same names and shapes in every replica). */
  readonly namedVariables: ReadonlyMap<string, tf.Variable>;
  /**
   * Training loss of a batch: must be the MEAN over the batch's samples, so that the size-weighted
   * mean of the parts' gradients is the whole batch's gradient.
   */
  loss(batch: Batch, random: Random): tf.Scalar;
}

/** Options of {@link DataParallelTrainer.create}. */
export interface DataParallelTrainerArgs<Batch extends { size: number }> {
  /** The model on the main thread: its variables hold the weights, and receive the updates. */
  model: ParallelModel<Batch>;
  /**
   * How each worker builds its replica (worker module URL, model name, constructor arguments); the replica
   * must have the same variable names and shapes as `model` (checked at start). Required when
   * `workers` > 1.
   */
  replica?: ReplicaSpec;
  /**
   * Number of threads sharing each batch: the main thread plus `workers − 1` Deno Workers, each with its
   * own tfjs backend. Default 1: no worker, the gradient computed exactly as a plain
   * `tf.variableGrads(() => model.loss(batch, random))` (same dropout draws as today's path).
   */
  workers?: number;
  /** `(batch, start, end)` → the windows `start..end−1` as a batch (e.g. {@link sliceWindowBatch}). */
  slice: (batch: Batch, start: number, end: number) => Batch;
  /** tfjs backend of the workers. Default: the main thread's current backend (`tf.getBackend()`). */
  backend?: string;
}

/** Result of {@link DataParallelTrainer.gradients}. */
export interface ParallelGradients {
  /** Mean loss over the whole batch (size-weighted mean of the parts' losses). */
  loss: number;
  /** Gradient of the mean loss per variable name (caller disposes, e.g. after the optimiser step). */
  gradients: Map<string, tf.Tensor>;
}

interface Pending {
  resolve: (message: FromWorker) => void;
  reject: (error: Error) => void;
}

/**
 * Data-parallel gradients over Deno Workers: each batch is cut into `workers` contiguous parts of near
 * equal size; the main thread computes the gradient of the first part while each worker (its own tfjs
 * backend and replica of the model) computes another; the result is the size-weighted mean, i.e. the
 * whole batch's gradient up to float32 summation order. The caller then clips and applies its optimiser
 * once on the main thread's variables; before every step the workers receive the main thread's
 * current weights (one flat Float32Array, transferred), so the replicas never drift.
 *
 * Determinism: with `workers` > 1, part k draws its dropout masks from `createRandom(seed_k)`, the seeds
 * drawn in part order from the caller's `random` (`workers` draws per step), and the parts are combined
 * in part order: a given seed and worker count gives identical results run to run. The masks differ
 * from the one-worker path (which passes `random` itself to the loss), so results differ across
 * worker counts the way they differ across seeds.
 *
 * Perf note: pays when a step is long next to the sync cost (≈ 2 ms for 0.8M weights) and a second
 * core is free; every worker loads its own backend (≈ 1 s at start). With the system BLAS
 * (`matmulPath()`), its process-wide pool is set to 1 thread while workers run (each thread is one unit
 * of parallel work) and restored by `dispose()`.
 *
 * @example
 * ```ts ignore
 * import { DataParallelTrainer, sliceWindowBatch } from "./mod.ts";
 * import { TransformerClassifier } from "../models/mod.ts";
 * import { Adam, clipByGlobalNorm } from "../train/mod.ts";
 * import { createRandom } from "../random/mod.ts";
 * declare const batch: import("../features/mod.ts").WindowBatch;
 * const modelArgs = { dModel: 64, heads: 4, layers: 2 };
 * const model = new TransformerClassifier(modelArgs);
 * const trainer = await DataParallelTrainer.create({
 *   model,
 *   replica: { worker: new URL("../models/_replica_worker.ts", import.meta.url).href, name: "TransformerClassifier", args: modelArgs },
 *   workers: 2,
 *   slice: sliceWindowBatch,
 * });
 * const adam = new Adam(model.namedVariables);
 * const { loss, gradients } = await trainer.gradients(batch, createRandom(1));
 * const clipped = clipByGlobalNorm(gradients, 1);
 * adam.apply(clipped.gradients, 1e-3);
 * trainer.dispose(); // terminates the workers
 * ```
 */
export class DataParallelTrainer<Batch extends { size: number }> {
  /** Threads sharing each batch (main + workers). */
  readonly workers: number;
  readonly #model: ParallelModel<Batch>;
  readonly #slice: (batch: Batch, start: number, end: number) => Batch;
  readonly #names: string[];
  readonly #variables: tf.Variable[];
  readonly #total: number;
  readonly #threads: Worker[];
  /** The BLAS pool's threads before the workers started (restored by dispose), where one is loaded. */
  #blasThreads: number | undefined;
  readonly #pending: Map<number, Pending>[];
  #failure: Error | undefined;
  #nextId = 0;
  #disposed = false;

  private constructor(args: DataParallelTrainerArgs<Batch>, threads: Worker[]) {
    this.workers = threads.length + 1;
    this.#model = args.model;
    this.#slice = args.slice;
    this.#names = [...args.model.namedVariables.keys()];
    this.#variables = [...args.model.namedVariables.values()];
    this.#total = this.#variables.reduce((sum, variable) => sum + variable.size, 0);
    this.#threads = threads;
    this.#pending = threads.map(() => new Map());
    threads.forEach((thread, index) => {
      thread.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(index, event.data);
      thread.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        this.#fail(new Error(`DataParallelTrainer: worker ${index + 1} failed: ${event.message}`));
      };
      thread.onmessageerror = () => {
        this.#fail(
          new Error(`DataParallelTrainer: worker ${index + 1} sent a message that could not be read`),
        );
      };
    });
  }

  /** Starts the workers (each loads its backend and builds its replica) and checks the replicas. */
  static async create<Batch extends { size: number }>(
    args: DataParallelTrainerArgs<Batch>,
  ): Promise<DataParallelTrainer<Batch>> {
    const workers = args.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1) {
      throw new RangeError(`DataParallelTrainer: workers must be an integer ≥ 1, got ${workers}`);
    }
    if (workers > 1 && !args.replica) {
      throw new Error("DataParallelTrainer: workers > 1 needs a replica spec (worker, name, args)");
    }
    const threads: Worker[] = [];
    const blasThreads = workers > 1 ? matmulPath().threads : undefined;
    if (blasThreads !== undefined) setMatmulThreads(1);
    for (let index = 1; index < workers; index++) {
      threads.push(new Worker(args.replica!.worker, { type: "module" }));
    }
    const trainer = new DataParallelTrainer(args, threads);
    trainer.#blasThreads = blasThreads;
    try {
      const backend = args.backend ?? tf.getBackend();
      const replies = await Promise.all(
        threads.map((_, index) =>
          trainer.#request(index, -1, { type: "init", backend, replica: args.replica! })
        ),
      );
      const shapes = trainer.#variables.map((variable) => variable.shape.join("×"));
      replies.forEach((reply, index) => {
        if (reply.type !== "ready") throw new Error(`unexpected reply ${reply.type}`);
        const same = reply.names.length === trainer.#names.length &&
          reply.names.every((name, at) =>
            name === trainer.#names[at] && reply.shapes[at].join("×") === shapes[at]
          );
        if (!same) {
          throw new Error(
            `DataParallelTrainer: worker ${
              index + 1
            }'s replica (${reply.names.length} variables) does not match ` +
              `the model (${trainer.#names.length} variables): names or shapes differ`,
          );
        }
      });
    } catch (error) {
      trainer.dispose();
      throw error;
    }
    return trainer;
  }

  /**
   * Loss and gradient of the whole batch's mean loss with respect to the model's variables, the parts
   * computed in parallel. Draws `workers` seeds from `random` when `workers` > 1.
   */
  async gradients(batch: Batch, random: Random): Promise<ParallelGradients> {
    if (this.#disposed) throw new Error("DataParallelTrainer: used after dispose()");
    if (this.#failure) throw this.#failure;
    if (this.workers === 1) {
      const { value, grads } = tf.variableGrads(() => this.#model.loss(batch, random), this.#variables);
      const gradients = new Map<string, tf.Tensor>();
      this.#variables.forEach((variable, index) => {
        if (grads[variable.name]) gradients.set(this.#names[index], grads[variable.name]);
      });
      const loss = (await value.data())[0];
      value.dispose();
      return { loss, gradients };
    }
    // Contiguous parts of near-equal size, the larger ones first; empty parts are skipped.
    const parts = this.workers;
    const bounds = [0];
    for (let part = 0; part < parts; part++) {
      bounds.push(bounds[part] + Math.floor(batch.size / parts) + (part < batch.size % parts ? 1 : 0));
    }
    const seeds = Array.from({ length: parts }, () => random.nextSeed());
    const weights = await this.#flatten(this.#variables);
    const replies: Promise<FromWorker>[] = [];
    for (let part = 1; part < parts; part++) {
      if (bounds[part + 1] === bounds[part]) continue;
      const slice = this.#slice(batch, bounds[part], bounds[part + 1]);
      const id = this.#nextId++;
      // Each worker gets its own copy of the weights (transferred, so the send itself copies nothing).
      const copy = part === parts - 1 ? weights : weights.slice();
      const message: ToWorker = { type: "step", id, weights: copy, batch: slice, seed: seeds[part] };
      const reply = this.#request(part - 1, id, message, [copy.buffer, ...typedArrayBuffers(slice)]);
      // Awaited below; if the main thread's part throws first, the rejection must not go unhandled.
      reply.catch(() => {});
      replies.push(reply);
    }
    // The main thread's part, computed while the workers compute theirs.
    const sizes: number[] = [];
    const losses: number[] = [];
    const flats: Float32Array[] = [];
    let present: boolean[] = this.#variables.map(() => false);
    if (bounds[1] > 0) {
      const slice = this.#slice(batch, 0, bounds[1]);
      const { value, grads } = tf.variableGrads(
        () => this.#model.loss(slice, createRandom(seeds[0])),
        this.#variables,
      );
      present = this.#variables.map((variable) => grads[variable.name] !== undefined);
      flats.push(await this.#flatten(this.#variables.map((variable) => grads[variable.name])));
      losses.push((await value.data())[0]);
      sizes.push(bounds[1]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const answers = await Promise.all(replies);
    let answer = 0;
    for (let part = 1; part < parts; part++) {
      if (bounds[part + 1] === bounds[part]) continue;
      const reply = answers[answer++];
      if (reply.type !== "gradients") throw new Error(`DataParallelTrainer: unexpected reply ${reply.type}`);
      if (sizes.length === 0) present = [...reply.present].map((flag) => flag === 1);
      flats.push(reply.gradients);
      losses.push(reply.loss);
      sizes.push(bounds[part + 1] - bounds[part]);
    }
    // Size-weighted mean, summed in part order (deterministic). Perf note: one pass per part over
    // the flat arrays, then one tensor per variable.
    const combined = new Float32Array(this.#total);
    let loss = 0;
    flats.forEach((flat, index) => {
      const weight = sizes[index] / batch.size;
      loss += weight * losses[index];
      for (let at = 0; at < combined.length; at++) combined[at] += weight * flat[at];
    });
    const gradients = new Map<string, tf.Tensor>();
    let offset = 0;
    this.#variables.forEach((variable, index) => {
      if (present[index]) {
        gradients.set(
          this.#names[index],
          tf.tensor(combined.subarray(offset, offset + variable.size), variable.shape),
        );
      }
      offset += variable.size;
    });
    return { loss, gradients };
  }

  /** Terminates the workers (idempotent). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const thread of this.#threads) thread.terminate();
    if (this.#blasThreads !== undefined) setMatmulThreads(this.#blasThreads);
    this.#fail(new Error("DataParallelTrainer: disposed while a step was running"));
  }

  /** Disposes (`using trainer = await DataParallelTrainer.create(...)`). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** One flat array of `tensors` (the variables' sizes; undefined = zeros), read asynchronously. */
  async #flatten(tensors: (tf.Tensor | undefined)[]): Promise<Float32Array<ArrayBuffer>> {
    const flat = new Float32Array(this.#total);
    let offset = 0;
    for (const [index, tensor] of tensors.entries()) {
      if (tensor) flat.set((await tensor.data()) as Float32Array, offset);
      offset += this.#variables[index].size;
    }
    return flat;
  }

  #request(index: number, id: number, message: ToWorker, transfer: Transferable[] = []): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#pending[index].set(id, { resolve, reject });
      this.#threads[index].postMessage(message, transfer);
    });
  }

  #receive(index: number, message: FromWorker): void {
    const id = message.type === "gradients" ? message.id : message.type === "ready" ? -1 : message.id ?? -1;
    const pending = this.#pending[index].get(id);
    if (message.type === "error") {
      this.#fail(new Error(`DataParallelTrainer: worker ${index + 1} failed: ${message.message}`));
      return;
    }
    if (!pending) return;
    this.#pending[index].delete(id);
    pending.resolve(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending) {
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    }
  }
}
