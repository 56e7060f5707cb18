/**
 * Minimises an async objective over a search space with TPE (or random search), saving every trial
 * to a JSON checkpoint so an interrupted search resumes and ends exactly as an uninterrupted one.
 *
 * @module
 */
import { writeFileAtomic } from "../io/mod.ts";
import { createRandom } from "../random/mod.ts";
import type { Params, SearchSpace } from "./space.ts";
import { suggestTpe, type TpeArgs } from "./tpe.ts";

/** Options of {@link minimize}. */
export interface MinimizeArgs extends TpeArgs {
  /** Total trials, resumed ones included. Default 50 (the seed's `max_evals`). */
  maxEvaluations?: number;
  /** Seed of every draw; trial i draws from `createRandom(seed).fork("trial i")`. Default 0. */
  seed?: number;
  /** `"tpe"` (default) or `"random"` (every trial from the prior, the baseline). */
  algorithm?: "tpe" | "random";
  /** JSON file written after every trial (temp file, then rename); an existing one is resumed. */
  checkpointPath?: string;
  /** Called after each new trial is recorded (and saved). */
  onTrial?: (trial: TrialRecord) => void | Promise<void>;
}

/** One evaluated point. */
export interface TrialRecord {
  /** 0-based trial number. */
  index: number;
  /** The parameters tried. */
  params: Params;
  /** The objective's value; null when it returned NaN or ±Infinity (excluded from the model). */
  loss: number | null;
}

/** Result of {@link minimize}. */
export interface SearchResult {
  /** All trials in order. */
  trials: TrialRecord[];
  /** The trial with the lowest loss (earliest on ties), or null when none finished. */
  best: TrialRecord | null;
  /** Trials read from the checkpoint rather than evaluated in this call. */
  resumedTrials: number;
}

interface Checkpoint {
  format: "equilab-tune-v1";
  algorithm: "tpe" | "random";
  seed: number;
  settings: Required<TpeArgs>;
  space: SearchSpace;
  trials: TrialRecord[];
}

/**
 * Minimises `objective` over `space`. Each trial's proposal depends only on the seed, the trial
 * number and the earlier trials, so resuming from a checkpoint reproduces the uninterrupted run.
 * An objective that throws stops the search; the trials before it are already saved.
 *
 * @example
 * ```ts
 * import { choice, minimize, uniform } from "./mod.ts";
 * const result = await minimize(
 *   (params) => ((params.x as number) - 0.3) ** 2 + (params.units === 64 ? 0 : 0.1),
 *   { x: uniform(0, 1), units: choice([32, 64, 128]) },
 *   { maxEvaluations: 30, seed: 7 },
 * );
 * console.log(result.best);
 * ```
 */
export async function minimize(
  objective: (params: Params, trialIndex: number) => number | Promise<number>,
  space: SearchSpace,
  args: MinimizeArgs = {},
): Promise<SearchResult> {
  const maxEvaluations = args.maxEvaluations ?? 50;
  const seed = args.seed ?? 0;
  const algorithm = args.algorithm ?? "tpe";
  const settings: Required<TpeArgs> = {
    startupTrials: args.startupTrials ?? 20,
    gamma: args.gamma ?? 0.25,
    candidates: args.candidates ?? 24,
    priorWeight: args.priorWeight ?? 1.0,
    forgetting: args.forgetting ?? 25,
  };
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) {
    throw new RangeError(`maxEvaluations must be a positive integer, got ${maxEvaluations}`);
  }
  if (Object.keys(space).length === 0) throw new RangeError("minimize: the search space is empty");
  const trials: TrialRecord[] = [];
  const path = args.checkpointPath;
  if (path !== undefined) trials.push(...(await readCheckpoint(path, { algorithm, seed, settings, space })));
  const resumedTrials = trials.length;
  const root = createRandom(seed);
  while (trials.length < maxEvaluations) {
    const index = trials.length;
    const random = root.fork(`trial ${index}`);
    const params = algorithm === "random"
      ? suggestTpe(space, [], random, { ...settings, startupTrials: Infinity })
      : suggestTpe(space, trials, random, settings);
    const value = await objective(params, index);
    const trial: TrialRecord = { index, params, loss: Number.isFinite(value) ? value : null };
    trials.push(trial);
    if (path !== undefined) {
      await writeCheckpoint(path, { format: "equilab-tune-v1", algorithm, seed, settings, space, trials });
    }
    await args.onTrial?.(trial);
  }
  return { trials, best: bestTrial(trials), resumedTrials };
}

/**
 * The trial with the lowest finite loss (earliest on ties), or null.
 *
 * @example
 * ```ts
 * import { bestTrial } from "./minimize.ts";
 * bestTrial([{ index: 0, params: {}, loss: 2 }, { index: 1, params: {}, loss: 1 }]); // trial 1
 * ```
 */
export function bestTrial(trials: readonly TrialRecord[]): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const trial of trials) {
    if (trial.loss !== null && (best === null || trial.loss < best.loss!)) best = trial;
  }
  return best;
}

async function readCheckpoint(
  path: string,
  expected: Omit<Checkpoint, "format" | "trials">,
): Promise<TrialRecord[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  let saved: Checkpoint;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    throw new Error(`tune checkpoint ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (saved.format !== "equilab-tune-v1" || !Array.isArray(saved.trials)) {
    throw new Error(`tune checkpoint ${path}: not an equilab-tune-v1 file`);
  }
  for (const key of ["algorithm", "seed", "settings", "space"] as const) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(expected[key])) {
      throw new Error(
        `tune checkpoint ${path}: saved ${key} ${JSON.stringify(saved[key])} differs from this search's ` +
          `${JSON.stringify(expected[key])}; delete the file or use another path`,
      );
    }
  }
  saved.trials.forEach((trial, position) => {
    if (trial.index !== position) {
      throw new Error(`tune checkpoint ${path}: trial ${position} has index ${trial.index}`);
    }
  });
  return saved.trials;
}

function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(checkpoint, null, 1));
}
