/**
 * `deno task bench`: ours against PyTorch CPU on the same architectures, shapes, batch and optimiser, in
 * one run on this machine (issue 7). Prints a table, writes `out/bench/<YYYY-MM-DD>.json` atomically, and
 * with `--readme` rewrites README.md's performance section from that JSON. `--help` lists the options.
 *
 * Method: every side of every workload runs in its own fresh process (ours: tests/bench/speed/ours.ts;
 * PyTorch: tests/bench/pytorch_reference.py under Debian's /usr/bin/python3 with torch.set_num_threads(2)
 * and OPENBLAS_NUM_THREADS=1), back to back per workload so both see similar load; warm-up repetitions
 * are dropped; the load average is read before each workload and a warning recorded above 1.5.
 * On cpu and wasm, ours is timed twice per workload by default (`--matmul`): with its matrix products
 * on WebAssembly (`EQUILAB_BLAS=off`) and on the system BLAS (column `<backend>+blas`), each child
 * reporting the path it ran (`matmulPath()`); without a BLAS library the native columns are dropped
 * with a warning.
 * Exit codes: 0 done, 1 a workload or PyTorch failed, 2 usage error.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/mod.ts";
import { describeMatmulPath, matmulPath } from "../../lib/backend/mod.ts";
import { writeFileAtomic } from "../../lib/io/mod.ts";
import {
  BENCH_SCHEMA,
  benchColumns,
  benchFileName,
  type BenchResult,
  blasWarning,
  BUSY_CORES_WARNING_THRESHOLD,
  busyCores,
  formatBenchTable,
  latestBenchFile,
  type LoadAverage,
  loadWarning,
  localDate,
  parseBenchColumn,
  parseCpuTimes,
  parseLoadAverage,
  parseSpeedArgs,
  README_MARKERS,
  renderReadmeSection,
  replaceMarkedSection,
  SPEED_USAGE,
  speedRatio,
  summariseTimings,
  UsageError,
  validateBenchResult,
  type Workload,
  type WorkloadResult,
} from "./speed/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = "/usr/bin/python3";
const PYTORCH_SCRIPT = join(ROOT, "tests/bench/pytorch_reference.py");
const OURS_SCRIPT = join(ROOT, "tests/bench/speed/ours.ts");
const BENCH_FOLDER = join(ROOT, "out/bench");
const README = join(ROOT, "README.md");
const TORCH_THREADS = 2;
const OPENBLAS_THREADS = 1;
const WARMUP_BY_KIND = { lstm: 1, transformer: 2, report: 0 } as const;

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  const output = await new Deno.Command(command, { args, cwd: ROOT, env, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** Runs a timing child and parses the JSON on its last stdout line; throws with its stderr on failure. */
async function runJson<T>(
  what: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const result = await runCommand(command, args, env);
  const lines = result.stdout.trim().split("\n");
  if (result.code !== 0) {
    throw new Error(
      `${what} failed (exit ${result.code}):\n${result.stderr.trim().split("\n").slice(-15).join("\n")}`,
    );
  }
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(`${what} printed no JSON result; its output ended with: ${lines.slice(-3).join("\n")}`);
  }
}

async function readLoadAverage(): Promise<LoadAverage> {
  return parseLoadAverage(await Deno.readTextFile("/proc/loadavg"));
}

/** Cores busy with other work over one second while the bench sleeps (see busyCores). */
async function probeOtherBusyCores(): Promise<number> {
  const before = parseCpuTimes(await Deno.readTextFile("/proc/stat"));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = parseCpuTimes(await Deno.readTextFile("/proc/stat"));
  return Number(busyCores(before, after, navigator.hardwareConcurrency).toFixed(2));
}

interface PytorchVersions {
  torch: string;
  python: string;
  blas: string;
}

async function pytorchVersions(): Promise<PytorchVersions | null> {
  try {
    const result = await runCommand(PYTHON, [PYTORCH_SCRIPT, "versions"]);
    return result.code === 0 ? JSON.parse(result.stdout.trim().split("\n").pop()!) as PytorchVersions : null;
  } catch {
    return null; // no /usr/bin/python3 at all
  }
}

