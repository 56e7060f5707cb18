/**
 * Times one workload on ours, in its own process (as PyTorch's side runs in its own): `deno task bench`
 * starts it as
 *
 *   deno run -A tests/bench/speed/ours.ts '{"workload": {...}, "backend": "wasm", "warmup": 1, "repeats": 5}'
 *
 * and reads the last stdout line: `{"samples": [seconds, ...], "backend": "wasm", "tfjs": "4.22.0",
 * "matmul": {"kind": "native", ...}}` (the matrix-product path, `matmulPath()`; the parent sets
 * `EQUILAB_BLAS=off` for the WebAssembly column).
 * Only the public model APIs are used, so whatever fast path they take by default is what is timed.
 */
import { selectBackend, tf } from "../../../lib/backend/mod.ts";
import { matmulPath } from "../../../lib/backend/mod.ts";
import type { WindowBatch } from "../../../lib/features/mod.ts";
import { LstmRegressor, TransformerClassifier } from "../../../lib/models/mod.ts";
import { createRandom } from "../../../lib/random/mod.ts";
import { Adam, clipByGlobalNorm } from "../../../lib/train/mod.ts";
import { DataParallelTrainer, sliceWindowBatch } from "../../../lib/parallel/mod.ts";
import type { LstmWorkload, TransformerWorkload } from "./workloads.ts";

/** What the parent sends. */
export interface OursSpec {
  workload: LstmWorkload | TransformerWorkload;
  backend: string;
  warmup: number;
  repeats: number;
}

/**
 * Seconds per epoch of `LstmRegressor.fit`: one fit over `warmup + repeats` epochs, timed between
 * consecutive `onEpochEnd` calls (so model construction is excluded and each epoch's own loss read-back,
 * the one sync per epoch, is included); the first `warmup` epochs are dropped.
 * With `workload.workers` > 1 the workers start inside `fit`, so their start-up falls in the first
 * (warm-up) epoch.
 */
async function lstmSamples(spec: OursSpec & { workload: LstmWorkload }): Promise<number[]> {
  const { workload, warmup, repeats } = spec;
  const random = createRandom(1);
  const { samples: count, windowDays, featureCount } = workload;
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.uniform());
  const targets = Float64Array.from({ length: count }, () => random.uniform());
  const times: number[] = [];
  let last = 0;
  const model = new LstmRegressor({
    featureCount,
    windowDays,
    hiddenSize: workload.hiddenSize,
    batchSize: workload.batchSize,
    learningRate: workload.learningRate,
    epochs: warmup + repeats,
    seed: 1,
    workers: workload.workers ?? 1,
    onEpochEnd: () => {
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
    },
  });
  last = performance.now();
  await model.fit({ inputs, targets, count });
  model.dispose();
  return times.slice(warmup);
}

/**
 * Seconds per training step of `TransformerClassifier`, as tests/bench/transformer_step_bench.ts does a
 * step: variableGrads of `model.loss`, clipByGlobalNorm(1), the project's Adam, then the loss read back.
 * With `workload.workers` > 1 the gradient comes from lib/parallel's DataParallelTrainer instead (the
 * batch shared between the main thread and Deno Workers; worker start-up is outside the timing).
 */
async function transformerSamples(spec: OursSpec & { workload: TransformerWorkload }): Promise<number[]> {
  const { workload, warmup, repeats } = spec;
  const random = createRandom(1);
  const { batchSize: size, windowDays: steps, featureCount: features } = workload;
  const batch: WindowBatch = {
    size,
    steps,
    features,
    inputs: Float32Array.from({ length: size * steps * features }, () => random.normal()),
    mask: new Float32Array(size * steps).fill(1),
    lengths: new Int32Array(size).fill(steps),
    labels: Int32Array.from({ length: size }, () => random.int(workload.classes)),
    futureReturns: new Float32Array(size),
    futureVolatility: new Float32Array(size),
    refs: [],
  };
  const modelArgs = {
    inputFeatures: features,
    dModel: workload.dModel,
    heads: workload.heads,
    layers: workload.layers,
    feedForwardUnits: workload.feedForwardUnits,
    dropout: workload.dropout,
    classes: workload.classes,
    seed: 1,
  };
  const model = new TransformerClassifier(modelArgs);
  const adam = new Adam(model.namedVariables);
  const variables = [...model.namedVariables.values()];
  const workers = workload.workers ?? 1;
  const trainer = workers > 1
    ? await DataParallelTrainer.create({
      model,
      replica: {
        worker: new URL("../../../lib/models/_replica_worker.ts", import.meta.url).href,
        name: "TransformerClassifier",
        args: modelArgs,
      },
      workers,
      slice: sliceWindowBatch,
    })
    : undefined;
  const step = async () => {
    let loss: number;
    if (trainer) {
      const result = await trainer.gradients(batch, random);
      const { gradients, norm } = clipByGlobalNorm(result.gradients, 1);
      adam.apply(gradients, workload.learningRate);
      loss = result.loss;
      tf.dispose([norm, ...result.gradients.values(), ...gradients.values()]);
    } else {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, random), variables);
      const named = new Map(
        [...model.namedVariables].map(([name, variable]) => [name, grads[variable.name]]),
      );
      const { gradients, norm } = clipByGlobalNorm(named, 1);
      adam.apply(gradients, workload.learningRate);
      loss = (await value.data())[0];
      tf.dispose([value, norm, ...Object.values(grads), ...gradients.values()]);
    }
    if (!Number.isFinite(loss)) throw new Error(`transformer step: loss ${loss}`);
  };
  for (let index = 0; index < warmup; index++) await step();
  const times: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const started = performance.now();
    await step();
    times.push((performance.now() - started) / 1000);
  }
  trainer?.dispose();
  model.dispose();
  return times;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1) {
    console.error("usage: deno run -A tests/bench/speed/ours.ts '<spec JSON>' (started by deno task bench)");
    return 2;
  }
  const spec = JSON.parse(argv[0]) as OursSpec;
  const info = await selectBackend(spec.backend);
  const samples = spec.workload.kind === "lstm"
    ? await lstmSamples(spec as OursSpec & { workload: LstmWorkload })
    : await transformerSamples(spec as OursSpec & { workload: TransformerWorkload });
  console.log(
    JSON.stringify({ samples, backend: info.name, tfjs: info.versions.tfjs, matmul: matmulPath() }),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
