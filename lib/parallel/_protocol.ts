/** Messages between {@link DataParallelTrainer} and its workers (internal). */

/**
 * How a worker builds its replica: the worker module (a file of the model's own layer that calls
 * {@link serveReplicas} with its model classes — the dependency points from the models down to this
 * folder, never back), the name of the model there, and its constructor arguments.
 */
export interface ReplicaSpec {
  /** Worker module URL (absolute: `new URL("./_replica_worker.ts", import.meta.url).href` in lib/models). */
  worker: string;
  /** Name of the model among those the worker module serves. */
  name: string;
  /** Constructor arguments (structured-cloneable). */
  args: unknown;
}

/** Main → worker. */
export type ToWorker =
  | { type: "init"; backend: string; replica: ReplicaSpec }
  | { type: "step"; id: number; weights: Float32Array<ArrayBuffer>; batch: unknown; seed: number };

/** Worker → main. */
export type FromWorker =
  | { type: "ready"; names: string[]; shapes: number[][] }
  | {
    type: "gradients";
    id: number;
    loss: number;
    gradients: Float32Array<ArrayBuffer>;
    present: Uint8Array<ArrayBuffer>;
  }
  | { type: "error"; id: number | null; message: string };

/** The buffers of every typed array directly inside `value` (an object's own fields), to transfer. */
export function typedArrayBuffers(value: unknown): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (value && typeof value === "object") {
    for (const field of Object.values(value)) {
      if (
        ArrayBuffer.isView(field) && field.buffer instanceof ArrayBuffer && !buffers.includes(field.buffer)
      ) {
        buffers.push(field.buffer);
      }
    }
  }
  return buffers;
}
