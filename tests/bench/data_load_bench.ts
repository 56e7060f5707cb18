// Loading all 319 EquiNet files: cold (parsing the xlsx sources; in this thread and on 2 workers) and warm
// (from the binary cache). Each measurement runs in a fresh Deno process so "cold" includes JIT warm-up and
// worker start-up; the figure is the loadFolder call alone (module loading excluded, reported separately).
// Targets on the 2-core dev machine: cold ≤ 1.5 s, warm ≤ 0.1 s.
//
//   deno run -A tests/bench/data_load_bench.ts [EQUINET_FOLDER] [--repeats N]
//
// Not a unit test: timings never gate tests. The folder defaults to the mirror (EQUILAB_DATA_MIRROR or
// ../shared/data)/equinet.

interface Measurement {
  mode: string;
  loadMs: number;
  importMs: number;
  tables: number;
}

async function child(mode: string, folder: string, cacheFolder: string): Promise<Measurement> {
  const started = performance.now();
  const { BarsCache, loadFolder } = await import("../../lib/data/mod.ts");
  const importMs = performance.now() - started;
  const t0 = performance.now();
  const result = await loadFolder(folder, {
    onError: "stop",
    workers: mode === "cold-2-workers" ? 2 : 0,
    cache: mode === "warm-cache" || mode === "cold-fill-cache" ? new BarsCache(cacheFolder) : false,
  });
  const loadMs = performance.now() - t0;
  return { mode, loadMs, importMs, tables: result.tables.size };
}

async function spawn(mode: string, folder: string, cacheFolder: string): Promise<Measurement> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--child", mode, folder, cacheFolder],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`bench child ${mode} failed`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
}

function defaultFolder(): string {
  const mirror = Deno.env.get("EQUILAB_DATA_MIRROR") ??
    new URL("../../../shared/data", import.meta.url).pathname;
  return `${mirror.replace(/\/+$/, "")}/equinet`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (Deno.args[0] === "--child") {
  console.log(JSON.stringify(await child(Deno.args[1], Deno.args[2], Deno.args[3])));
} else if (import.meta.main) {
  const repeatsAt = Deno.args.indexOf("--repeats");
  const repeats = repeatsAt >= 0 ? Number(Deno.args[repeatsAt + 1]) : 3;
  const folder = Deno.args.find((arg, i) => !arg.startsWith("--") && Deno.args[i - 1] !== "--repeats") ??
    defaultFolder();
  const cacheFolder = await Deno.makeTempDir({ prefix: "equilab-bench-cache-" });
  try {
    const results: Record<string, number[]> = {};
    let tables = 0;
    let importMs = 0;
    const record = (m: Measurement) => {
      (results[m.mode] ??= []).push(m.loadMs);
      tables = m.tables;
      importMs = m.importMs;
    };
    for (let r = 0; r < repeats; r++) {
      record(await spawn("cold-this-thread", folder, cacheFolder));
      record(await spawn("cold-2-workers", folder, cacheFolder));
      await Deno.remove(cacheFolder, { recursive: true });
      await Deno.mkdir(cacheFolder);
      record(await spawn("cold-fill-cache", folder, cacheFolder));
      // Warm runs are short, so scheduler noise on a shared machine weighs more: take several.
      for (let w = 0; w < 3; w++) record(await spawn("warm-cache", folder, cacheFolder));
    }
    console.log(
      `EquiNet folder ${folder}: ${tables} tables; ${repeats} fresh processes per mode; load time only`,
    );
    console.log(`(module import incl. polars ≈ ${importMs.toFixed(0)} ms, not counted)`);
    for (const [mode, values] of Object.entries(results)) {
      const shown = values.map((v) => v.toFixed(0)).join(", ");
      console.log(`${mode.padEnd(18)} median ${median(values).toFixed(0).padStart(5)} ms   runs: ${shown}`);
    }
    const cold = Math.min(median(results["cold-this-thread"]), median(results["cold-2-workers"]));
    const warm = median(results["warm-cache"]);
    console.log(
      `best cold ${cold.toFixed(0)} ms (target ≤ 1500); warm ${warm.toFixed(0)} ms (target ≤ 100); ` +
        `cold/warm ${(cold / warm).toFixed(1)}x; load average ${
          Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
        }`,
    );
  } finally {
    await Deno.remove(cacheFolder, { recursive: true });
  }
}
