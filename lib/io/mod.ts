/**
 * File helpers shared by every layer: atomic writes, bounded decompression of untrusted archives, and
 * paths from untrusted files kept inside their folder.
 *
 * Layer 0 of the flow in lib/README.md: imports no other lib folder.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./mod.ts";
 * await writeFileAtomic(`${await Deno.makeTempDir()}/a.txt`, "text");
 * ```
 * @module
 */
export { writeFileAtomic } from "./atomic.ts";
export { pathExists } from "./exists.ts";
export {
  INFLATE_SLICE_BYTES,
  inflateBounded,
  inflateBoundedAsync,
  InflateDataError,
  InflateLimitError,
} from "./inflate.ts";
export type { InflateBoundedArgs, InflateFormat } from "./inflate.ts";
export { containedPath, containedRealPath, PathEscapeError, relativePathProblem } from "./paths.ts";
