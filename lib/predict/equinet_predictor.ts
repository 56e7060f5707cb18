/**
 * Predicts the next days' 涨/跌/稳 probabilities of stocks from their files with a trained EquiNet
 * checkpoint: the checkpoint's metadata says how its training windows were built, and the latest
 * window of each file is built the same way.
 */
import { basename } from "node:path";
import { type DailyBars, loadBars } from "../data/mod.ts";
import { EQUINET_COLUMNS, equiNetStock, latestWindows } from "../features/mod.ts";
import { formatPrediction } from "../eval/mod.ts";
import { TransformerClassifier } from "../models/mod.ts";
import { readTensorFolder, resolveTensorFolder } from "../train/mod.ts";

/** The window settings a checkpoint was trained with. */
export interface PredictorWindowSettings {
  /** `"corrected"` (each window by its own past) or `"published"` (whole-file z-scores). */
  mode: "published" | "corrected";
  /** Days per prediction window. */
  contextDays: number;
  /** Days ahead the label looks. */
  horizonDays: number;
}

/** A loaded checkpoint, ready to predict. */
export interface EquiNetPredictor {
  /** The checkpoint folder actually read. */
  folder: string;
  /** The model. */
  model: TransformerClassifier;
  /** How windows are built. */
  windows: PredictorWindowSettings;
  /** The experiment id the checkpoint came from, and its epoch. */
  experiment: string;
  /** Training epoch of the checkpoint. */
  epoch: number;
}

/** One stock's prediction. */
export interface StockPrediction {
  /** The file it was read from. */
  file: string;
  /** Stock code (from the file, else its name). */
  code: string;
  /** Date of the latest window's newest day. */
  date: string;
  /** Days in the window. */
  contextDays: number;
  /** Days ahead the probabilities refer to. */
  horizonDays: number;
  /** Probability of 涨 up. */
  up: number;
  /** Probability of 跌 down. */
  down: number;
  /** Probability of 稳 flat. */
  flat: number;
  /** `涨 21% · 跌 54% · 稳 25%`. */
  formatted: string;
}

/** A checkpoint that is missing or was not written by an EquiNet training run. */
export class CheckpointError extends Error {
  /** @param message One line naming the folder and the problem. */
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/**
 * Loads an EquiNet checkpoint: `folder` itself, or `folder/best` when `folder` is a training run's
 * checkpoint folder.
 *
 * @throws CheckpointError when the folder has no checkpoint, its metadata lacks the window settings
 * or feature list, its features differ from EquiNet's, or its weights do not fit its options.
 * @example
 * ```ts
 * import { loadEquiNetPredictor } from "./equinet_predictor.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * ```
 */
export async function loadEquiNetPredictor(folder: string): Promise<EquiNetPredictor> {
  const actual = (await resolveTensorFolder(folder)) ?? (await resolveTensorFolder(`${folder}/best`));
  if (!actual) {
    throw new CheckpointError(`no checkpoint at ${folder} (no model.json there or in ${folder}/best)`);
  }
  let metadata: Record<string, unknown>;
  try {
    metadata = (await readTensorFolder(actual)).metadata;
  } catch (error) {
    throw new CheckpointError(`${actual}: unreadable checkpoint: ${(error as Error).message}`);
  }
  const windows = metadata.windows as Record<string, unknown> | undefined;
  const features = metadata.features as unknown;
  const contextDays = metadata.inferenceContextDays;
  if (metadata.kind !== "equinet-transformer" || !windows || !Array.isArray(features)) {
    throw new CheckpointError(
      `${actual}: not an EquiNet checkpoint (model.json metadata needs kind "equinet-transformer", windows and features)`,
    );
  }
  if (features.join(",") !== EQUINET_COLUMNS.join(",")) {
    throw new CheckpointError(
      `${actual}: incompatible checkpoint: features [${features.join(", ")}], this version builds [${
        EQUINET_COLUMNS.join(", ")
      }]`,
    );
  }
  const mode = windows.mode;
  if ((mode !== "published" && mode !== "corrected") || !Number.isInteger(contextDays)) {
    throw new CheckpointError(
      `${actual}: incompatible checkpoint: window mode ${mode}, context ${contextDays}`,
    );
  }
  let model: TransformerClassifier;
  try {
    model = await TransformerClassifier.fromCheckpoint(actual);
  } catch (error) {
    throw new CheckpointError(`incompatible checkpoint: ${(error as Error).message}`);
  }
  return {
    folder: actual,
    model,
    windows: { mode, contextDays: contextDays as number, horizonDays: Number(windows.horizonDays ?? 3) },
    experiment: String(metadata.experiment ?? ""),
    epoch: Number(metadata.epoch ?? 0),
  };
}

/**
 * Predicts from already loaded bars (their market columns must be present).
 *
 * @example
 * ```ts
 * import { loadEquiNetPredictor, predictBars } from "./equinet_predictor.ts";
 * import { loadBars } from "../data/mod.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * const prediction = await predictBars(predictor, await loadBars("000001.xlsx"));
 * ```
 */
export async function predictBars(predictor: EquiNetPredictor, bars: DailyBars): Promise<StockPrediction> {
  const file = bars.meta.file;
  const code = bars.meta.code ?? basename(file).replace(/\.[^.]+$/, "");
  let batch;
  try {
    const stock = equiNetStock(bars.toData(), code);
    batch = latestWindows([stock], {
      mode: predictor.windows.mode,
      contextDays: predictor.windows.contextDays,
    });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const probabilities = await predictor.model.predictProbabilities(batch);
  return {
    file,
    code,
    date: bars.dates[bars.dates.length - 1],
    contextDays: predictor.windows.contextDays,
    horizonDays: predictor.windows.horizonDays,
    up: probabilities[0],
    down: probabilities[1],
    flat: probabilities[2],
    formatted: formatPrediction(probabilities),
  };
}

/**
 * Loads a file with the data layer (its errors name file, row, column and value) and predicts its
 * latest window.
 *
 * @example
 * ```ts
 * import { loadEquiNetPredictor, predictFile } from "./equinet_predictor.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * console.log((await predictFile(predictor, "000001.xlsx")).formatted);
 * ```
 */
export async function predictFile(predictor: EquiNetPredictor, path: string): Promise<StockPrediction> {
  return await predictBars(predictor, await loadBars(path));
}
