/**
 * File helpers shared by every layer: atomic writes.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./mod.ts";
 * await writeFileAtomic(`${await Deno.makeTempDir()}/a.txt`, "text");
 * ```
 * @module
 */
export { writeFileAtomic } from "./atomic.ts";
