/**
 * Writes a synthetic market to a folder: `deno task data:synthetic --out FOLDER [--format csv|tdx|equinet-xlsx]
 * [--kind garch|random-walk] [--seed N] [--stocks N] [--days N] [--suspensions P] [--headers english|chinese]
 * [--encoding utf-8|gbk]`.
 *
 * @module
 */
import { generateMarket, randomWalkMarket } from "./market.ts";
import { writeMarket, type WriteMarketArgs } from "./write.ts";

/** Parsed command line of the CLI. */
export interface SyntheticCliOptions {
  /** Output folder. */
  out: string;
  /** File format. */
  format: WriteMarketArgs["format"];
  /** Generator. */
  kind: "garch" | "random-walk";
  /** Seed. */
  seed: number;
  /** Stocks. */
  stocks: number;
  /** Trading days. */
  days: number;
  /** Suspension start probability per stock-day (garch only). */
  suspensions: number;
  /** CSV headers. */
  headers: "english" | "chinese";
  /** CSV encoding. */
  encoding: "utf-8" | "gbk";
}

/**
 * Parses the CLI's arguments; unknown flags and bad values are errors naming them.
 *
 * @example
 * ```ts
 * import { parseSyntheticArgs } from "./cli.ts";
 * parseSyntheticArgs(["--out", "out/synthetic", "--format", "tdx", "--seed", "3"]);
 * ```
 */
export function parseSyntheticArgs(argv: string[]): SyntheticCliOptions {
  const options: SyntheticCliOptions = {
    out: "",
    format: "csv",
    kind: "garch",
    seed: 0,
    stocks: 20,
    days: 500,
    suspensions: 0,
    headers: "english",
    encoding: "utf-8",
  };
  const choices: Record<string, readonly string[]> = {
    format: ["csv", "tdx", "equinet-xlsx"],
    kind: ["garch", "random-walk"],
    headers: ["english", "chinese"],
    encoding: ["utf-8", "gbk"],
  };
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index];
    const value = argv[index + 1];
    const name = flag.replace(/^--/, "");
    if (!flag.startsWith("--") || !(name in options)) throw new Error(`unknown argument ${flag}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (name in choices) {
      if (!choices[name].includes(value)) {
        throw new Error(`${flag} must be one of ${choices[name].join(", ")}, got ${value}`);
      }
      (options as unknown as Record<string, string>)[name] = value;
    } else if (name === "out") {
      options.out = value;
    } else {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`${flag} must be a number, got ${value}`);
      (options as unknown as Record<string, number>)[name] = number;
    }
  }
  if (options.out === "") throw new Error("--out FOLDER is required");
  return options;
}

async function main(argv: string[]): Promise<number> {
  let options: SyntheticCliOptions;
  try {
    options = parseSyntheticArgs(argv);
  } catch (error) {
    console.error(`data:synthetic: ${(error as Error).message}`);
    return 2;
  }
  const market = options.kind === "garch"
    ? generateMarket({
      seed: options.seed,
      stockCount: options.stocks,
      days: options.days,
      suspensionProbability: options.suspensions,
    })
    : randomWalkMarket({ seed: options.seed, stockCount: options.stocks, days: options.days });
  const paths = await writeMarket(market, options.out, options);
  console.log(
    `wrote ${paths.length} ${options.format} files (${options.kind}, seed ${options.seed}) to ${options.out}`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
