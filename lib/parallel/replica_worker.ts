/**
 * Worker side of {@link DataParallelTrainer}: its own tfjs backend and a replica of the model; on each
 * step it takes the main thread's weights, computes the gradient of its part of the batch and sends
 * it back as one flat array (transferred, not copied). A worker module of the models' layer calls
 * {@link serveReplicas} with the classes it can build.
 */
/// <reference lib="deno.worker" />
import { selectBackend, tf } from "../backend/mod.ts";
import { createRandom } from "../random/mod.ts";
import type { Random } from "../random/mod.ts";
import type { FromWorker, ToWorker } from "./_protocol.ts";

/** What a worker trains: named variables and a mean loss (the model classes satisfy it). */
export interface Replica {
  namedVariables: ReadonlyMap<string, tf.Variable>;
  loss(batch: unknown, random: Random): tf.Scalar;
}

/** Builders of the replicas a worker module serves, by name. */
export type ReplicaFactories = Record<string, (args: never) => Replica>;

let factories: ReplicaFactories = {};

let replica: Replica | undefined;
let variables: tf.Variable[] = [];
let total = 0;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "init") {
    await selectBackend(message.backend);
    const build = Object.hasOwn(factories, message.replica.name)
      ? factories[message.replica.name]
      : undefined;
    if (build === undefined) {
      throw new Error(
        `worker ${message.replica.worker} serves no replica named ${JSON.stringify(message.replica.name)} ` +
          `(it serves ${Object.keys(factories).join(", ") || "none"})`,
      );
    }
    replica = build(message.replica.args as never);
    variables = [...replica.namedVariables.values()];
    total = variables.reduce((sum, variable) => sum + variable.size, 0);
    post({ type: "ready", names: [...replica.namedVariables.keys()], shapes: variables.map((v) => v.shape) });
    return;
  }
  if (!replica) throw new Error("step before init");
  if (message.weights.length !== total) {
    throw new Error(`weights have ${message.weights.length} values, the replica ${total}`);
  }
  let offset = 0;
  for (const variable of variables) {
    const values = message.weights.subarray(offset, offset + variable.size);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, "float32")));
    offset += variable.size;
  }
  const model = replica;
  const { value, grads } = tf.variableGrads(
    () => model.loss(message.batch, createRandom(message.seed)),
    variables,
  );
  // Perf note: one flat array for all gradients, reusing the weights' buffer (same length).
  const gradients = message.weights;
  const present = new Uint8Array(variables.length);
  offset = 0;
  for (const [index, variable] of variables.entries()) {
    const gradient = grads[variable.name];
    if (gradient) {
      // Asynchronous reads, so a worker on webgpu works too (on cpu/wasm they resolve at once).
      gradients.set((await gradient.data()) as Float32Array, offset);
      present[index] = 1;
    } else {
      gradients.fill(0, offset, offset + variable.size);
    }
    offset += variable.size;
  }
  const loss = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  post({ type: "gradients", id: message.id, loss, gradients, present }, [gradients.buffer, present.buffer]);
}

/**
 * Makes this worker serve data-parallel replicas of the given models: call it once, at the top level of a
 * worker module that imports the model classes (e.g. lib/models/_replica_worker.ts).
 *
 * @example
 * ```ts ignore
 * import { serveReplicas } from "../parallel/mod.ts";
 * import { TransformerClassifier } from "./transformer_classifier.ts";
 * serveReplicas({ TransformerClassifier: (args) => new TransformerClassifier(args) });
 * ```
 */
export function serveReplicas(served: ReplicaFactories): void {
  factories = served;
  self.onmessage = async (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    try {
      await handle(message);
    } catch (error) {
      const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
      post({ type: "error", id: message.type === "step" ? message.id : null, message: text });
    }
  };
}
