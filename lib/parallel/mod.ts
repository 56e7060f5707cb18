/**
 * Data-parallel training over Deno Workers: a batch's gradient computed in parts on several cores,
 * combined into the whole batch's gradient, the replicas kept in sync with the main thread's weights.
 *
 * Layer 3 of the flow in lib/README.md: imports backend, features, random.
 *
 * @example
 * ```ts ignore
 * import { DataParallelTrainer, sliceWindowBatch } from "./mod.ts";
 * import { TransformerClassifier } from "../models/mod.ts";
 * const modelArgs = { dModel: 32, heads: 2, layers: 1 };
 * const trainer = await DataParallelTrainer.create({
 *   model: new TransformerClassifier(modelArgs),
 *   replica: { worker: new URL("../models/_replica_worker.ts", import.meta.url).href, name: "TransformerClassifier", args: modelArgs },
 *   workers: 2,
 *   slice: sliceWindowBatch,
 * });
 * trainer.dispose();
 * ```
 * @module
 */
export * from "./data_parallel_trainer.ts";
export * from "./slice_window_batch.ts";
export { type Replica, type ReplicaFactories, serveReplicas } from "./replica_worker.ts";
