/**
 * The registry of named data sets (`data/datasets.json`) and their resolution to local files:
 * local folder → mirror folder → download cache → verified download → a clear error.
 */
import { isAbsolute, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { containedPath, PathEscapeError, relativePathProblem } from "../io/paths.ts";
import {
  ChecksumMismatchError,
  type DownloadArgs,
  DownloadError,
  downloadVerified,
  sha256Hex,
} from "./download.ts";

/** One file of a data set. */
export interface DatasetFile {
  /** Path inside the data set, the same in the mirror, `data/local/` and `data/cache/` (e.g. `equinet/LICENSE`). */
  path: string;
  /** Lower-case hex SHA-256. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** Licence of this file's content, as the origin states it. */
  licence: string;
  /** What the file holds. */
  description: string;
  /** Download URL of the byte-identical upstream file, when one is known. */
  url?: string;
  /** Origin repository (owner/name) when known. */
  repository?: string;
  /** Origin commit when the file is byte-identical to it. */
  commit?: string;
  /** Path in the origin repository, or how the file was derived from it. */
  upstreamPath?: string;
}

/** A named data set. */
export interface Dataset {
  /** Registry name, e.g. `equinet-319`. */
  name: string;
  /** What the data set holds and its quirks. */
  description: string;
  /** Summary of the licences of its files. */
  licence: string;
  /** Its files, sorted by path. */
  files: DatasetFile[];
}

/** The whole registry as stored in `data/datasets.json`. */
export interface Registry {
  /** Format version (1). */
  version: 1;
  /** Where the registry was generated from. */
  generatedFrom: { manifest: string; manifestSha256: string };
  /** Data sets by name. */
  datasets: Record<string, Dataset>;
}

/**
 * Absolute path of the project root (the folder holding `deno.json`), with a trailing separator;
 * the working directory when this module is not loaded from a file.
 */
export const PROJECT_ROOT: string = import.meta.url.startsWith("file:")
  ? fileURLToPath(new URL("../../", import.meta.url))
  : Deno.cwd();
/** Absolute path of the committed registry. */
export const REGISTRY_PATH: string = join(PROJECT_ROOT, "data", "datasets.json");
/** Environment variable naming a mirror folder (absolute, or relative to the project root). */
export const MIRROR_ENV = "EQUILAB_DATA_MIRROR";

/**
 * Reads and checks a registry file (default `data/datasets.json`).
 *
 * @example
 * ```ts
 * import { loadRegistry } from "./registry.ts";
 * const registry = await loadRegistry();
 * console.log(Object.keys(registry.datasets));
 * ```
 */
export async function loadRegistry(path: string = REGISTRY_PATH): Promise<Registry> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`${path}: cannot read the data-set registry: ${(error as Error).message}`);
  }
  const registry = parsed as Registry;
  if (registry?.version !== 1 || typeof registry.datasets !== "object" || registry.datasets === null) {
    throw new Error(`${path}: not a version-1 data-set registry (run \`deno task data:registry\`)`);
  }
  for (const [name, dataset] of Object.entries(registry.datasets)) {
    if (!Array.isArray(dataset.files)) throw new Error(`${path}: data set ${name} has no files list`);
    dataset.files.forEach((file, index) => {
      const where = `${path}: data set ${name}, file ${index + 1}`;
      const problem = relativePathProblem(file.path);
      if (problem !== undefined) {
        throw new PathEscapeError({
          file: path,
          path: String(file.path),
          reason: `${problem}; every path must be relative to the data folder`,
          where,
        });
      }
      if (!/^[0-9a-f]{64}$/.test(file.sha256)) throw new Error(`${where}: bad sha256 ${file.sha256}`);
      if (!Number.isInteger(file.bytes) || file.bytes < 0) {
        throw new Error(`${where}: bad size ${file.bytes}`);
      }
    });
  }
  return registry;
}

/** Where a resolved file was found. */
export type FileSource = "local" | "mirror" | "cache" | "download";

/** A registry file and where it lies on this machine. */
export interface ResolvedFile extends DatasetFile {
  /** Absolute local path of the verified file. */
  localPath: string;
  /** Which step of the resolution order supplied it. */
  source: FileSource;
}

/** A data set whose files all lie, verified, on this machine. */
export interface ResolvedDataset {
  /** Registry name. */
  name: string;
  /** The registry entry. */
  dataset: Dataset;
  /** Every (selected) file with its local path, in registry order. */
  files: ResolvedFile[];
  /** Local path of the file with this path inside the data set; throws if it is not in the set. */
  pathOf(path: string): string;
}

