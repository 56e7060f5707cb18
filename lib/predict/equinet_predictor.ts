/**
 * Predicts the next days' 涨/跌/稳 probabilities of stocks from their files with a trained EquiNet
 * checkpoint: the checkpoint's metadata says how its training windows were built and how the
 * training stocks' market columns were paired with their days, and the latest window of each file
 * is built the same way.
 *
 * Market pairing: a checkpoint records `alignMarket` (`"date"`: each stock day beside its own day's
 * market row; `"position"`: as EquiNet's files store them, by row) and the shared market rows it was
 * trained with (dates and `marketlimit`). A file whose market columns are those rows gets their
 * dates: a date-paired model re-pairs them by date (stock rows before the rows start are left out
 * and counted); a position-paired one refuses a file whose stock rows end before its market rows
 * (the newest days would see later days' market data). With an index (`--market`), the market
 * columns are rebuilt by date from it instead, whatever the file holds.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  alignMarketByDate,
  type DailyBars,
  type DailyBarsData,
  loadBars,
  MARKET_COLUMNS,
  marketFromIndex,
} from "../data/mod.ts";
import { EQUINET_COLUMNS, equiNetStock, latestWindows } from "../features/mod.ts";
import { formatPrediction } from "../eval/mod.ts";
import { TransformerClassifier } from "../models/mod.ts";
import { readTensorFolder, resolveTensorFolder } from "../train/mod.ts";

/**
 * The released model's folder, `out/models/equinet/` of the repository (written by `deno task
 * release-model`), resolved from this module's location, not the working directory.
 *
 * @example
 * ```ts
 * import { RELEASED_MODEL_FOLDER } from "./equinet_predictor.ts";
 * console.log(RELEASED_MODEL_FOLDER); // /…/equilab/out/models/equinet
 * ```
 */
export const RELEASED_MODEL_FOLDER: string = join(
  dirname(dirname(dirname(fileURLToPath(import.meta.url)))),
  "out",
  "models",
  "equinet",
);

/** The window settings a checkpoint was trained with. */
export interface PredictorWindowSettings {
  /** `"corrected"` (each window by its own past) or `"published"` (whole-file z-scores). */
  mode: "published" | "corrected";
  /** Longest window in days (fixed context: the context; random: `maxContextDays`): windows are padded to it. */
  contextDays: number;
  /** Shortest window in days the model was trained on (fixed context: `contextDays`; random: `minContextDays`). */
  minContextDays: number;
  /** Days ahead the label looks. */
  horizonDays: number;
}

/** The shared market rows a checkpoint was trained with: their dates in row order and `marketlimit` values. */
export interface MarketRows {
  /** Date of each market row (YYYY-MM-DD). */
  dates: string[];
  /** `marketlimit` of each row, to recognise the rows in a file. */
  marketlimit: number[];
}

/** A loaded checkpoint, ready to predict. */
export interface EquiNetPredictor {
  /** The checkpoint folder actually read. */
  folder: string;
  /** The model. */
  model: TransformerClassifier;
  /** How windows are built. */
  windows: PredictorWindowSettings;
  /** How the training stocks' market columns were paired (`"position"` when the checkpoint does not say). */
  alignMarket: "position" | "date";
  /** The training stocks' shared market rows, when recorded. */
  marketRows?: MarketRows;
  /** What the checkpoint leaves to assumption (e.g. no recorded market pairing): one line each. */
  warnings: string[];
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
  /**
   * How the market columns were paired with the stock's days: `"date"` (re-paired by date with the
   * recorded market rows, or already on their days), `"position"` (as stored) or `"index"` (rebuilt
   * by date from `--market`).
   */
  marketPairing: "position" | "date" | "index";
  /** Rows of the file left out by the pairing (days without a market row). */
  rowsLeftOut: number;
  /** What was assumed or changed, one line each (the checkpoint's warnings first). */
  warnings: string[];
}

