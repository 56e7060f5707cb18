/**
 * Worker side of {@link DataParallelTrainer}: its own tfjs backend and a replica of the model; on each
 * step it takes the main thread's weights, computes the gradient of its part of the batch and sends
 * it back as one flat array (transferred, not copied).
 */
/// <reference lib="deno.worker" />
import { selectBackend, tf } from "../backend/mod.ts";
import { createRandom } from "../random/mod.ts";
import type { Random } from "../random/mod.ts";
import type { FromWorker, ToWorker } from "./_protocol.ts";

interface Replica {
  namedVariables: ReadonlyMap<string, tf.Variable>;
  loss(batch: unknown, random: Random): tf.Scalar;
}

let replica: Replica | undefined;
let variables: tf.Variable[] = [];
let total = 0;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "init") {
    await selectBackend(message.backend);
    const exported = (await import(message.replica.module))[message.replica.exportName];
    if (typeof exported !== "function") {
      throw new Error(
        `module ${message.replica.module} has no exported class ${
          JSON.stringify(message.replica.exportName)
        }`,
      );
    }
    replica = new exported(message.replica.args) as Replica;
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

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    await handle(message);
  } catch (error) {
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
    post({ type: "error", id: message.type === "step" ? message.id : null, message: text });
  }
};
