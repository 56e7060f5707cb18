/** Messages between {@link DataParallelTrainer} and its workers (internal). */

/** How a worker builds its replica: `new (await import(module))[exportName](args)`. */
export interface ReplicaSpec {
  /** Module URL (absolute: `new URL("../models/mod.ts", import.meta.url).href`). */
  module: string;
  /** Name of the exported class in that module. */
  exportName: string;
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
