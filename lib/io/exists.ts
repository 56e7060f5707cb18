/**
 * Whether a path exists. Only "not found" means no: any other error (permission, I/O) is thrown.
 *
 * @example
 * ```ts
 * import { pathExists } from "./exists.ts";
 * await pathExists("deno.json"); // true in the project root
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
