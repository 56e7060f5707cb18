/**
 * What one EquiNet unit costs: trains a configuration for a few epochs on the real windows (as its unit
 * does) and projects the unit's minutes from the measured epochs. Compare the product paths in one
 * sitting: `EQUILAB_BLAS=off deno run -A tests/bench/equinet_unit_bench.ts` (WebAssembly products) and
 * `deno run -A tests/bench/equinet_unit_bench.ts` (system BLAS when installed).
 *
 *   --config published-d128-h8 | published-d32-h8-batch1 | corrected | <improvement id>   (default published-d128-h8)
 *   --epochs N                                                  (default 2)
 */
import { parseArgs } from "node:util";
import { describeBackend, selectBackend } from "../../lib/backend/mod.ts";
import { EquiNetWindows, loadEquiNetUniverse } from "../../lib/features/mod.ts";
import {
  CORRECTED_WINDOWS,
  correctedConfig,
  equiNetSchedule,
  evaluationSets,
  improvementConfigs,
  PUBLISHED_BATCH1_SIZES,
  PUBLISHED_SIZES,
  PUBLISHED_WINDOWS,
  publishedConfig,
  runEquiNetSeed,
} from "../../lib/experiments/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    config: { type: "string", default: "published-d128-h8" },
    epochs: { type: "string", default: "2" },
  },
});
await selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "wasm");
const schedule = equiNetSchedule(false);
const configs = [
  ...[...PUBLISHED_SIZES, ...PUBLISHED_BATCH1_SIZES].map((size) => publishedConfig(size, schedule)),
  correctedConfig(schedule),
  ...improvementConfigs(schedule),
];
const config = configs.find((candidate) => candidate.id === values.config);
if (!config) {
  throw new Error(`unknown --config ${values.config}; one of ${configs.map((c) => c.id).join(", ")}`);
}
const published = config.windows.mode === "published";
const { stocks } = await loadEquiNetUniverse({ alignMarket: published ? "position" : "date" });
const windows = new EquiNetWindows(stocks, published ? PUBLISHED_WINDOWS : CORRECTED_WINDOWS);
const epochs = Number(values.epochs);
const run = await runEquiNetSeed(windows, config, evaluationSets(windows, config), {
  seed: 1,
  stopAfterEpochs: epochs,
});
const perEpoch = run.history.map((record) => record.seconds);
const mean = perEpoch.reduce((sum, value) => sum + value, 0) / perEpoch.length;
console.log(describeBackend().summary);
console.log(
  `${config.id}: ${
    perEpoch.map((value) => value.toFixed(1)).join(", ")
  } s per epoch (training + selection evaluation); ` +
    `projected unit (${config.epochs} epochs): ${((mean * config.epochs) / 60).toFixed(1)} min`,
);
