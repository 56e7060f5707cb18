/** Shared test guards: Jupyter and Chromium may be absent outside CI (then tests skip, saying so). */
import { join } from "node:path";
import { projectRoot } from "../../lib/report/plotly_bundle.ts";
import { findJupyterPython } from "../../lib/report/runner.ts";

const underCi = Deno.env.get("CI") === "true";

async function available(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch {
    return false;
  }
}

/** True when nbconvert/nbclient are installed; under CI=true their absence is a failure. */
export const hasJupyter = await available(findJupyterPython);
/** Path of a Chromium binary, or undefined. */
export const chromium = await (async () => {
  for (const candidate of ["chromium", "chromium-browser", "google-chrome"]) {
    if (
      await available(() =>
        new Deno.Command(candidate, { args: ["--version"], stdout: "null", stderr: "null" }).output()
      )
    ) {
      return candidate;
    }
  }
  return undefined;
})();

/** Registers a test that needs a tool: skips with a reason outside CI, fails under CI. */
export function testNeeding(tool: "jupyter" | "chromium", name: string, body: () => Promise<void>): void {
  const present = tool === "jupyter" ? hasJupyter : chromium !== undefined;
  if (!present && !underCi) {
    Deno.test({ name: `${name} (skipped: ${tool} not installed)`, ignore: true, fn: () => {} });
    return;
  }
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      if (!present) throw new Error(`${tool} is required under CI=true but is not installed`);
      await body();
    },
  });
}

/** Headless Chromium flags for offline rendering checks. */
export function chromiumArgs(userDataDir: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    `--user-data-dir=${userDataDir}`,
  ];
}

/** Notebooks read the reference data from the mirror: CI sets it; locally fall back to ../shared/data. */
export function mirrorEnvironment(): Record<string, string> {
  const configured = Deno.env.get("EQUILAB_DATA_MIRROR");
  if (configured) return { EQUILAB_DATA_MIRROR: configured };
  const sibling = join(projectRoot(), "..", "shared", "data");
  try {
    Deno.statSync(sibling);
    return { EQUILAB_DATA_MIRROR: sibling };
  } catch {
    return {};
  }
}