/** Options of {@link resolveDataset}. */
export interface ResolveArgs extends DownloadArgs {
  /** Registry to use. Default: {@link loadRegistry}() (`data/datasets.json`). */
  registry?: Registry;
  /** Project root that relative folders are resolved from. Default {@link PROJECT_ROOT}. */
  projectRoot?: string;
  /** Folder laid out like the mirror, checked first. Default `<root>/data/local` (gitignored). */
  localDir?: string;
  /**
   * Mirror folder laid out as `shared/data` (e.g. `equinet/processed_000008.xlsx`), absolute or
   * relative to the project root; `null` disables it. Default: `$EQUILAB_DATA_MIRROR` if set.
   */
  mirrorDir?: string | null;
  /** Where downloads are kept. Default `<root>/data/cache` (gitignored). */
  cacheDir?: string;
  /** Whether missing files may be downloaded. Default true. */
  download?: boolean;
  /** Downloads running at once. Default 4. */
  concurrency?: number;
  /**
   * How files already on disk (local, mirror, cache) are checked: `"sha256"` (size and hash,
   * the default; about 40 ms per 50 MB) or `"size"` (size only, for a trusted mirror).
   * Downloads are always checked by size and SHA-256.
   */
  verify?: "sha256" | "size";
  /** Resolves only the files this returns true for. Default: all files. */
  select?: (file: DatasetFile) => boolean;
  /** Called after each file is resolved (progress). */
  onFile?: (file: ResolvedFile) => void;
}

/** Files of a data set that no source could supply. */
export class DatasetMissingError extends Error {
  /** Paths inside the data set that are missing. */
  readonly missing: string[];
  constructor(message: string, missing: string[]) {
    super(message);
    this.name = "DatasetMissingError";
    this.missing = missing;
  }
}

/**
 * Finds every file of a named data set on this machine, in this order per file:
 * 1. `data/local/<path>` (a folder you fill yourself, gitignored);
 * 2. `$EQUILAB_DATA_MIRROR/<path>` (CI sets `../shared/data`; relative paths are from the project root);
 * 3. `data/cache/<path>` (earlier downloads);
 * 4. a download of the file's registry URL into `data/cache/` (timeout, retries with backoff,
 *    temp file, SHA-256 check, rename).
 *
 * Every file path must be relative, normalised and inside the data folders (a path that is absolute,
 * holds `..` or leaves them throws `PathEscapeError`, before anything is read or downloaded).
 * Files found on disk are checked against the registry's size and (by default) SHA-256; a
 * mismatch throws {@link ChecksumMismatchError} — it is never skipped or fixed silently.
 * Files no step supplies throw {@link DatasetMissingError} listing them and the ways to supply them;
 * after a network failure (no HTTP answer, after retries) the remaining downloads are not tried.
 *
 * @example
 * ```ts ignore
 * import { resolveDataset } from "./registry.ts";
 * const equinet = await resolveDataset("equinet-319");
 * const first = equinet.files[0].localPath;
 * const licence = equinet.pathOf("equinet/LICENSE");
 * ```
 */
export async function resolveDataset(name: string, args: ResolveArgs = {}): Promise<ResolvedDataset> {
  const registry = args.registry ?? await loadRegistry();
  const dataset = registry.datasets[name];
  if (dataset === undefined) {
    throw new Error(
      `unknown data set ${JSON.stringify(name)}; the registry has: ${
        Object.keys(registry.datasets).join(", ")
      }`,
    );
  }
  const root = args.projectRoot ?? PROJECT_ROOT;
  const localDir = fromRoot(root, args.localDir ?? join("data", "local"));
  const mirrorSetting = args.mirrorDir === undefined ? readEnv(MIRROR_ENV) : args.mirrorDir;
  const mirrorDir = mirrorSetting ? fromRoot(root, mirrorSetting) : undefined;
  const cacheDir = fromRoot(root, args.cacheDir ?? join("data", "cache"));
  const verify = args.verify ?? "sha256";
  const allowDownload = args.download ?? true;
  const concurrency = args.concurrency ?? 4;
  const wanted = args.select ? dataset.files.filter(args.select) : dataset.files;

  // Every path is checked before anything is read or downloaded.
  for (const file of wanted) insideFolder(cacheDir, file, dataset, name);
  const resolved: (ResolvedFile | undefined)[] = new Array(wanted.length);
  const toDownload: number[] = [];
  for (let index = 0; index < wanted.length; index++) {
    const file = wanted[index];
    const candidates: [FileSource, string | undefined][] = [
      ["local", localDir],
      ["mirror", mirrorDir],
      ["cache", cacheDir],
    ];
    for (const [source, folder] of candidates) {
      if (folder === undefined) continue;
      const localPath = insideFolder(folder, file, dataset, name);
      const bytes = await readIfPresent(localPath);
      if (bytes === undefined) continue;
      await checkOnDisk(bytes, file, localPath, source, verify);
      resolved[index] = { ...file, localPath, source };
      args.onFile?.(resolved[index]!);
      break;
    }
    if (resolved[index] === undefined && allowDownload && file.url) toDownload.push(index);
  }

  const failures: string[] = [];
  let mismatch: ChecksumMismatchError | undefined;
  // After a network failure (no HTTP answer even after retries) the remaining files are not tried:
  // offline, 320 files × retries would take minutes to fail the same way.
  let networkDown = false;
  let next = 0;
  const worker = async () => {
    while (next < toDownload.length && mismatch === undefined && !networkDown) {
      const index = toDownload[next++];
      const file = wanted[index];
      // Checked again here (the registry may have been passed in, not loaded): a download never writes
      // outside the cache folder.
      const localPath = insideFolder(cacheDir, file, dataset, name);
      try {
        await downloadVerified(file.url!, localPath, file, args);
      } catch (error) {
        if (error instanceof ChecksumMismatchError) {
          mismatch ??= error; // stop scheduling; rethrown once running downloads have settled
          continue;
        }
        failures.push(`${file.path}: ${(error as Error).message}`);
        if (error instanceof DownloadError && error.status === undefined) networkDown = true;
        continue;
      }
      resolved[index] = { ...file, localPath, source: "download" };
      args.onFile?.(resolved[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, toDownload.length) }, worker));
  if (mismatch !== undefined) throw mismatch;

  const missing = wanted.filter((_, index) => resolved[index] === undefined);
  if (missing.length > 0) {
    throw new DatasetMissingError(
      missingMessage(name, wanted.length, missing, {
        localDir,
        mirrorDir,
        cacheDir,
        allowDownload,
        failures,
        networkDown,
      }),
      missing.map((file) => file.path),
    );
  }
  const files = resolved as ResolvedFile[];
  const byPath = new Map(files.map((file) => [file.path, file.localPath]));
  return {
    name,
    dataset,
    files,
    pathOf(path: string): string {
      const found = byPath.get(path);
      if (found === undefined) throw new Error(`data set ${name} has no resolved file ${path}`);
      return found;
    },
  };
}

