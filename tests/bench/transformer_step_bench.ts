/**
 * Seconds per training step of the EquiNet Transformer (forward, backward, clipping, Adam).
 *
 *   deno run -A tests/bench/transformer_step_bench.ts [cpu|wasm|webgpu] [steps]
 *
 * Default configuration: dModel 64, 4 heads, 2 layers, batch 64, 60 days × 8 features.
 * Environment: BENCH_DMODEL, BENCH_HEADS, BENCH_LAYERS, BENCH_BATCH, BENCH_DAYS override it;
 * BENCH_IMPLEMENTATION picks the model's encoder implementation ("fused", the default, or "ops");
 * BENCH_WORKERS (default 1) shares each batch between the main thread and BENCH_WORKERS − 1 Deno Workers
 * (lib/parallel DataParallelTrainer).
 */
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { parameterCount, TransformerClassifier } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { Adam, clipByGlobalNorm } from "../../lib/train/mod.ts";
import { DataParallelTrainer, sliceWindowBatch } from "../../lib/parallel/mod.ts";
import type { WindowBatch } from "../../lib/features/mod.ts";

const backend = Deno.args[0] ?? "cpu";
const steps = Number(Deno.args[1] ?? 5);
const numberFrom = (name: string, fallback: number) => Number(Deno.env.get(name) ?? fallback);
const dModel = numberFrom("BENCH_DMODEL", 64);
const heads = numberFrom("BENCH_HEADS", 4);
const layers = numberFrom("BENCH_LAYERS", 2);
const batchSize = numberFrom("BENCH_BATCH", 64);
const days = numberFrom("BENCH_DAYS", 60);
const workers = numberFrom("BENCH_WORKERS", 1);
const implementation = Deno.env.get("BENCH_IMPLEMENTATION") ?? "fused";
if (implementation !== "fused" && implementation !== "ops") {
  throw new Error(`BENCH_IMPLEMENTATION must be "fused" or "ops", got ${JSON.stringify(implementation)}`);
}

const info = await selectBackend(backend);
const random = createRandom(1);
const batch: WindowBatch = {
  size: batchSize,
  steps: days,
  features: 8,
  inputs: Float32Array.from({ length: batchSize * days * 8 }, () => random.normal()),
  mask: new Float32Array(batchSize * days).fill(1),
  lengths: new Int32Array(batchSize).fill(days),
  labels: Int32Array.from({ length: batchSize }, () => random.int(3)),
  futureReturns: new Float32Array(batchSize),
  futureVolatility: new Float32Array(batchSize),
  refs: [],
};
const args = { dModel, heads, layers, dropout: 0.1, implementation } as const;
const model = new TransformerClassifier(args);
const adam = new Adam(model.namedVariables);
const trainer = await DataParallelTrainer.create({
  model,
  replica: {
    worker: new URL("../../lib/models/_replica_worker.ts", import.meta.url).href,
    name: "TransformerClassifier",
    args,
  },
  workers,
  slice: sliceWindowBatch,
});

async function step(): Promise<number> {
  const { loss, gradients: named } = await trainer.gradients(batch, random);
  const { gradients, norm } = clipByGlobalNorm(named, 1);
  adam.apply(gradients, 1e-3);
  tf.dispose([norm, ...named.values(), ...gradients.values()]);
  return loss;
}

await step(); // warm-up (kernel set-up, first allocations)
const started = performance.now();
let loss = 0;
for (let index = 0; index < steps; index++) loss = await step();
const seconds = (performance.now() - started) / 1000 / steps;
trainer.dispose();
console.log(
  JSON.stringify({
    backend: info.name,
    dModel,
    heads,
    layers,
    implementation,
    workers,
    batch: batchSize,
    days,
    parameters: parameterCount(args),
    steps,
    secondsPerStep: Number(seconds.toFixed(4)),
    lastLoss: loss,
    tensors: tf.memory().numTensors,
  }),
);
