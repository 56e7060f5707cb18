/**
 * Paths read from untrusted files (a checkpoint's `model.json`, a data-set registry or manifest) stay
 * inside their folder: they must be relative, already normalised (no `.`, `..` or empty segments), use `/`
 * only, and resolve inside the folder. Anything else is refused with a {@link PathEscapeError} naming the
 * file that held the path and the path itself.
 */
import { isAbsolute, relative, resolve, sep as SEPARATOR } from "node:path";

/**
 * A path, read from a file, that is absolute, not normalised, or leaves the folder it must stay in.
 *
 * @example
 * ```ts
 * import { containedPath, PathEscapeError } from "./paths.ts";
 * try {
 *   containedPath("out/model", "../../elsewhere/weights.bin", { file: "out/model/model.json" });
 * } catch (error) {
 *   if (error instanceof PathEscapeError) console.log(error.file, error.path); // "out/model/model.json" "../../elsewhere/weights.bin"
 * }
 * ```
 */
export class PathEscapeError extends Error {
  /** The file that named the path (e.g. `out/model/model.json`, `data/datasets.json`). */
  readonly file: string;
  /** The offending path, as the file gives it. */
  readonly path: string;
  /** The folder the path must stay inside, when one is known. */
  readonly folder: string | undefined;
  /** Why it was refused, alone. */
  readonly reason: string;

  /** `where` (default `file`) prefixes the message, e.g. `data/datasets.json: data set x, file 3`. */
  constructor(args: { file: string; path: string; folder?: string; reason: string; where?: string }) {
    super(`${args.where ?? args.file}: path ${JSON.stringify(args.path)} ${args.reason}`);
    this.name = "PathEscapeError";
    this.file = args.file;
    this.path = args.path;
    this.folder = args.folder;
    this.reason = args.reason;
  }
}

/**
 * Why `path` is not a plain relative, normalised path (`a/b.csv`), or undefined when it is one.
 *
 * @example
 * ```ts
 * import { relativePathProblem } from "./paths.ts";
 * relativePathProblem("equinet/LICENSE"); // undefined
 * relativePathProblem("../x.csv"); // "climbs out of its folder (a \"..\" segment)"
 * ```
 */
export function relativePathProblem(path: unknown): string | undefined {
  if (typeof path !== "string") return `is not a string`;
  if (path === "") return "is empty";
  if (path.includes("\0")) return "holds a NUL character";
  if (path.includes("\\")) return "uses a backslash (only / separates folders)";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || isAbsolute(path)) {
    return "is absolute (it must be relative to its folder)";
  }
  const segments = path.split("/");
  if (segments.includes("..")) return `climbs out of its folder (a ".." segment)`;
  if (segments.some((segment) => segment === "" || segment === ".")) {
    return `is not normalised (empty or "." segments)`;
  }
  return undefined;
}

/**
 * The absolute path of `path` inside `folder`, after checking that `path` is relative, normalised and
 * stays inside; otherwise throws {@link PathEscapeError} naming `file` (the file that held the path).
 *
 * @example
 * ```ts
 * import { containedPath } from "./paths.ts";
 * containedPath("data/cache", "equinet/LICENSE", { file: "data/datasets.json" }); // ".../data/cache/equinet/LICENSE"
 * ```
 */
export function containedPath(
  folder: string,
  path: string,
  args: { file: string; where?: string; folderName?: string },
): string {
  const folderName = args.folderName ?? "its folder";
  const problem = relativePathProblem(path);
  if (problem !== undefined) {
    throw new PathEscapeError({
      file: args.file,
      path,
      folder,
      reason: `${problem}; refused`,
      where: args.where,
    });
  }
  const base = resolve(folder);
  const full = resolve(base, path);
  const inside = relative(base, full);
  if (inside === "" || inside.startsWith(`..${SEPARATOR}`) || inside === ".." || isAbsolute(inside)) {
    throw new PathEscapeError({
      file: args.file,
      path,
      folder,
      reason: `leaves ${folderName} ${folder}; refused`,
      where: args.where,
    });
  }
  return full;
}

/**
 * Like {@link containedPath}, and also follows symbolic links: the file's real location must lie inside
 * the folder's real location (a link inside the folder pointing elsewhere is refused). For files about to
 * be read.
 *
 * @example
 * ```ts
 * import { containedRealPath } from "./paths.ts";
 * const weights = await containedRealPath("out/model", "weights.bin", { file: "out/model/model.json" });
 * ```
 */
export async function containedRealPath(
  folder: string,
  path: string,
  args: { file: string; where?: string; folderName?: string },
): Promise<string> {
  const full = containedPath(folder, path, args);
  let realFolder: string, realFile: string;
  try {
    [realFolder, realFile] = await Promise.all([Deno.realPath(folder), Deno.realPath(full)]);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(
      `${args.where ?? args.file}: path ${JSON.stringify(path)} names a missing file (${full})`,
    );
  }
  const inside = relative(realFolder, realFile);
  if (inside === "" || inside.startsWith(`..${SEPARATOR}`) || inside === ".." || isAbsolute(inside)) {
    throw new PathEscapeError({
      file: args.file,
      path,
      folder,
      reason: `is a link to ${realFile}, outside ${args.folderName ?? "its folder"} ${folder}; refused`,
      where: args.where,
    });
  }
  return full;
}
