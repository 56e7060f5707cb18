/**
 * Builds `data/datasets.json` from the mirror's `MANIFEST.tsv`.
 *
 * Run `deno task data:registry` (writes the file) or `deno task data:registry --check` (fails when
 * the committed file differs from what the manifest gives). The manifest defaults to
 * `$EQUILAB_DATA_MIRROR/MANIFEST.tsv`, else `../shared/data/MANIFEST.tsv`; `--manifest PATH` overrides.
 */
import { dirname, join, resolve as resolvePath } from "node:path";
import { sha256Hex, writeAtomically } from "./download.ts";
import { PathEscapeError, relativePathProblem } from "../io/paths.ts";
import {
  type Dataset,
  type DatasetFile,
  MIRROR_ENV,
  PROJECT_ROOT,
  type Registry,
  REGISTRY_PATH,
} from "./registry.ts";

/** One row of `MANIFEST.tsv`. */
export interface ManifestRow {
  /** Mirror-relative path. */
  path: string;
  /** Hex SHA-256. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** Origin repository, `(several)` for joined files. */
  repository: string;
  /** Origin commit; empty when the file is derived, not byte-identical. */
  commit: string;
  /** Upstream path, or a note on how the file was derived. */
  upstreamPath: string;
}

/**
 * Parses `MANIFEST.tsv` (tab-separated, header `path sha256 bytes repository commit upstream_path`). A path
 * that is absolute, holds `..` or is not normalised throws `PathEscapeError` naming the row.
 *
 * @example
 * ```ts
 * import { parseManifest } from "./registry_build.ts";
 * const rows = parseManifest("path\tsha256\tbytes\trepository\tcommit\tupstream_path\n");
 * ```
 */
export function parseManifest(text: string, source = "MANIFEST.tsv"): ManifestRow[] {
  const lines = text.split("\n");
  const header = lines[0].replace(/\r$/, "").split("\t");
  const expected = ["path", "sha256", "bytes", "repository", "commit", "upstream_path"];
  if (header.join("\t") !== expected.join("\t")) {
    throw new Error(`${source}, row 1: header is ${JSON.stringify(header)}, expected ${expected.join(",")}`);
  }
  const rows: ManifestRow[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, "");
    if (line === "") continue;
    const cells = line.split("\t");
    const row = index + 1;
    if (cells.length !== 6) throw new Error(`${source}, row ${row}: ${cells.length} columns, expected 6`);
    const [path, sha256, bytesText, repository, commit, upstreamPath] = cells;
    const problem = relativePathProblem(path);
    if (problem !== undefined) {
      throw new PathEscapeError({
        file: source,
        path,
        reason: `${problem}; every path must be relative to the data folder`,
        where: `${source}, row ${row}, column path`,
      });
    }
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new Error(`${source}, row ${row}, column sha256: bad value ${sha256}`);
    }
    const bytes = Number(bytesText);
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new Error(`${source}, row ${row}, column bytes: bad value ${bytesText}`);
    }
    if (commit !== "" && !/^[0-9a-f]{40}$/.test(commit)) {
      throw new Error(`${source}, row ${row}, column commit: bad value ${commit}`);
    }
    rows.push({ path, sha256, bytes, repository, commit, upstreamPath });
  }
  return rows;
}

/**
 * The download URL of a byte-identical upstream file: each path segment URL-encoded (`#` → `%23`).
 *
 * @example
 * ```ts
 * import { rawGithubUrl } from "./registry_build.ts";
 * rawGithubUrl("a/b", "0".repeat(40), "SH#000001.txt"); // ".../SH%23000001.txt"
 * ```
 */
export function rawGithubUrl(repository: string, commit: string, upstreamPath: string): string {
  const encoded = upstreamPath.split("/").map(encodeURIComponent).join("/");
  return `https://raw.githubusercontent.com/${repository}/${commit}/${encoded}`;
}

const NO_LICENCE = "none stated by the origin (public market quotes)";
const CC_BY = "CC BY 4.0 (AFAN-LIFE/macropage; see macro/LICENSE-macropage-CC-BY-4.0)";
const MACRO_LICENCE_FILE = "macro/LICENSE-macropage-CC-BY-4.0";

