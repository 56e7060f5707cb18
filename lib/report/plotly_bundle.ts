/**
 * The Plotly bundle used by every chart: built once from the pinned `plotly.js` package with only
 * the trace types EquiLab draws (scatter/line, bar, histogram, heatmap, candlestick, OHLC).
 *
 * Size: about 1.2 MB minified (0.42 MB gzipped) — smaller than any prebuilt partial bundle that
 * covers these traces (`plotly-finance.min.js` lacks heatmap; `plotly-cartesian.min.js` lacks
 * candlestick; the full `plotly.min.js` is 4.8 MB).
 */
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/mod.ts";

/** The plotly.js version pinned in deno.json. */
export const PLOTLY_VERSION = "4.1.1";

const TRACE_MODULES = ["bar", "histogram", "heatmap", "candlestick", "ohlc"];

/** Absolute path of the project root. */
export function projectRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

/** Where the built bundle is cached. */
export function plotlyBundlePath(): string {
  return `${projectRoot()}out/vendor/plotly-${PLOTLY_VERSION}-equilab.min.js`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Installs the npm packages named in deno.json into node_modules when plotly.js is missing. */
async function ensurePlotlyInstalled(root: string): Promise<void> {
  if (await exists(`${root}node_modules/plotly.js/lib/core.js`)) return;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["install"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!output.success || !(await exists(`${root}node_modules/plotly.js/lib/core.js`))) {
    throw new Error(
      `could not install plotly.js ${PLOTLY_VERSION} into node_modules (deno install failed): ${
        new TextDecoder().decode(output.stderr).slice(-500)
      }`,
    );
  }
}

/**
 * Returns the bundle's path, building it first if needed (esbuild; a few seconds once).
 *
 * The bundle always sets `window.Plotly`: `define` is compiled away, so a page that loaded
 * require.js (nbconvert's templates may) cannot capture Plotly or its d3 as anonymous AMD modules.
 *
 * @example
 * ```ts
 * import { ensurePlotlyBundle } from "./plotly_bundle.ts";
 * const path = await ensurePlotlyBundle();
 * ```
 */
export async function ensurePlotlyBundle(): Promise<string> {
  const path = plotlyBundlePath();
  if (await exists(path)) return path;
  const root = projectRoot();
  await ensurePlotlyInstalled(root);
  const esbuild = await import("esbuild");
  const entry = [
    "var Plotly = require('plotly.js/lib/core');",
    `Plotly.register([${TRACE_MODULES.map((name) => `require('plotly.js/lib/${name}')`).join(", ")}]);`,
    "module.exports = Plotly;",
  ].join("\n");
  try {
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: root, loader: "js" },
      bundle: true,
      minify: true,
      format: "iife",
      globalName: "Plotly",
      write: false,
      logLevel: "silent",
      loader: { ".css": "empty" },
      define: { define: "undefined", global: "window" },
      legalComments: "none",
    });
    const banner = `/* plotly.js ${PLOTLY_VERSION} (MIT), EquiLab build: scatter ${
      TRACE_MODULES.join(" ")
    } */\n`;
    const code = banner + result.outputFiles[0].text + "\nwindow.Plotly = Plotly;\n";
    await writeFileAtomic(path, code);
  } finally {
    await esbuild.stop();
  }
  return path;
}
