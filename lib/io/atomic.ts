/**
 * Atomic file writes: a failure never leaves a half-written file. The content goes to a temporary
 * file in the destination's folder (same file system), which is then renamed over the destination.
 */
import { dirname } from "node:path";

/**
 * Writes text or bytes to `path` atomically, creating the folder if needed. On failure the
 * temporary file is removed and the previous content of `path` (if any) is left untouched.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic.ts";
 * const folder = await Deno.makeTempDir();
 * await writeFileAtomic(`${folder}/result.json`, JSON.stringify({ mape: 0.0109 }));
 * ```
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID().slice(0, 12)}.tmp`;
  try {
    if (typeof content === "string") await Deno.writeTextFile(temporary, content);
    else await Deno.writeFile(temporary, content);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