interface DatasetSpec {
  name: string;
  description: string;
  licence: string;
  includes(path: string): boolean;
  /** Files of the mirror that the manifest does not list (hashed from the mirror at build time). */
  extraFiles?: { path: string; licence: string; description: string; repository: string }[];
  fileLicence(path: string): string;
  describe(path: string): string;
}

const indexFile = (
  name: string,
  path: string,
  description: string,
): DatasetSpec => ({
  name,
  description,
  licence: NO_LICENCE,
  includes: (candidate) => candidate === path,
  fileLicence: () => NO_LICENCE,
  describe: () => description,
});

/** The data sets and how mirror paths map to them. Descriptions follow the mirror's README. */
const SPECS: DatasetSpec[] = [
  {
    name: "equinet-319",
    description: "EquiNet's training set: 319 A-share stocks, 420 daily rows each (TDX export), columns " +
      "time,start,max,min,end,volume,marketvolume,marketlimit,marketrange; market columns are the SSE " +
      "Composite matched by row position (misaligned for the 34 stocks with suspensions). Unadjusted prices.",
    licence: "MIT (Copyright (c) 2025 HuJi, hujiyo/EquiNet; see equinet/LICENSE)",
    includes: (path) => path.startsWith("equinet/"),
    fileLicence: () => "MIT (hujiyo/EquiNet)",
    describe: (path) =>
      path === "equinet/LICENSE"
        ? "EquiNet's MIT licence text"
        : `Daily bars of A-share ${
          path.match(/processed_(\d+)\.xlsx$/)?.[1]
        } with SSE Composite market columns ` +
          "(xlsx, 420 rows, ending 2025-03-19)",
  },
  indexFile(
    "chinext-399006",
    "indices/399006_chinext.csv",
    "ChiNext index 创业板指 (399006) daily bars 2010-06-01 .. 2021-11-18, date,open,close,high,low,volume," +
      "amount; volume and amount are board totals (~2.5-3x the official index figures).",
  ),
  indexFile(
    "chinext-399006-163",
    "indices/399006_chinext_163_gbk.csv",
    "ChiNext index (399006) from NetEase 163, GBK, newest first, 2010-06-01 .. 2020-10-16, Chinese " +
      "headers, code with a leading apostrophe, official turnover.",
  ),
  indexFile(
    "chinext300-399012",
    "indices/399012_chinext300_cnindex.csv",
    "ChiNext 300 创业300 (399012) 2017-01-03 .. 2022-03-08, UTF-8, newest first, pct as a fraction, volume " +
      "in millions of shares, amount in 1e8 CNY.",
  ),
  indexFile(
    "csi300-000300",
    "indices/000300_csi300.csv",
    "CSI 300 沪深300 (000300) daily bars 2005-01-04 .. 2021-11-18, date,open,close,high,low,volume,amount.",
  ),
  indexFile(
    "csi300-000300-2018-2026",
    "indices/000300_csi300_2018_2026.csv",
    "CSI 300 沪深300 (000300) daily bars 2018-01-02 .. 2026-03-18, date,open,close,high,low,volume,amount," +
      "symbol; volume in lots, amount in CNY; equal to csi300-000300 on common dates; a price index (no " +
      "dividends) covering the hybrid study's test period 2020 .. 2023-06.",
  ),
  indexFile(
    "sse-000001",
    "indices/000001_sse.csv",
    "SSE Composite 上证指数 (000001) daily bars 1990-12-19 .. 2021-11-18, date,open,close,high,low,volume,amount.",
  ),
  {
    name: "tdx-samples",
    description:
      "Genuine TDX (通达信) day-line exports: GBK, tab-separated, forward-adjusted (前复权), 10 stocks " +
      "plus ChiNext 399006 and SSE 000001, up to 2017-09-21.",
    licence: NO_LICENCE,
    includes: (path) => path.startsWith("tdx/"),
    fileLicence: () => NO_LICENCE,
    describe: (path) =>
      `TDX day-line export of ${path.replace(/^tdx\//, "").replace(/\.txt$/, "")} (GBK, forward-adjusted)`,
  },
  {
    name: "fundamentals-100",
    description: "Prices, valuations and company fundamentals: daily/ BaoStock bars with valuation ratios " +
      "for 100 CSI 300/500 stocks 2012-06-11 .. 2023-06-30 (back-adjusted); quarterly profit and growth " +
      "data with announcement dates (pubDate); annual statement summaries; Shenwan industries; stock list; " +
      "CSI 300 membership changes.",
    licence: `${NO_LICENCE}, except fundamentals/stock_basic.csv: ${CC_BY}`,
    includes: (path) => path.startsWith("fundamentals/"),
    fileLicence: (path) => path === "fundamentals/stock_basic.csv" ? CC_BY : NO_LICENCE,
    describe: (path) => {
      const daily = path.match(/^fundamentals\/daily\/(.+)\.csv$/);
      if (daily) {
        return `BaoStock daily bars, turnover and valuation ratios of ${
          daily[1]
        }, 2012-06-11 .. 2023-06-30 ` +
          "(2,688 rows, back-adjusted prices)";
      }
      const known: Record<string, string> = {
        "fundamentals/profit_data.csv": "Quarterly profitability of 670 stocks 2013Q1 .. 2023Q1 (roeAvg, " +
          "npMargin, gpMargin, netProfit, epsTTM, MBRevenue, totalShare, liqaShare) with pubDate and statDate",
        "fundamentals/growth_data.csv": "Quarterly growth of 670 stocks 2013Q1 .. 2023Q1 (YOYEquity, " +
          "YOYAsset, YOYNI, YOYEPSBasic, YOYPNI as fractions) with pubDate and statDate",
        "fundamentals/HS300_history.csv": "CSI 300 membership changes",
        "fundamentals/annual_financial_summary_163.csv.gz": "Annual statement summaries of 3,969 stocks " +
          "1989 .. 2020 (Chinese headers, 10k CNY), pivoted from NetEase 163 files; no announcement dates",
        "fundamentals/industry_sw_2018.csv": "Shenwan industry membership, June 2018 (sw_code,stock)",
        "fundamentals/stock_basic.csv": "Tushare-style stock list with an industry column, 5,806 stocks",
      };
      const description = known[path];
      if (description === undefined) throw new Error(`registry_build: no description for ${path}`);
      return description;
    },
  },
  {
    name: "macro-cn",
    description: "China macro series: a joined monthly table 2010-01 .. 2025-12 (CPI YoY, urban surveyed " +
      "unemployment, manufacturing PMI, M2 YoY, 10-year CGB yield, quarterly real GDP YoY) and its source " +
      "files. Values are as later revised: apply publication lags before using them as features.",
    licence: `${CC_BY}; cn_cpi_yoy_monthly_wind.csv: none stated by the origin`,
    includes: (path) => path.startsWith("macro/"),
    extraFiles: [{
      path: MACRO_LICENCE_FILE,
      licence: CC_BY,
      description: "Creative Commons Attribution 4.0 licence text of AFAN-LIFE/macropage",
      repository: "AFAN-LIFE/macropage",
    }],
    fileLicence: (path) =>
      path === "macro/cn_cpi_yoy_monthly_wind.csv"
        ? "none stated by the origin"
        : path === "macro/cn_macro_monthly_2010_2025.csv"
        ? `joined from ${CC_BY} and unlicensed sources`
        : CC_BY,
    describe: (path) => {
      const known: Record<string, string> = {
        "macro/cn_macro_monthly_2010_2025.csv":
          "Joined monthly macro table 2010-01 .. 2025-12, one row per month",
        "macro/cn_cpi_yoy_monthly_wind.csv": "CPI YoY % monthly (Wind export, GB18030 converted to UTF-8; " +
          "metadata header lines and a source footer)",
        "macro/cn_gdp_real_yoy_quarterly.csv": "Real GDP YoY % quarterly",
        "macro/cn_money_supply_monthly.csv": "Money supply (M0/M1/M2) monthly",
        "macro/cn_pmi_monthly.csv": "Manufacturing PMI monthly",
        "macro/cn_urban_surveyed_unemployment_monthly.csv":
          "Urban surveyed unemployment % monthly (from 2016)",
      };
      const description = known[path];
      if (description === undefined) throw new Error(`registry_build: no description for ${path}`);
      return description;
    },
  },
];

