/**
 * One training epoch of the paper's LSTM on 2,032 windows (the ChiNext study period's size), for the
 * shapes the sweeps use. Run: `deno bench -A tests/bench/lstm_regressor_bench.ts` (EQUILAB_BACKEND
 * picks the backend). Synthetic inputs: the cost depends on shapes only.
 */
import { selectBackend } from "../../lib/backend/mod.ts";
import { LstmRegressor } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const info = await selectBackend();
const count = 2032;
const featureCount = 6;

for (
  const [windowDays, hiddenSize, batchSize] of [[20, 2, 64], [20, 14, 64], [14, 10, 64], [2, 10, 64], [
    20,
    2,
    256,
  ]]
) {
  const random = createRandom(windowDays * 100 + hiddenSize);
  const inputs = Float32Array.from({ length: count * windowDays * featureCount }, () => random.uniform());
  const targets = Float64Array.from({ length: count }, () => random.uniform());
  const model = new LstmRegressor({ featureCount, windowDays, hiddenSize, batchSize, epochs: 1, seed: 1 });
  Deno.bench({
    name:
      `lstm epoch, ${count} windows, window ${windowDays}, hidden ${hiddenSize}, batch ${batchSize} (${info.name})`,
    n: 3,
    warmup: 1,
    async fn() {
      await model.fit({ inputs, targets, count });
    },
  });
}
