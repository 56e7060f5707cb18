/**
 * Cost of one training epoch of the hybrid two-branch LSTM at the seed's settings (60-day windows,
 * 11 fundamental + 15 technical inputs, LSTM(64), batch 64), on 1,024 synthetic windows plus 256
 * validation windows, to extrapolate the full settings: the 100-stock universe has about 103,800
 * training and 22,650 validation windows per epoch. Run with
 * `deno bench -A tests/bench/hybrid_training_bench.ts` (backend from `EQUILAB_BACKEND`, default wasm).
 */
import { selectBackend } from "../../lib/backend/mod.ts";
import { SEED_PARAMS, type SplitWindows, trainHybrid } from "../../lib/experiments/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

await selectBackend(Deno.env.get("EQUILAB_BACKEND") || "wasm");

function windows(samples: number, seed: number): SplitWindows {
  const random = createRandom(seed);
  const windowDays = SEED_PARAMS.windowDays, fundamentalFeatures = 11, technicalFeatures = 15;
  return {
    windows: {
      fundamental: Float32Array.from(
        { length: samples * windowDays * fundamentalFeatures },
        () => random.normal(),
      ),
      technical: Float32Array.from(
        { length: samples * windowDays * technicalFeatures },
        () => random.normal(),
      ),
      target: Float32Array.from({ length: samples }, () => 0.05 * random.normal()),
      endDay: new Int32Array(samples),
      shape: { samples, windowDays, fundamentalFeatures, technicalFeatures },
    },
    stock: new Int32Array(samples),
    announcement: new Uint8Array(samples),
    lastClose: new Float32Array(samples),
    skipped: 0,
    leftOutForBreaks: 0,
  };
}

const splits = { train: windows(1024, 1), validation: windows(256, 2), test: windows(64, 3) };

Deno.bench({
  name: "two-branch LSTM, seed settings: 1 epoch on 1,024 + 256 windows (× ~99 for a full 100-stock epoch)",
  n: 2,
  warmup: 1,
  fn: async () => {
    await trainHybrid(splits, SEED_PARAMS, { seed: 1, epochs: 1, patience: 1 });
  },
});