/**
 * Makes sure /usr/bin/python3 imports torch on an optimised BLAS, installing Debian's python3-torch and
 * libopenblas0-pthread (python3-torch's recommended BLAS) once if not. Throws when torch stays missing;
 * a remaining reference BLAS becomes a warning in the result.
 */
async function ensurePytorch(warnings: string[]): Promise<PytorchVersions> {
  let versions = await pytorchVersions();
  if (versions && blasWarning(versions.blas) === null) return versions;
  const packages = ["python3-torch", "libopenblas0-pthread"];
  console.log(
    `${versions ? "PyTorch has no optimised BLAS" : `PyTorch is not importable by ${PYTHON}`}: ` +
      `running apt-get install -y ${packages.join(" ")}`,
  );
  let failure = "";
  try {
    const install = await new Deno.Command("apt-get", {
      args: ["install", "-y", ...packages],
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    failure = install.success ? "" : ` (apt-get exited ${install.code})`;
  } catch (error) {
    failure = ` (apt-get could not start: ${(error as Error).message})`;
  }
  versions = await pytorchVersions();
  if (!versions) {
    throw new Error(
      `PyTorch is needed for the reference timings, but ${PYTHON} cannot import torch and ` +
        `\`apt-get install -y ${packages.join(" ")}\` did not fix it${failure}. Install Debian's ` +
        `python3-torch (as root, with the Debian mirror reachable) and run deno task bench again.`,
    );
  }
  const warning = blasWarning(versions.blas);
  if (warning) {
    warnings.push(warning);
    console.warn(`WARNING: ${warning}`);
  }
  return versions;
}

async function machineInfo(): Promise<BenchResult["machine"]> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? "unknown";
  const memoryGiB = Number((Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1));
  return {
    cpuModel,
    cores: navigator.hardwareConcurrency,
    memoryGiB,
    os: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
  };
}

async function gitCommit(): Promise<{ commit: string | null; dirty: boolean | null }> {
  try {
    const head = await runCommand("git", ["rev-parse", "HEAD"]);
    if (head.code !== 0) return { commit: null, dirty: null };
    const status = await runCommand("git", ["status", "--porcelain", "--untracked-files=no"]);
    return { commit: head.stdout.trim(), dirty: status.code === 0 ? status.stdout.trim() !== "" : null };
  } catch {
    return { commit: null, dirty: null };
  }
}

/**
 * The notebooks read the reference data from a mirror: `EQUILAB_DATA_MIRROR` when set, else the
 * sibling `../shared/data` where it exists (as the report tests do).
 */
function dataMirrorEnvironment(): Record<string, string> {
  const configured = Deno.env.get("EQUILAB_DATA_MIRROR");
  if (configured) return { EQUILAB_DATA_MIRROR: configured };
  const sibling = join(ROOT, "..", "shared", "data");
  try {
    Deno.statSync(sibling);
    return { EQUILAB_DATA_MIRROR: sibling };
  } catch {
    return {};
  }
}

async function timeReport(workload: Workload & { kind: "report" }, backend: string): Promise<number> {
  const args = ["run", "-A", "lib/report/cli.ts", ...(workload.quick ? ["--quick"] : [])];
  const env: Record<string, string> = { EQUILAB_BACKEND: backend, ...dataMirrorEnvironment() };
  if (workload.quick) env.EQUILAB_QUICK = "1";
  console.log(`  running the ${workload.quick ? "quick-mode" : "full-settings"} report on ${backend} …`);
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  if (!output.success) {
    throw new Error(`the report run on ${backend} failed (exit ${output.code}); see above`);
  }
  return seconds;
}

/** What a timing child of ours reports. */
interface OursReply {
  samples: number[];
  backend: string;
  matmul?: { kind: string; library?: string; threads?: number; reason?: string };
}

async function runWorkload(
  workload: Workload,
  options: ReturnType<typeof parseSpeedArgs>,
  columns: string[],
  matmul: NonNullable<BenchResult["matmul"]>,
  warnings: string[],
): Promise<WorkloadResult> {
  const loadAverageBefore = await readLoadAverage();
  const otherBusyCoresBefore = await probeOtherBusyCores();
  if (otherBusyCoresBefore > BUSY_CORES_WARNING_THRESHOLD) {
    const warning = `other processes kept ${otherBusyCoresBefore} cores busy just before ${workload.id} ` +
      `(above ${BUSY_CORES_WARNING_THRESHOLD}): its timings are noisy`;
    warnings.push(warning);
    console.warn(`WARNING: ${warning}`);
  }
  const warmup = options.warmup ?? WARMUP_BY_KIND[workload.kind];
  const { repeats } = options;
  console.log(
    `${workload.id}: ${workload.label} (${workload.unit}); load ${loadAverageBefore.oneMinute}, ` +
      `${otherBusyCoresBefore} cores busy with other work`,
  );
  const ours: WorkloadResult["ours"] = {};
  const ratio: WorkloadResult["ratio"] = {};
  let pytorch: WorkloadResult["pytorch"] = null;
  if (workload.kind === "report") {
    // The notebooks run with the default path (native where a library is found).
    for (const backend of options.backends) {
      ours[backend] = summariseTimings([await timeReport(workload, backend)]);
      ratio[backend] = null;
      console.log(`  ours ${backend}: ${ours[backend].median.toFixed(1)} s`);
    }
    return {
      id: workload.id,
      label: workload.label,
      unit: workload.unit,
      config: workload,
      warmup: 0,
      loadAverageBefore,
      otherBusyCoresBefore,
      pytorch,
      ours,
      ratio,
    };
  }
  const torchSpec = { ...workload, warmup, repeats, threads: TORCH_THREADS };
  const torch = await runJson<{ samples: number[]; threads: number }>(
    `PyTorch ${workload.id}`,
    PYTHON,
    [PYTORCH_SCRIPT, JSON.stringify(torchSpec)],
    { OPENBLAS_NUM_THREADS: String(OPENBLAS_THREADS) },
  );
  if (torch.threads !== TORCH_THREADS) {
    throw new Error(`PyTorch ran with ${torch.threads} threads, not ${TORCH_THREADS}`);
  }
  pytorch = summariseTimings(torch.samples);
  console.log(`  PyTorch: median ${pytorch.median.toFixed(4)} s`);
  for (const column of columns) {
    const { backend, matmul: path } = parseBenchColumn(column);
    const result = await runJson<OursReply>(
      `ours ${workload.id} on ${column}`,
      Deno.execPath(),
      ["run", "-A", OURS_SCRIPT, JSON.stringify({ workload, backend, warmup, repeats })],
      path === "native" || backend === "webgpu" ? {} : { EQUILAB_BLAS: "off" },
    );
    if (result.backend !== backend) throw new Error(`ours ran on ${result.backend}, not ${backend}`);
    if (backend !== "webgpu" && result.matmul) {
      const expected = path === "native" ? "native" : "wasm";
      if (result.matmul.kind !== expected) {
        throw new Error(`ours on ${column} ran its products on ${result.matmul.kind}, not ${expected}`);
      }
      matmul[column] ??= result.matmul;
    }
    ours[column] = summariseTimings(result.samples);
    ratio[column] = speedRatio(ours[column].median, pytorch.median);
    console.log(
      `  ours ${column}: median ${ours[column].median.toFixed(4)} s (${ratio[column]!.toFixed(2)}x)`,
    );
  }
  return {
    id: workload.id,
    label: workload.label,
    unit: workload.unit,
    config: workload,
    warmup,
    loadAverageBefore,
    otherBusyCoresBefore,
    pytorch,
    ours,
    ratio,
  };
}

async function updateReadme(jsonPath: string): Promise<void> {
  const result = validateBenchResult(JSON.parse(await Deno.readTextFile(jsonPath)), jsonPath);
  const body = renderReadmeSection(result, relative(ROOT, jsonPath));
  const updated = replaceMarkedSection(await Deno.readTextFile(README), body, README_MARKERS);
  // The README is checked by `deno fmt --check`: format the new text the same way before writing it.
  const formatter = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = formatter.stdin.getWriter();
  await writer.write(new TextEncoder().encode(updated));
  await writer.close();
  const formatted = await formatter.output();
  if (!formatted.success) {
    throw new Error(`deno fmt failed on the new README: ${new TextDecoder().decode(formatted.stderr)}`);
  }
  await writeFileAtomic(README, new TextDecoder().decode(formatted.stdout));
  console.log(`README.md performance section rewritten from ${relative(ROOT, jsonPath)}`);
}

async function latestJson(): Promise<string> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(BENCH_FOLDER)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const latest = latestBenchFile(names);
  if (!latest) throw new Error(`no out/bench/YYYY-MM-DD.json yet: run deno task bench first`);
  return join(BENCH_FOLDER, latest);
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseSpeedArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${SPEED_USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(SPEED_USAGE);
    return 0;
  }
  try {
    if (!options.run) {
      await updateReadme(await latestJson());
      return 0;
    }
    const started = new Date();
    const warnings: string[] = [];
    const needsPytorch = options.workloads.some((workload) => workload.kind !== "report");
    const pythonVersions = needsPytorch ? await ensurePytorch(warnings) : null;
    const loadStart = await readLoadAverage();
    const startWarning = loadWarning(loadStart, "at the start");
    if (startWarning) {
      warnings.push(startWarning);
      console.warn(`WARNING: ${startWarning}`);
    }
    console.log(
      `backends: ${options.backends.join(", ")}; ${options.repeats} repetitions per side; load average ` +
        `${loadStart.oneMinute} ${loadStart.fiveMinutes} ${loadStart.fifteenMinutes}`,
    );
    if (options.repeats < 5) {
      warnings.push(`${options.repeats} repetitions per side (fewer than 5: a development run)`);
    }
    let columns = benchColumns(options.backends, options.matmul);
    const here = matmulPath();
    if (here.kind !== "native" && columns.some((column) => parseBenchColumn(column).matmul === "native")) {
      const warning = `native BLAS columns not timed: ${describeMatmulPath(here)}`;
      warnings.push(warning);
      console.warn(`WARNING: ${warning}`);
      columns = columns.filter((column) => parseBenchColumn(column).matmul !== "native");
      if (columns.length === 0) throw new Error(`nothing to time: ${warning}`);
    }
    console.log(`ours: ${columns.join(", ")}; ${describeMatmulPath(here)}`);
    const matmul: NonNullable<BenchResult["matmul"]> = {};
    const workloads: WorkloadResult[] = [];
    for (const workload of options.workloads) {
      workloads.push(await runWorkload(workload, options, columns, matmul, warnings));
    }
    const { commit, dirty } = await gitCommit();
    const result: BenchResult = {
      schema: BENCH_SCHEMA,
      date: localDate(started),
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      command: ["deno task bench", ...argv].join(" "),
      commit,
      dirty,
      machine: await machineInfo(),
      versions: {
        deno: Deno.version.deno,
        v8: Deno.version.v8,
        tfjs: tf.version.tfjs,
        torch: pythonVersions?.torch ?? null,
        python: pythonVersions?.python ?? null,
        blas: pythonVersions?.blas ?? null,
      },
      backends: columns,
      matmul,
      settings: { repeats: options.repeats, torchThreads: TORCH_THREADS, openblasThreads: OPENBLAS_THREADS },
      loadAverage: { start: loadStart, end: await readLoadAverage() },
      workloads,
      warnings,
    };
    const path = options.outPath ?? join(BENCH_FOLDER, benchFileName(started));
    await writeFileAtomic(path, JSON.stringify(result, null, 2) + "\n");
    console.log(`\n${formatBenchTable(result)}\n`);
    for (const warning of warnings) console.warn(`WARNING: ${warning}`);
    console.log(`written ${relative(ROOT, path)}`);
    if (options.readme) await updateReadme(path);
    return 0;
  } catch (error) {
    console.error(`deno task bench: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