/**
 * Alias of {@link resolveDataset}.
 *
 * @example
 * ```ts ignore
 * import { resolve } from "./registry.ts";
 * const { files } = await resolve("tdx-samples");
 * ```
 */
export const resolve: typeof resolveDataset = resolveDataset;

/** `file.path` inside `folder`; a path that is absolute, holds "..", or leaves it throws PathEscapeError. */
function insideFolder(folder: string, file: DatasetFile, dataset: Dataset, name: string): string {
  return containedPath(folder, file.path, {
    file: "the data-set registry",
    where: `data set ${name}, file ${dataset.files.indexOf(file) + 1}`,
    folderName: "the data folder",
  });
}

function fromRoot(root: string, folder: string): string {
  return isAbsolute(folder) ? folder : resolvePath(root, folder);
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function checkOnDisk(
  bytes: Uint8Array,
  file: DatasetFile,
  localPath: string,
  source: FileSource,
  verify: "sha256" | "size",
): Promise<void> {
  const hint = source === "cache"
    ? "Delete it so that it is downloaded again"
    : `Replace it with the registry's file, or remove it (the ${source} folder is read first)`;
  if (bytes.length !== file.bytes) {
    throw new ChecksumMismatchError(localPath, `${file.bytes} bytes`, `${bytes.length} bytes`, hint);
  }
  if (verify === "size") return;
  const actual = await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new ChecksumMismatchError(localPath, `sha256 ${file.sha256}`, `sha256 ${actual}`, hint);
  }
}

function missingMessage(
  name: string,
  total: number,
  missing: DatasetFile[],
  where: {
    localDir: string;
    mirrorDir?: string;
    cacheDir: string;
    allowDownload: boolean;
    failures: string[];
    networkDown: boolean;
  },
): string {
  const shown = missing.slice(0, 10).map((file) => file.path).join(", ");
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : "";
  const noUrl = missing.filter((file) => !file.url).map((file) => file.path);
  const lines = [
    `data set ${name}: ${missing.length} of ${total} files missing: ${shown}${more}.`,
    `Looked in ${where.localDir}, ${
      where.mirrorDir ?? `no mirror (${MIRROR_ENV} unset)`
    } and ${where.cacheDir}.`,
    `Supply them either way:`,
    `  1. put the files in a folder laid out like the mirror (e.g. ${
      join(where.localDir, missing[0].path)
    }), or set ${MIRROR_ENV} to such a folder (CI: ../shared/data);`,
    `  2. download them (needs internet): resolve with download enabled` +
    (noUrl.length > 0 ? ` — not possible for ${noUrl.length} files without an upstream URL` : "") + ".",
  ];
  if (!where.allowDownload) lines.push("Download was disabled for this call.");
  if (where.failures.length > 0) {
    lines.push(`Downloads that failed:`, ...where.failures.slice(0, 10).map((line) => `  ${line}`));
  }
  if (where.networkDown) lines.push("Further downloads were not tried after a network failure.");
  return lines.join("\n");
}
