/**
 * The command line of the runner (`deno task experiments`), parametrised by the module that lists the
 * units, so tests can run it on units of their own.
 *
 *   --status                 units done / stale / missing per study and experiment, CPU time spent and left
 *   --list [SELECTION…]      unit ids, one per line (for GNU parallel, Slurm arrays, Indexed Jobs)
 *   --unit ID                runs exactly that unit in this process
 *   [SELECTION…] [--jobs N] [--budget 2h]
 *                            runs missing and stale units, N worker processes at a time
 *
 * SELECTION: a study (`paper`), an experiment (`paper/tables`) or any id prefix; default all.
 * Common options: --store DIR (default out/results), --checkpoints DIR (default out/checkpoints),
 * --registry MODULE (a module exporting `unitRegistry`).
 */
import { resolve } from "node:path";
import { formatDuration, parseBudget, storeSummary, unitEstimator } from "./estimate.ts";
import { executeUnit, secondsAlreadyRun, secondsLeftOf } from "./execute_unit.ts";
import { ResultsStore } from "./results_store.ts";
import { runWorker, type UnitRegistry, type WorkerEvent, type WorkerSummary } from "./runner.ts";
import type { UnitDefinition } from "./unit.ts";

/** Where the CLI finds things by default. */
export interface RunnerDefaults {
  /** URL of the module exporting `unitRegistry`. */
  registryModule: string;
  /** URL of the entry script (workers are started as `deno run -A <entry> --worker …`). */
  entryModule: string;
  /** Store folder. */
  store: string;
  /** Checkpoint folder. */
  checkpoints: string;
}

/** Parsed command line. */
export interface RunnerOptions {
  /** What to do. */
  mode: "status" | "list" | "unit" | "run" | "worker";
  /** Id prefixes selecting units (empty: all). */
  selection: string[];
  /** `--unit ID`. */
  unit?: string;
  /** Worker processes. Default: the number of cores. */
  jobs: number;
  /** Budget in seconds. Default unlimited. */
  budgetSeconds?: number;
  /** Worker mode: the deadline (ms since the epoch). */
  deadline?: number;
  /** Worker mode: its number. */
  worker: number;
  /** Store folder. */
  store: string;
  /** Checkpoint folder. */
  checkpoints: string;
  /** Registry module URL. */
  registry: string;
  /** Claim lease seconds (tests shorten it). */
  leaseSeconds?: number;
}

/** A usage error: the CLI exits 2 with the message. */
export class UsageError extends Error {}

const USAGE =
  "usage: deno task experiments [--status | --list | --unit ID | SELECTION… [--jobs N] [--budget 2h]] " +
  "[--store DIR] [--checkpoints DIR]";

/**
 * Parses the runner's arguments.
 *
 * @example
 * ```ts
 * import { parseRunnerArgs } from "./cli.ts";
 * const options = parseRunnerArgs(["paper", "--jobs", "2", "--budget", "2h"], {
 *   registryModule: "file:///units.ts", entryModule: "file:///cli.ts", store: "out/results", checkpoints: "out/checkpoints",
 * });
 * options.budgetSeconds; // 7200
 * ```
 */
export function parseRunnerArgs(argv: readonly string[], defaults: RunnerDefaults): RunnerOptions {
  const options: RunnerOptions = {
    mode: "run",
    selection: [],
    jobs: navigator.hardwareConcurrency || 1,
    worker: 0,
    store: defaults.store,
    checkpoints: defaults.checkpoints,
    registry: defaults.registryModule,
  };
  const cwd = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined || next.startsWith("--")) {
        throw new UsageError(`${argument} needs a value\n${USAGE}`);
      }
      return next;
    };
    const positiveInteger = (text: string) => {
      const number = Number(text);
      if (!Number.isInteger(number) || number < 1) {
        throw new UsageError(`${argument} must be a whole number ≥ 1, got ${JSON.stringify(text)}`);
      }
      return number;
    };
    switch (argument) {
      case "--status":
        options.mode = "status";
        break;
      case "--list":
        options.mode = "list";
        break;
      case "--unit":
        options.mode = "unit";
        options.unit = value();
        break;
      case "--worker":
        options.mode = "worker";
        options.worker = Number(value());
        break;
      case "--jobs":
        options.jobs = positiveInteger(value());
        break;
      case "--budget":
        try {
          options.budgetSeconds = parseBudget(value());
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case "--deadline":
        options.deadline = Number(value());
        break;
      case "--store":
        options.store = resolve(cwd, value());
        break;
      case "--checkpoints":
        options.checkpoints = resolve(cwd, value());
        break;
      case "--registry": {
        const module = value();
        options.registry = /^[a-z]+:/.test(module) ? module : new URL(`file://${resolve(cwd, module)}`).href;
        break;
      }
      case "--lease":
        options.leaseSeconds = Number(value());
        break;
      case "--help":
      case "-h":
        throw new UsageError(USAGE);
      default:
        if (argument.startsWith("-")) throw new UsageError(`unknown option ${argument}\n${USAGE}`);
        options.selection.push(argument.replace(/\/+$/, ""));
    }
  }
  return options;
}

