/**
 * One training epoch of `LstmRegressor` with the shapes of the PyTorch reference (issue 7): 2,000
 * windows × 20 steps × 6 features, batch 32, Adam lr 0.01, MSE, shuffling on, hidden 2 / 14 / 64 —
 * the fused LSTM op against stock `tf.layers.lstm`, on the backend chosen by EQUILAB_BACKEND.
 *
 * Run: `EQUILAB_BACKEND=wasm deno bench -A tests/bench/lstm_kernel_bench.ts` (and `cpu`). Synthetic
 * inputs: the cost depends on shapes only. Check `uptime` first: the machine is shared.
 * `LSTM_BENCH_IMPLEMENTATIONS=fused` skips the stock layers; stock layers at hidden 64 on the cpu
 * backend (~1 min an epoch) run only with `LSTM_BENCH_SLOW=1`.
 */
import { selectBackend } from "../../lib/backend/mod.ts";
import { LstmRegressor } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const info = await selectBackend();
const count = 2000, windowDays = 20, featureCount = 6, batchSize = 32;
const random = createRandom(7);
const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.normal());
const targets = Float64Array.from({ length: count }, () => random.normal());
const implementations = (Deno.env.get("LSTM_BENCH_IMPLEMENTATIONS") ?? "fused,layers").split(",");

for (const hiddenSize of [2, 14, 64]) {
  for (const implementation of implementations as ("fused" | "layers")[]) {
    const slow = implementation === "layers" && hiddenSize === 64 && info.name === "cpu";
    if (slow && Deno.env.get("LSTM_BENCH_SLOW") !== "1") continue;
    const model = new LstmRegressor({
      featureCount,
      windowDays,
      hiddenSize,
      batchSize,
      epochs: 1,
      learningRate: 0.01,
      seed: 1,
      implementation,
    });
    Deno.bench({
      name: `lstm epoch, hidden ${hiddenSize}, ${implementation} (${info.name})`,
      group: `hidden ${hiddenSize}`,
      baseline: implementation === "fused",
      n: implementation === "fused" ? 7 : 2,
      warmup: implementation === "fused" ? 2 : 0,
      async fn() {
        await model.fit({ inputs, targets, count });
      },
    });
  }
}
