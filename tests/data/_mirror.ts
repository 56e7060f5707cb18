/** Where the real-data mirror is for tests: `$EQUILAB_DATA_MIRROR`, else `../shared/data`. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "../../lib/data/registry.ts";

/**
 * The mirror folder, or undefined when it is absent (tests then skip) — except under CI=true,
 * where an absent mirror fails the test that needs it.
 */
export function mirrorDir(): string | undefined {
  const folder = resolve(PROJECT_ROOT, Deno.env.get("EQUILAB_DATA_MIRROR") || "../shared/data");
  if (existsSync(resolve(folder, "MANIFEST.tsv"))) return folder;
  if (Deno.env.get("CI") === "true") throw new Error(`CI=true but the data mirror ${folder} is missing`);
  return undefined;
}

/** True when the mirror is there (for `ignore:` in Deno.test); throws under CI=true if it is not. */
export const hasMirror: boolean = mirrorDir() !== undefined;