/** Options of {@link buildRegistry}. */
export interface BuildRegistryArgs {
  /** Name recorded as the registry's source. Default `MANIFEST.tsv`. */
  manifestName?: string;
  /** Mirror folder to hash the few files the manifest does not list (licence texts). Required when the specs name any. */
  mirrorDir?: string;
}

/**
 * Builds the registry from the manifest text. Every manifest row must belong to exactly one data
 * set; rows with a commit get a raw.githubusercontent.com URL.
 *
 * @example
 * ```ts ignore
 * import { buildRegistry } from "./registry_build.ts";
 * const text = await Deno.readTextFile("../shared/data/MANIFEST.tsv");
 * const registry = await buildRegistry(text, { mirrorDir: "../shared/data" });
 * ```
 */
export async function buildRegistry(manifestText: string, args: BuildRegistryArgs = {}): Promise<Registry> {
  const manifestName = args.manifestName ?? "MANIFEST.tsv";
  const rows = parseManifest(manifestText, manifestName);
  const datasets: Record<string, Dataset> = {};
  const claimed = new Map<string, string>();
  for (const spec of SPECS) {
    const files: DatasetFile[] = [];
    for (const row of rows) {
      if (!spec.includes(row.path)) continue;
      const previous = claimed.get(row.path);
      if (previous) {
        throw new Error(`${manifestName}: ${row.path} belongs to both ${previous} and ${spec.name}`);
      }
      claimed.set(row.path, spec.name);
      const file: DatasetFile = {
        path: row.path,
        sha256: row.sha256,
        bytes: row.bytes,
        licence: spec.fileLicence(row.path),
        description: spec.describe(row.path),
        repository: row.repository,
        upstreamPath: row.upstreamPath,
      };
      if (row.commit !== "") {
        file.commit = row.commit;
        file.url = rawGithubUrl(row.repository, row.commit, row.upstreamPath);
      }
      files.push(file);
    }
    for (const extra of spec.extraFiles ?? []) {
      if (args.mirrorDir === undefined) {
        throw new Error(`buildRegistry: ${extra.path} is not in the manifest; pass mirrorDir to hash it`);
      }
      const bytes = await Deno.readFile(join(args.mirrorDir, extra.path));
      files.push({
        path: extra.path,
        sha256: await sha256Hex(bytes),
        bytes: bytes.length,
        licence: extra.licence,
        description: extra.description,
        repository: extra.repository,
        upstreamPath: "(licence text, not in MANIFEST.tsv; hashed from the mirror)",
      });
    }
    if (files.length === 0) throw new Error(`${manifestName}: no files for data set ${spec.name}`);
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    datasets[spec.name] = {
      name: spec.name,
      description: spec.description,
      licence: spec.licence,
      files,
    };
  }
  const unclaimed = rows.filter((row) => !claimed.has(row.path)).map((row) => row.path);
  if (unclaimed.length > 0) {
    throw new Error(`${manifestName}: rows in no data set: ${unclaimed.join(", ")}`);
  }
  return {
    version: 1,
    generatedFrom: {
      manifest: manifestName,
      manifestSha256: await sha256Hex(new TextEncoder().encode(manifestText)),
    },
    datasets,
  };
}

