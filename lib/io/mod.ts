/**
 * File helpers shared by every layer: atomic writes, and bounded decompression of untrusted archives.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./mod.ts";
 * await writeFileAtomic(`${await Deno.makeTempDir()}/a.txt`, "text");
 * ```
 * @module
 */
export { writeFileAtomic } from "./atomic.ts";
export {
  INFLATE_SLICE_BYTES,
  inflateBounded,
  inflateBoundedAsync,
  InflateDataError,
  InflateLimitError,
} from "./inflate.ts";
export type { InflateBoundedArgs, InflateFormat } from "./inflate.ts";
