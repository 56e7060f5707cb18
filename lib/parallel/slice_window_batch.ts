import type { WindowBatch } from "../features/mod.ts";

/**
 * The windows `start..end−1` of a {@link WindowBatch} as a batch of their own (typed arrays copied,
 * so they can be transferred to a worker). Used by {@link DataParallelTrainer} to cut a batch.
 *
 * @example
 * ```ts ignore
 * import { sliceWindowBatch } from "./mod.ts";
 * declare const batch: import("../features/mod.ts").WindowBatch;
 * const firstHalf = sliceWindowBatch(batch, 0, Math.ceil(batch.size / 2));
 * ```
 */
export function sliceWindowBatch(batch: WindowBatch, start: number, end: number): WindowBatch {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > batch.size) {
    throw new RangeError(
      `sliceWindowBatch: need integers 0 ≤ start ≤ end ≤ ${batch.size}, got ${start}..${end}`,
    );
  }
  const perWindow = batch.steps * batch.features;
  return {
    size: end - start,
    steps: batch.steps,
    features: batch.features,
    inputs: batch.inputs.slice(start * perWindow, end * perWindow),
    mask: batch.mask.slice(start * batch.steps, end * batch.steps),
    lengths: batch.lengths.slice(start, end),
    labels: batch.labels.slice(start, end),
    futureReturns: batch.futureReturns.slice(start, end),
    futureVolatility: batch.futureVolatility.slice(start, end),
    refs: batch.refs.slice(start, end),
  };
}