/** Options of {@link predictBars} and {@link predictFile}. */
export interface PredictOptions {
  /**
   * Index bars (e.g. the Shanghai Composite) to rebuild the market columns from, by date
   * (`marketFromIndex`): for files without EquiNet's market columns, and used instead of a file's
   * own market columns when given. Default: none (the file's own market columns).
   */
  marketIndex?: DailyBars;
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
  const random = windows.context === "random";
  const minContextDays = random ? windows.minContextDays : contextDays;
  if (!Number.isInteger(minContextDays) || (minContextDays as number) < 1 || minContextDays! > contextDays!) {
    throw new CheckpointError(
      `${actual}: incompatible checkpoint: random context with minContextDays ${minContextDays} (context ${contextDays})`,
    );
  }
  const alignMarket = metadata.alignMarket ?? "position";
  if (alignMarket !== "position" && alignMarket !== "date") {
    throw new CheckpointError(
      `${actual}: incompatible checkpoint: alignMarket ${
        JSON.stringify(alignMarket)
      } (need "position" or "date")`,
    );
  }
  const warnings = metadata.alignMarket === undefined
    ? [
      `${actual}: the checkpoint does not record how its training stocks' market columns were paired ` +
      `(written before alignMarket was recorded): pairing by position assumed`,
    ]
    : [];
  const marketRows = metadata.marketRows as MarketRows | undefined;
  if (
    marketRows !== undefined &&
    (!Array.isArray(marketRows.dates) || !Array.isArray(marketRows.marketlimit) ||
      marketRows.dates.length !== marketRows.marketlimit.length)
  ) {
    throw new CheckpointError(
      `${actual}: incompatible checkpoint: marketRows needs dates and marketlimit of one length`,
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
    windows: {
      mode,
      contextDays: contextDays as number,
      minContextDays: minContextDays as number,
      horizonDays: Number(windows.horizonDays ?? 3),
    },
    alignMarket,
    marketRows,
    warnings,
    experiment: String(metadata.experiment ?? ""),
    epoch: Number(metadata.epoch ?? 0),
  };
}

/**
 * The dates of a file's market rows when they are the checkpoint's recorded market rows (its
 * `marketlimit` column equals a run of the recorded values, row by row), else undefined.
 */
function marketRowDates(data: DailyBarsData, rows: MarketRows | undefined): string[] | undefined {
  const limits = data.optional.marketlimit;
  if (!rows || !limits || limits.length === 0) return undefined;
  const count = limits.length;
  for (let offset = 0; offset + count <= rows.marketlimit.length; offset++) {
    if (rows.marketlimit[offset] !== limits[0]) continue;
    let same = true;
    for (let row = 1; row < count && same; row++) same = rows.marketlimit[offset + row] === limits[row];
    if (same) return rows.dates.slice(offset, offset + count);
  }
  return undefined;
}

/** The file's data with its market columns paired as the model was trained, and what was done. */
function pairMarket(
  predictor: EquiNetPredictor,
  data: DailyBarsData,
  file: string,
  options: PredictOptions,
): {
  data: DailyBarsData;
  pairing: StockPrediction["marketPairing"];
  rowsLeftOut: number;
  warnings: string[];
} {
  const rows = data.dates.length;
  const hasMarket = MARKET_COLUMNS.every((name) => data.optional[name] !== undefined);
  if (options.marketIndex) {
    const index = options.marketIndex;
    const indexName = basename(index.meta.file);
    const rebuilt = marketFromIndex(data, index.toData());
    const kept = new Set(rebuilt.data.dates);
    const leftOut = data.dates.filter((date) => !kept.has(date));
    const warnings = [
      `${file}: market columns ${
        hasMarket ? "in the file replaced by" : "built from"
      } the index ${indexName} ` +
      `by date; ${leftOut.length} of ${rows} rows left out (dates missing from the index${
        leftOut.length > 0 ? `: ${leftOut[0]}..${leftOut.at(-1)}` : ""
      })`,
    ];
    return { data: rebuilt.data, pairing: "index", rowsLeftOut: leftOut.length, warnings };
  }
  if (!hasMarket) {
    const missing = MARKET_COLUMNS.filter((name) => data.optional[name] === undefined);
    throw new Error(
      `${file}: no ${missing.join(", ")} column (EquiNet needs the market columns); ` +
        `pass --market INDEX_FILE to build them by date from an index`,
    );
  }
  const marketDates = marketRowDates(data, predictor.marketRows);
  const last = rows - 1;
  if (predictor.alignMarket === "position") {
    if (marketDates && data.dates[last] < marketDates[last]) {
      throw new Error(
        `${file}: the stock rows end on ${data.dates[last]} but the market rows beside them end on ` +
          `${marketDates[last]}: paired by position, as this model was trained, the newest days would see ` +
          `later days' market data; pass --market INDEX_FILE to pair them by date`,
      );
    }
    return { data, pairing: "position", rowsLeftOut: 0, warnings: [] };
  }
  if (!marketDates) {
    return {
      data,
      pairing: "position",
      rowsLeftOut: 0,
      warnings: [
        `${file}: its market rows are not the ones this model was trained with, so their dates are unknown: ` +
        `paired by position although the model pairs by date; pass --market INDEX_FILE to pair them by date`,
      ],
    };
  }
  const misaligned = data.dates.filter((date, row) => date !== marketDates[row]).length;
  if (misaligned === 0) return { data, pairing: "date", rowsLeftOut: 0, warnings: [] };
  const aligned = alignMarketByDate(data, marketDates);
  return {
    data: aligned.data,
    pairing: "date",
    rowsLeftOut: aligned.dropped,
    warnings: [
      `${file}: market rows re-paired by date (${misaligned} of ${rows} rows stood beside another day's ` +
      `market row); ${aligned.dropped} rows before the market rows start on ${marketDates[0]} left out`,
    ],
  };
}

/**
 * Predicts from already loaded bars: pairs their market columns as the model was trained (or
 * rebuilds them from `options.marketIndex`), then predicts the latest window — for a random-context
 * model the latest `min(rows, maxContextDays)` days, padded as in training.
 *
 * @throws Error naming the file when it lacks the market columns (and no index is given), when a
 * position-paired model would see later market rows, or when it has fewer rows than the shortest
 * window the model was trained on.
 * @example
 * ```ts
 * import { loadEquiNetPredictor, predictBars } from "./equinet_predictor.ts";
 * import { loadBars } from "../data/mod.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * const prediction = await predictBars(predictor, await loadBars("000001.xlsx"));
 * ```
 */
export async function predictBars(
  predictor: EquiNetPredictor,
  bars: DailyBars,
  options: PredictOptions = {},
): Promise<StockPrediction> {
  const file = bars.meta.file;
  const code = bars.meta.code ?? basename(file).replace(/\.[^.]+$/, "");
  const paired = pairMarket(predictor, bars.toData(), file, options);
  const rows = paired.data.dates.length;
  const { minContextDays, contextDays: longest } = predictor.windows;
  if (rows < minContextDays) {
    const leftOut = paired.rowsLeftOut > 0
      ? ` (${paired.rowsLeftOut} of its rows left out by the market pairing)`
      : "";
    throw new Error(
      `${file}: ${rows} rows${leftOut}, the model needs at least ${minContextDays} days` +
        (minContextDays < longest ? ` (trained on ${minContextDays}..${longest}-day windows)` : ""),
    );
  }
  const contextDays = Math.min(rows, longest);
  let batch;
  try {
    const stock = equiNetStock(paired.data, code);
    batch = latestWindows([stock], { mode: predictor.windows.mode, contextDays, padToDays: longest });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const probabilities = await predictor.model.predictProbabilities(batch);
  return {
    file,
    code,
    date: paired.data.dates[rows - 1],
    contextDays,
    horizonDays: predictor.windows.horizonDays,
    up: probabilities[0],
    down: probabilities[1],
    flat: probabilities[2],
    formatted: formatPrediction(probabilities),
    marketPairing: paired.pairing,
    rowsLeftOut: paired.rowsLeftOut,
    warnings: [...predictor.warnings, ...paired.warnings],
  };
}

/**
 * Loads a file with the data layer (its errors name file, row, column and value) and predicts its
 * latest window ({@link predictBars}).
 *
 * @example
 * ```ts
 * import { loadEquiNetPredictor, predictFile } from "./equinet_predictor.ts";
 * import { loadBars } from "../data/mod.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * console.log((await predictFile(predictor, "000001.xlsx")).formatted);
 * const marketIndex = await loadBars("000001_sse.csv");
 * console.log((await predictFile(predictor, "SZ#300418.txt", { marketIndex })).formatted);
 * ```
 */
export async function predictFile(
  predictor: EquiNetPredictor,
  path: string,
  options: PredictOptions = {},
): Promise<StockPrediction> {
  return await predictBars(predictor, await loadBars(path), options);
}
