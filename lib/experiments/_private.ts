/** Helpers shared by the experiment runners (not exported from mod.ts). */
import { writeFileAtomic } from "../io/mod.ts";

/** Mean, sample standard deviation (n − 1; 0 for one value), min and max of per-seed values. */
export interface SeedSummary {
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation over seeds. */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** The per-seed values, in seed order. */
  values: number[];
}

/** Summarises per-seed values. */
export function summarise(values: number[]): SeedSummary {
  const count = values.length;
  if (count === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, values };
  const mean = values.reduce((sum, value) => sum + value, 0) / count;
  const variance = count > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1) : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), values };
}

/**
 * Whether `commit` is part of this checkout's history (`git merge-base --is-ancestor commit HEAD`): a
 * record stored by it may be replaced by this code. True where git cannot tell (no git, no repository,
 * a commit a shallow clone lacks), so a plain copy of the project still computes its units.
 */
export async function gitContains(commit: string): Promise<boolean> {
  const root = new URL("../../", import.meta.url);
  try {
    // Exit 0: an ancestor; 1: not one (newer or parallel code); anything else (an unknown commit in a
    // shallow clone, no repository): git cannot tell.
    const output = await new Deno.Command("git", {
      args: ["merge-base", "--is-ancestor", commit, "HEAD"],
      cwd: root,
      stdout: "null",
      stderr: "null",
    }).output();
    return output.code !== 1;
  } catch {
    return true;
  }
}

/** `git rev-parse HEAD` of the project, or null where git or the repository is absent. */
export async function gitCommit(): Promise<{ commit: string | null; dirty: boolean | null }> {
  const root = new URL("../../", import.meta.url);
  const run = async (args: string[]) => {
    const output = await new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "null" })
      .output();
    return output.success ? new TextDecoder().decode(output.stdout).trim() : null;
  };
  try {
    const commit = await run(["rev-parse", "HEAD"]);
    const status = commit ? await run(["status", "--porcelain", "--untracked-files=no"]) : null;
    return { commit, dirty: status === null ? null : status.length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

/**
 * Writes JSON through a temporary file in the same folder, then renames it into place, so a failure
 * never leaves a half-written result. Non-finite numbers are written as null, typed arrays as arrays.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, (_key, item) => {
    if (typeof item === "number" && !Number.isFinite(item)) return null;
    if (ArrayBuffer.isView(item)) return Array.from(item as unknown as ArrayLike<number>);
    return item;
  }, 2);
  await writeFileAtomic(path, text + "\n");
}
