/**
 * Runs several configurations of the paper one after the other, reusing results already computed
 * (Tables 1–3 share configurations) and reporting progress over the whole sweep.
 */
import {
  type PaperConfig,
  type PaperData,
  type PaperExperimentResult,
  type PaperProgress,
  type PaperSettings,
  paperSettings,
  runPaperExperiment,
  type UnitReading,
} from "./paper.ts";

/** Progress of a sweep: one training epoch just finished. */
export interface SweepProgress extends PaperProgress {
  /** Epochs finished so far in the whole sweep. */
  done: number;
  /** Epochs of the whole sweep (every configuration, seed and phase). */
  total: number;
  /** The configuration being trained. */
  configId: string;
}

/** Options of {@link runPaperSweep}. */
export interface PaperSweepArgs {
  /** How to read "LSTM unit count". Default `"hiddenSize"`. */
  reading?: UnitReading;
  /** Settings. Default `paperSettings()`. */
  settings?: PaperSettings;
  /**
   * Results computed earlier: a configuration with a result for the same id and reading is not run
   * again (its earlier result is returned in its place). Default none.
   */
  reuse?: readonly PaperExperimentResult[];
  /** Called when the sweep starts, with its total epochs (0 when everything is reused). */
  onStart?: (total: number) => void | Promise<void>;
  /** Called after every epoch (awaited). */
  onProgress?: (progress: SweepProgress) => void | Promise<void>;
  /** Write each result's JSON (under `settings.outDir`). Default true. */
  write?: boolean;
}

/**
 * Training epochs a sweep will run: per configuration to run, seeds × 2 trainings (as published and
 * out of sample) × epochs (capped by `settings.maxEpochs`).
 *
 * @example
 * ```ts
 * import { paperConfigs, paperSettings } from "./paper.ts";
 * import { paperSweepEpochs } from "./paper_sweep.ts";
 * paperSweepEpochs(paperConfigs(2), paperSettings(false)); // 3 configs × 5 seeds × 2 × 200 = 6000
 * ```
 */
export function paperSweepEpochs(configs: readonly PaperConfig[], settings: PaperSettings): number {
  let total = 0;
  for (const config of configs) {
    total += settings.seeds.length * 2 * Math.min(config.epochs, settings.maxEpochs ?? Infinity);
  }
  return total;
}

/**
 * Runs {@link runPaperExperiment} for each configuration in order and returns the results in the
 * same order (reused ones included).
 *
 * @example
 * ```ts ignore
 * import { paperConfigs, paperSettings } from "./paper.ts";
 * import { runPaperSweep } from "./paper_sweep.ts";
 * const table1 = await runPaperSweep(data, paperConfigs(1), { settings: paperSettings(true) });
 * const table2 = await runPaperSweep(data, paperConfigs(2), { reuse: table1 }); // runs 2 of 3
 * ```
 */
export async function runPaperSweep(
  data: PaperData,
  configs: readonly PaperConfig[],
  args: PaperSweepArgs = {},
): Promise<PaperExperimentResult[]> {
  const reading = args.reading ?? "hiddenSize";
  const settings = args.settings ?? paperSettings();
  const earlier = (config: PaperConfig) =>
    args.reuse?.find((result) => result.config.id === config.id && result.reading === reading);
  const toRun = configs.filter((config) => !earlier(config));
  const total = paperSweepEpochs(toRun, settings);
  await args.onStart?.(total);
  let done = 0;
  const results: PaperExperimentResult[] = [];
  for (const config of configs) {
    const reused = earlier(config);
    if (reused) {
      results.push(reused);
      continue;
    }
    results.push(
      await runPaperExperiment(data, config, {
        reading,
        settings,
        write: args.write ?? true,
        onProgress: async (progress) => {
          done++;
          await args.onProgress?.({ ...progress, done, total, configId: config.id });
        },
      }),
    );
  }
  return results;
}
