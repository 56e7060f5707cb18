/**
 * `deno task predict [--model CHECKPOINT] [--market INDEX_FILE] FILE... [--json]`: the latest-window
 * 涨/跌/稳 probabilities of each stock file with a trained EquiNet checkpoint — by default the
 * released model in `out/models/equinet/` (`deno task release-model` writes it).
 *
 * Plain output: one line per file, `CODE  DATE  涨 21% · 跌 54% · 稳 25%`, with warnings (market
 * rows re-paired or rebuilt, rows left out, assumptions about an old checkpoint) on stderr as
 * `predict: warning: …`. `--json`: one object per line, `{"file","code","date","contextDays",
 * "horizonDays","up","down","flat","formatted","marketPairing","rowsLeftOut","warnings"}` (or
 * `{"file","error"}`). Exit status: 0 all predicted, 1 a file failed, 2 usage error, a missing or
 * incompatible checkpoint or an unreadable index file.
 *
 * @example
 * ```sh
 * deno task predict ../shared/data/equinet/processed_000972.xlsx
 * deno task predict --model out/equinet/corrected/best --market ../shared/data/indices/000001_sse.csv 'SZ#300418.txt'
 * ```
 * @module
 */
import { selectBackend } from "../backend/mod.ts";
import { pathExists } from "../io/mod.ts";
import { type DailyBars, loadBars } from "../data/mod.ts";
import {
  CheckpointError,
  type EquiNetPredictor,
  loadEquiNetPredictor,
  predictFile,
  RELEASED_MODEL_FOLDER,
} from "./equinet_predictor.ts";

const USAGE = `usage: deno task predict [--model CHECKPOINT] [--market INDEX_FILE] FILE... [--json]

Predicts 涨 up / 跌 down / 稳 flat probabilities of the next days for each stock file (EquiNet .xlsx,
or any daily-bar file with the market columns; TDX .txt or CSV files with --market), from its latest
window: for a model trained on random 20..100-day windows, the latest min(rows, 100) days; files
shorter than the shortest trained window are refused.
  --model DIR          checkpoint folder (best/ or last/ of a training run, or the run folder: best/ is
                       used). Default: the released model out/models/equinet/ (deno task release-model)
  --market INDEX_FILE  index daily bars (e.g. the Shanghai Composite, indices/000001_sse.csv or TDX
                       SH#000001.txt): the market columns (marketvolume, marketlimit, marketrange) are
                       rebuilt from it by date, for files without them and also for files that have
                       them (the index pairs every day with its own market row; said in a warning).
                       Rows whose date the index lacks are left out and counted
  --json               one JSON object per line
  --help               this text
Market pairing: the model records how its training stocks' market columns were paired ("date" or
"position"). Without --market, an EquiNet file whose market rows are the training ones is paired the
same way (by date: stock rows before the market rows start are left out); a position-paired model
refuses a file whose stock rows end before its market rows. A checkpoint without the record is taken
as "position" (warning).
Exit status: 0 all predicted, 1 some file failed, 2 usage error, bad checkpoint or unreadable index.`;

/** Parsed command line. */
export interface PredictCliOptions {
  /** Checkpoint folder ("" when not given: the released model). */
  model: string;
  /** Index file to rebuild the market columns from ("" when not given). */
  market: string;
  /** Files to predict. */
  files: string[];
  /** JSON lines output. */
  json: boolean;
  /** Show usage. */
  help: boolean;
}

/**
 * Parses the command line; returns a usage error message instead of throwing.
 *
 * @example
 * ```ts
 * import { parsePredictArgs } from "./cli.ts";
 * parsePredictArgs(["--model", "out/m/best", "a.xlsx"]); // { model: "out/m/best", market: "", files: ["a.xlsx"], json: false, help: false }
 * ```
 */
export function parsePredictArgs(argv: readonly string[]): PredictCliOptions | string {
  const options: PredictCliOptions = { model: "", market: "", files: [], json: false, help: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--json") options.json = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--model") {
      const value = argv[++index];
      if (value === undefined || value.startsWith("--")) return "--model needs a checkpoint folder";
      options.model = value;
    } else if (arg.startsWith("--model=")) options.model = arg.slice("--model=".length);
    else if (arg === "--market") {
      const value = argv[++index];
      if (value === undefined || value.startsWith("--")) return "--market needs an index file";
      options.market = value;
    } else if (arg.startsWith("--market=")) options.market = arg.slice("--market=".length);
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else options.files.push(arg);
  }
  if (options.help) return options;
  if (options.files.length === 0) return "no files to predict";
  return options;
}

/**
 * Runs the command; returns the exit status.
 *
 * @example
 * ```ts
 * import { predictMain } from "./cli.ts";
 * const status = await predictMain(["--model", "out/m/best", "a.xlsx", "--json"]);
 * const withIndex = await predictMain(["--market", "000001_sse.csv", "SZ#300418.txt"]); // released model
 * ```
 */
export async function predictMain(argv: readonly string[]): Promise<number> {
  const options = parsePredictArgs(argv);
  if (typeof options === "string") {
    console.error(`predict: ${options}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const model = options.model || RELEASED_MODEL_FOLDER;
  if (!options.model && !(await pathExists(RELEASED_MODEL_FOLDER))) {
    console.error(
      `predict: no released model at ${RELEASED_MODEL_FOLDER}: produce it with \`deno task release-model\` ` +
        `(retrains the corrected reference's best seed), or pass --model CHECKPOINT`,
    );
    return 2;
  }
  let marketIndex: DailyBars | undefined;
  if (options.market) {
    try {
      marketIndex = await loadBars(options.market);
    } catch (error) {
      console.error(`predict: --market ${(error as Error).message.split("\n").join("; ")}`);
      return 2;
    }
  }
  await selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "cpu");
  let predictor: EquiNetPredictor;
  try {
    predictor = await loadEquiNetPredictor(model);
  } catch (error) {
    const message = error instanceof CheckpointError
      ? error.message
      : `${model}: ${(error as Error).message}`;
    console.error(`predict: ${message.split("\n")[0]}`);
    return 2;
  }
  let failed = 0;
  try {
    if (!options.json) {
      for (const warning of predictor.warnings) console.error(`predict: warning: ${warning}`);
    }
    for (const file of options.files) {
      try {
        const prediction = await predictFile(predictor, file, { marketIndex });
        if (options.json) console.log(JSON.stringify(prediction));
        else {
          for (const warning of prediction.warnings.slice(predictor.warnings.length)) {
            console.error(`predict: warning: ${warning}`);
          }
          console.log(`${prediction.code}  ${prediction.date}  ${prediction.formatted}`);
        }
      } catch (error) {
        failed++;
        const message = (error as Error).message;
        if (options.json) console.log(JSON.stringify({ file, error: message }));
        else console.error(`predict: ${message}`);
      }
    }
  } finally {
    predictor.model.dispose();
  }
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await predictMain(Deno.args));
