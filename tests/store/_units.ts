/**
 * Units for the runner's tests, configured by environment variables (the runner loads this module
 * in its worker processes):
 * - `TEST_UNITS_COUNT` fast units `test/fast/unit-<i>` (default 4), each `TEST_UNITS_EPOCHS` (default 3)
 *   "epochs" of `TEST_UNITS_DELAY_MS` (default 0) ms; each run creates `TEST_UNITS_MARKERS/<i>.<n>`
 *   exclusively, so a unit run twice is seen;
 * - `test/lstm/tiny`: a real LstmRegressor trained with checkpoints every epoch (slowed by the delay).
 */
import { LstmRegressor } from "../../lib/models/mod.ts";
import { TrainingStopped } from "../../lib/train/mod.ts";
import { selectBackend } from "../../lib/backend/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { type UnitDefinition, UnitInterrupted, type UnitRegistry } from "../../lib/store/mod.ts";

const count = Number(Deno.env.get("TEST_UNITS_COUNT") ?? "4");
const epochs = Number(Deno.env.get("TEST_UNITS_EPOCHS") ?? "3");
const delayMs = Number(Deno.env.get("TEST_UNITS_DELAY_MS") ?? "0");
const markers = Deno.env.get("TEST_UNITS_MARKERS");
const version = Number(Deno.env.get("TEST_UNITS_VERSION") ?? "1");
const estimate = Deno.env.get("TEST_UNITS_ESTIMATE");

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function mark(name: string): Promise<void> {
  if (!markers) return;
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.writeTextFile(`${markers}/${name}.${attempt}`, String(Deno.pid), { createNew: true });
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/** A small deterministic data set: 64 windows of 5 days × 2 features. */
export function tinyWindows() {
  const random = createRandom(7);
  const inputs = new Float32Array(64 * 5 * 2).map(() => random.uniform());
  const targets = Float32Array.from({ length: 64 }, (_, index) => inputs[index * 10 + 9] * 0.5 + 0.1);
  return { inputs, targets, count: 64 };
}

export const unitRegistry: UnitRegistry = {
  // deno-lint-ignore require-await
  async definitions(): Promise<UnitDefinition[]> {
    const fast: UnitDefinition[] = Array.from({ length: count }, (_, index) => ({
      id: `test/fast/unit-${index}`,
      kind: "test/fast",
      settings: { index, epochs, delayMs },
      data: [],
      numericsVersion: version,
      estimateSeconds: estimate !== undefined ? Number(estimate) : (epochs * delayMs) / 1000,
      run: async (context) => {
        await mark(String(index));
        for (let epoch = 0; epoch < epochs; epoch++) {
          await sleep(delayMs);
          if (context.shouldStop()) throw new UnitInterrupted(`test/fast/unit-${index}`);
        }
        return { value: index * 2 };
      },
    }));
    const tiny: UnitDefinition = {
      id: "test/lstm/tiny",
      kind: "test/lstm",
      settings: { epochs: 12, hiddenSize: 3, seed: 5 },
      data: [],
      numericsVersion: version,
      estimateSeconds: 1,
      run: async (context) => {
        await selectBackend("cpu");
        await mark("tiny");
        const model = new LstmRegressor({
          featureCount: 2,
          windowDays: 5,
          hiddenSize: 3,
          epochs: 12,
          batchSize: 16,
          seed: 5,
          onEpochEnd: () => sleep(delayMs),
        });
        try {
          const data = tinyWindows();
          const history = await model.fit(data, {
            checkpointFolder: context.checkpointFolder,
            checkpointEverySeconds: 0,
            shouldStop: context.shouldStop,
          });
          return {
            loss: history.loss,
            predicted: Array.from(model.predict(data.inputs.subarray(0, 8 * 10), 8)),
          };
        } catch (error) {
          if (error instanceof TrainingStopped) throw new UnitInterrupted("test/lstm/tiny", error.message);
          throw error;
        } finally {
          model.dispose();
        }
      },
    };
    return [...fast, tiny];
  },
  backend: () => Promise.resolve("test"),
};