/** The registry as written to disk: two-space JSON with a final newline (what `deno fmt` keeps). */
export function registryToJson(registry: Registry): string {
  return JSON.stringify(registry, null, 2) + "\n";
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const manifestFlag = argv.indexOf("--manifest");
  const mirror = Deno.env.get(MIRROR_ENV);
  const manifestPath = manifestFlag >= 0
    ? resolvePath(argv[manifestFlag + 1])
    : resolvePath(PROJECT_ROOT, mirror ?? "../shared/data", "MANIFEST.tsv");
  const text = await Deno.readTextFile(manifestPath);
  const registry = await buildRegistry(text, { mirrorDir: dirname(manifestPath) });
  const json = registryToJson(registry);
  if (check) {
    let current = "";
    try {
      current = await Deno.readTextFile(REGISTRY_PATH);
    } catch {
      // missing: reported below
    }
    if (current !== json) {
      console.error(`${REGISTRY_PATH} is out of date with ${manifestPath}: run \`deno task data:registry\``);
      return 1;
    }
    console.log(`${REGISTRY_PATH} is up to date`);
    return 0;
  }
  await writeAtomically(REGISTRY_PATH, new TextEncoder().encode(json));
  const counts = Object.values(registry.datasets).map((dataset) => `${dataset.name} ${dataset.files.length}`);
  console.log(`wrote ${REGISTRY_PATH}: ${counts.join(", ")}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