/**
 * The units a selection names (every unit when empty) and, transitively, the units they depend on (a
 * dependency already done is not run again, but its record gives the dependant its fingerprint); a
 * selection matching nothing is an error.
 */
export function selectUnits(
  definitions: readonly UnitDefinition[],
  selection: readonly string[],
): UnitDefinition[] {
  if (selection.length === 0) return [...definitions];
  const matches = (id: string, prefix: string) => id === prefix || id.startsWith(`${prefix}/`);
  for (const prefix of selection) {
    if (!definitions.some((definition) => matches(definition.id, prefix))) {
      const studies = [
        ...new Set(definitions.map((definition) => definition.id.split("/").slice(0, 2).join("/"))),
      ];
      throw new UsageError(`no unit matches ${JSON.stringify(prefix)}; experiments: ${studies.join(", ")}`);
    }
  }
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const wanted = new Set<string>();
  const want = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const dependency of byId.get(id)?.dependencies ?? []) want(dependency);
  };
  for (const definition of definitions) {
    if (selection.some((prefix) => matches(definition.id, prefix))) want(definition.id);
  }
  return definitions.filter((definition) => wanted.has(definition.id));
}

/**
 * Runs the CLI; returns the exit code (0 ok, 1 a unit failed, 2 usage).
 *
 * @example
 * ```ts ignore
 * Deno.exit(await runnerMain(Deno.args, defaults));
 * ```
 */
export async function runnerMain(argv: readonly string[], defaults: RunnerDefaults): Promise<number> {
  let options: RunnerOptions;
  try {
    options = parseRunnerArgs(argv, defaults);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const registry = (await import(options.registry)).unitRegistry as UnitRegistry;
  const all = await registry.definitions();
  let definitions: UnitDefinition[];
  try {
    definitions = options.mode === "unit" ? all : selectUnits(all, options.selection);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const store = new ResultsStore(options.store);
  switch (options.mode) {
    case "status":
      printStatus(await store.status(definitions), store);
      return 0;
    case "list":
      for (const definition of definitions) console.log(definition.id);
      return 0;
    case "unit":
      return await runOne(options, all, store, registry);
    case "worker":
      return await workerMode(options, definitions, store, registry);
    case "run":
      return await coordinate(options, definitions, store, defaults);
  }
}

function printStatus(statuses: Awaited<ReturnType<ResultsStore["status"]>>, store: ResultsStore): void {
  const rows = storeSummary(statuses);
  console.log(`results store ${store.root}`);
  const header = [
    "study / experiment",
    "units",
    "done",
    "stale",
    "missing",
    "CPU spent",
    "CPU left (est.)",
    "newest",
  ];
  const lines = rows.map((row) => [
    row.group.includes("/") ? `  ${row.group}` : row.group,
    String(row.total),
    String(row.done),
    String(row.stale),
    String(row.missing),
    `${(row.spentSeconds / 3600).toFixed(2)} h`,
    `${(row.leftSeconds / 3600).toFixed(2)} h`,
    row.newest ? `${row.newest.finishedAt.slice(0, 10)} ${row.newest.commit?.slice(0, 7) ?? "?"}` : "",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length))
  );
  const format = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join("  ");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  const stale = statuses.filter((status) => status.state === "stale");
  if (stale.length > 0) {
    console.log(
      `stale (stored under older settings or numerics; the runner recomputes them): ${stale.length}`,
    );
    for (const status of stale.slice(0, 10)) console.log(`  ${status.definition.id}`);
    if (stale.length > 10) console.log(`  … and ${stale.length - 10} more`);
  }
}

async function runOne(
  options: RunnerOptions,
  all: readonly UnitDefinition[],
  store: ResultsStore,
  registry: UnitRegistry,
): Promise<number> {
  const definition = all.find((unit) => unit.id === options.unit);
  if (!definition) {
    console.error(`no unit ${options.unit}; list them with --list`);
    return 2;
  }
  const stop = stopOnSignals();
  const statuses = await store.status(all);
  const status = statuses.find((entry) => entry.definition.id === definition.id)!;
  const outcome = await executeUnit(store, status, {
    checkpointRoot: options.checkpoints,
    shouldStop: stop.requested,
    leaseSeconds: options.leaseSeconds,
    backend: registry.backend,
    git: registry.git,
    supersedes: registry.supersedes,
    onProgress: (message) => console.error(`${definition.id}: ${message}`),
  });
  stop.dispose();
  switch (outcome.outcome) {
    case "done":
      console.log(`done ${definition.id} in ${formatDuration(outcome.record.wallSeconds)} → ${outcome.path}`);
      return 0;
    case "fresh":
      console.log(`fresh ${definition.id} (already stored under its current fingerprint)`);
      return 0;
    case "busy":
      console.log(`busy ${definition.id} (claimed by another runner)`);
      return 0;
    case "waiting":
      console.error(`waiting ${definition.id}: needs ${outcome.waitingFor.join(", ")} first`);
      return 1;
    case "interrupted":
      console.log(`interrupted ${definition.id} (${outcome.reason}); rerun to continue`);
      return 0;
    case "newer":
      console.error(
        `left alone ${definition.id}: its record was computed by commit ${outcome.commit}, which this checkout ` +
          `does not contain (update this checkout to recompute it)`,
      );
      return 1;
  }
}

function stopOnSignals(): { requested: () => boolean; dispose: () => void } {
  let requested = false;
  const handler = () => (requested = true);
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, handler);
  return {
    requested: () => requested,
    dispose: () => signals.forEach((signal) => Deno.removeSignalListener(signal, handler)),
  };
}

