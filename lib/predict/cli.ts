/**
 * `deno task predict --model CHECKPOINT FILE... [--json]`: the latest-window 涨/跌/稳 probabilities
 * of each stock file with a trained EquiNet checkpoint.
 *
 * Plain output: one line per file, `CODE  DATE  涨 21% · 跌 54% · 稳 25%`. `--json`: one object per
 * line, `{"file","code","date","contextDays","horizonDays","up","down","flat","formatted"}` (or
 * `{"file","error"}`). Exit status: 0 all predicted, 1 a file failed, 2 usage error or a missing or
 * incompatible checkpoint.
 *
 * @example
 * ```sh
 * deno task predict --model out/equinet/corrected/best ../shared/data/equinet/000001.xlsx
 * ```
 * @module
 */
import { selectBackend } from "../backend/mod.ts";
import { CheckpointError, loadEquiNetPredictor, predictFile } from "./equinet_predictor.ts";

const USAGE = `usage: deno task predict --model CHECKPOINT FILE... [--json]

Predicts 涨 up / 跌 down / 稳 flat probabilities of the next days for each stock file (EquiNet .xlsx,
or any daily-bar file with the market columns), from its latest window.
  --model DIR   checkpoint folder (best/ or last/ of a training run, or the run folder: best/ is used)
  --json        one JSON object per line
  --help        this text
Exit status: 0 all predicted, 1 some file failed, 2 usage error or bad checkpoint.`;

/** Parsed command line. */
export interface PredictCliOptions {
  /** Checkpoint folder. */
  model: string;
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
 * parsePredictArgs(["--model", "out/m/best", "a.xlsx"]); // { model: "out/m/best", files: ["a.xlsx"], json: false, help: false }
 * ```
 */
export function parsePredictArgs(argv: readonly string[]): PredictCliOptions | string {
  const options: PredictCliOptions = { model: "", files: [], json: false, help: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--json") options.json = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--model") {
      const value = argv[++index];
      if (value === undefined || value.startsWith("--")) return "--model needs a checkpoint folder";
      options.model = value;
    } else if (arg.startsWith("--model=")) options.model = arg.slice("--model=".length);
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else options.files.push(arg);
  }
  if (options.help) return options;
  if (!options.model) return "missing --model CHECKPOINT";
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
  await selectBackend(Deno.env.get("EQUILAB_BACKEND") ?? "cpu");
  let predictor;
  try {
    predictor = await loadEquiNetPredictor(options.model);
  } catch (error) {
    const message = error instanceof CheckpointError
      ? error.message
      : `${options.model}: ${(error as Error).message}`;
    console.error(`predict: ${message.split("\n")[0]}`);
    return 2;
  }
  let failed = 0;
  try {
    for (const file of options.files) {
      try {
        const prediction = await predictFile(predictor, file);
        if (options.json) console.log(JSON.stringify(prediction));
        else console.log(`${prediction.code}  ${prediction.date}  ${prediction.formatted}`);
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
