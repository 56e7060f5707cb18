// Child process of zip_bomb_test.ts: opens one hostile archive the way the project does and prints, as
// JSON, how long the call took, how far resident memory grew, and what was thrown. Run as
//   deno run -A tests/data/_zip_bomb_child.ts <xlsx-sync|xlsx-async|load> <file> <maxUnpackedBytes>
import { readXlsx, readXlsxAsync } from "../../lib/data/xlsx/mod.ts";
import { DataLoadError, loadBars } from "../../lib/data/mod.ts";

const [mode, file, limitText] = Deno.args;
const maxUnpackedBytes = Number(limitText);
const bytes = await Deno.readFile(file);

/** Peak resident set size (VmHWM), when /proc can reset and report it (Linux). */
function peakRss(): number | undefined {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) * 1024;
  } catch {
    return undefined;
  }
}
let peakReset = false;
try {
  Deno.writeTextFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
  peakReset = true;
} catch {
  // not Linux or not allowed: only the RSS after the call is compared
}

const rssBefore = Deno.memoryUsage().rss;
const started = performance.now();
let error: { name: string; message: string; firstProblem?: string } | undefined;
try {
  if (mode === "xlsx-sync") readXlsx(bytes, { maxUnpackedBytes });
  else if (mode === "xlsx-async") await readXlsxAsync(bytes, { maxUnpackedBytes });
  else await loadBars(file, { maxUnpackedBytes });
} catch (thrown) {
  const caught = thrown as Error;
  error = { name: caught.name, message: caught.message };
  if (caught instanceof DataLoadError) error.firstProblem = caught.errors[0]?.message;
}
const milliseconds = performance.now() - started;
const rssAfter = Deno.memoryUsage().rss;
const peak = peakReset ? peakRss() : undefined;
console.log(JSON.stringify({
  milliseconds,
  rssBefore,
  rssAfter,
  peakRss: peak ?? null,
  growth: Math.max(rssAfter, peak ?? 0) - rssBefore,
  error: error ?? null,
}));