async function workerMode(
  options: RunnerOptions,
  definitions: readonly UnitDefinition[],
  store: ResultsStore,
  registry: UnitRegistry,
): Promise<number> {
  const stop = stopOnSignals();
  const encoder = new TextEncoder();
  const summary = await runWorker({
    store,
    definitions,
    checkpointRoot: options.checkpoints,
    deadline: options.deadline,
    shouldStop: () => stop.requested() || (options.deadline !== undefined && Date.now() >= options.deadline),
    emit: (event) => Deno.stdout.writeSync(encoder.encode(JSON.stringify(event) + "\n")),
    worker: options.worker,
    backend: registry.backend,
    git: registry.git,
    supersedes: registry.supersedes,
    leaseSeconds: options.leaseSeconds,
  });
  stop.dispose();
  Deno.stdout.writeSync(encoder.encode(JSON.stringify({ event: "summary", summary }) + "\n"));
  return summary.failed.length > 0 ? 1 : 0;
}

async function coordinate(
  options: RunnerOptions,
  definitions: readonly UnitDefinition[],
  store: ResultsStore,
  defaults: RunnerDefaults,
): Promise<number> {
  const started = Date.now();
  const deadline = options.budgetSeconds === undefined ? undefined : started + options.budgetSeconds * 1000;
  const before = await store.status(definitions);
  const todo = before.filter((status) => status.state !== "done");
  const estimate = unitEstimator(before);
  // The units still to run and their kinds; the ETA uses the times measured in this run for a kind
  // once one of its units finished, else the store's estimate.
  const pending = new Map(todo.map((status) => [status.definition.id, status.definition]));
  // Seconds already run by units resumed from a checkpoint come off their estimates.
  const alreadyRun = new Map(
    await Promise.all(
      todo.map(async (status) =>
        [status.definition.id, await secondsAlreadyRun(options.checkpoints, status)] as const
      ),
    ),
  );
  const measured = new Map<string, { sum: number; count: number }>();
  const secondsLeft = () =>
    [...pending.values()].reduce((sum, definition) => {
      const kind = measured.get(definition.kind);
      const estimateSeconds = kind ? kind.sum / kind.count : estimate(definition);
      return sum + secondsLeftOf(estimateSeconds, alreadyRun.get(definition.id) ?? 0);
    }, 0);
  console.log(
    `${todo.length} of ${before.length} units to compute (≈ ${
      formatDuration(secondsLeft())
    } CPU) with ${options.jobs} ` +
      `worker${options.jobs === 1 ? "" : "s"}${
        deadline === undefined ? "" : `, budget ${formatDuration(options.budgetSeconds!)}`
      }`,
  );
  if (todo.length === 0) return 0;
  const passThrough = [
    ...options.selection,
    "--store",
    options.store,
    "--checkpoints",
    options.checkpoints,
    "--registry",
    options.registry,
    ...(options.leaseSeconds !== undefined ? ["--lease", String(options.leaseSeconds)] : []),
    ...(deadline !== undefined ? ["--deadline", String(deadline)] : []),
  ];
  const children: Deno.ChildProcess[] = [];
  const summaries: WorkerSummary[] = [];
  let finished = 0;
  const lastProgress = new Map<number, number>();
  const signalStop = () => {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
    }
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, signalStop);
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const budgetTimer = deadline === undefined ? undefined : setTimeout(() => {
    console.log(`budget reached: asking running units to stop at their next checkpoint`);
    signalStop();
    killTimer = setTimeout(() =>
      children.forEach((child) => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }), 120_000);
  }, Math.max(0, deadline - Date.now()));
  const onEvent = (event: WorkerEvent | { event: "summary"; summary: WorkerSummary }) => {
    const elapsed = formatDuration((Date.now() - started) / 1000);
    switch (event.event) {
      case "start":
        console.log(
          `[${elapsed}] worker ${event.worker} start ${event.id} (est. ${
            formatDuration(event.estimateSeconds)
          })`,
        );
        break;
      case "end": {
        if (event.outcome === "done") {
          finished++;
          const kind = pending.get(event.id)?.kind;
          pending.delete(event.id);
          if (kind !== undefined) {
            const entry = measured.get(kind) ?? { sum: 0, count: 0 };
            entry.sum += event.seconds;
            entry.count++;
            measured.set(kind, entry);
          }
          const left = secondsLeft();
          console.log(
            `[${elapsed}] worker ${event.worker} done ${event.id} in ${formatDuration(event.seconds)} · ` +
              `${finished}/${todo.length} · ETA ≈ ${formatDuration(left / options.jobs)}`,
          );
        } else {
          console.log(
            `[${elapsed}] worker ${event.worker} ${event.outcome} ${event.id}${
              event.reason ? ` (${event.reason})` : ""
            }`,
          );
        }
        break;
      }
      case "progress": {
        // At most one line a minute per worker: long units show they are alive and how far along.
        const last = lastProgress.get(event.worker) ?? 0;
        if (Date.now() - last >= 60_000) {
          lastProgress.set(event.worker, Date.now());
          const share = event.fraction === undefined ? "" : ` (${Math.round(event.fraction * 100)}%)`;
          console.log(`[${elapsed}] worker ${event.worker} ${event.id}: ${event.message}${share}`);
        }
        break;
      }
      case "skip":
        console.log(`[${elapsed}] skip ${event.id}: ${event.reason}`);
        break;
      case "error":
        console.error(`[${elapsed}] worker ${event.worker} FAILED ${event.id}:\n${event.message}`);
        break;
      case "summary":
        summaries.push(event.summary);
        break;
    }
  };
  const jobs = Math.min(options.jobs, todo.length);
  const pipes: Promise<void>[] = [];
  for (let worker = 0; worker < jobs; worker++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", defaults.entryModule, "--worker", String(worker), ...passThrough],
      stdout: "piped",
      stderr: "inherit",
      env: { EQUILAB_PARALLEL_UNITS: String(jobs) },
    }).spawn();
    children.push(child);
    pipes.push(readLines(child.stdout, (line) => {
      try {
        onEvent(JSON.parse(line));
      } catch {
        console.log(`worker ${worker}: ${line}`);
      }
    }));
  }
  const statuses = await Promise.all(children.map((child) => child.status));
  await Promise.all(pipes);
  if (budgetTimer !== undefined) clearTimeout(budgetTimer);
  if (killTimer !== undefined) clearTimeout(killTimer);
  for (const signal of signals) Deno.removeSignalListener(signal, signalStop);
  const after = await store.status(definitions);
  const failed = summaries.flatMap((summary) => summary.failed);
  const interrupted = summaries.flatMap((summary) => summary.interrupted);
  const left = after.filter((status) => status.state !== "done").length;
  const leftCpu = storeSummary(after).filter((row) => !row.group.includes("/"))
    .reduce((sum, row) => sum + row.leftSeconds, 0);
  console.log(
    `summary: ${finished} units computed in ${formatDuration((Date.now() - started) / 1000)} wall; ` +
      `${after.length - left} of ${after.length} done; ${left} left (≈ ${formatDuration(leftCpu)} CPU)` +
      (interrupted.length ? `; ${interrupted.length} interrupted (resume from checkpoint next run)` : "") +
      (failed.length ? `; ${failed.length} FAILED: ${failed.join(", ")}` : ""),
  );
  if (statuses.some((status) => !status.success && status.code !== 1 && status.signal === null)) {
    console.error(`a worker exited with ${statuses.map((status) => status.code).join(", ")}`);
  }
  return failed.length > 0 ? 1 : 0;
}

async function readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onLine(line);
    }
  }
  if (buffer.trim()) onLine(buffer.trim());
}
