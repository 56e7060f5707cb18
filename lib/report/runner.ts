/**
 * The notebook → HTML report runner behind `deno task report`.
 *
 * Each notebook is executed headlessly by nbclient with the project-local Deno kernelspec, exported
 * by nbconvert, given the Plotly bundle once in `<head>`, checked for dropped outputs, and written
 * atomically to `out/reports/<notebook>.html`; `out/reports/index.html` lists every run.
 */
import { basename, dirname, join } from "node:path";
import { escapeHtml } from "./_html.ts";
import { ensurePlotlyBundle, PLOTLY_VERSION, projectRoot } from "./plotly_bundle.ts";
import { DISPLAY_LOG_VARIABLE } from "./display.ts";
import { FONT_STACK } from "./chart.ts";
import { parametersInEffect } from "./parameters.ts";
import { STUDY_GROUPS, studyOf, summariseNotebook } from "./notebook_summary.ts";
import { PROGRESS_LOG_VARIABLE } from "./progress.ts";
import { writeFileAtomic } from "../io/mod.ts";

/** Options of {@link runNotebooks}. */
export interface RunNotebooksArgs {
  /** Notebook paths; default every `notebooks/*.ipynb` in name order. */
  notebooks?: string[];
  /** Output folder. Default `out/reports` under the project root. */
  outputFolder?: string;
  /** Extra environment for the kernel (e.g. `{ EQUILAB_QUICK: "1" }`). Default none. */
  environment?: Record<string, string>;
  /** Leave code cells out of the reports (nbconvert's `--no-input`): Markdown and outputs only. Default false. */
  hideCode?: boolean;
  /** Seconds one cell may run; 0 = no limit. Default `EQUILAB_CELL_TIMEOUT` or 0. */
  cellTimeoutSeconds?: number;
  /** Called after each notebook (for progress lines). */
  onNotebookDone?: (result: NotebookRun) => void;
  /**
   * Called while a notebook runs: when a code cell starts (`cell` of `cells`, its first line) and for
   * every progress line the notebook's own bars write (epochs, seeds, units). Default: nothing.
   */
  onProgress?: (event: NotebookProgress) => void;
}

/** The outcome of one notebook. */
export interface NotebookRun {
  /** Notebook file name. */
  notebook: string;
  /** Report file name inside the output folder. */
  report: string;
  /** True when every cell ran and every displayed output is in the report. */
  ok: boolean;
  /** Wall time in seconds. */
  seconds: number;
  /** 0-based index of the failing cell. */
  failedCell?: number;
  /** First line of the failing cell's code. */
  failedCellSource?: string;
  /** What went wrong. */
  error?: string;
  /** Ids of displayed charts/tables missing from the exported HTML. */
  missingOutputs?: string[];
  /** The notebook's first heading. */
  title?: string;
  /** Its one-line summary (the first sentence after the heading). */
  summary?: string;
  /** "quick", "from store" or "full" (EQUILAB_QUICK / EQUILAB_FROM_STORE in effect). */
  mode?: string;
  /** When it finished (ISO time, UTC). */
  finishedAt?: string;
}

/** The mode of a run from the parameters in effect. */
function modeOf(parameters: Record<string, string | undefined>): string {
  return parameters.EQUILAB_QUICK === "1"
    ? "quick"
    : parameters.EQUILAB_FROM_STORE === "1"
    ? "from store"
    : "full";
}

/** What {@link RunNotebooksArgs.onProgress} receives. */
export type NotebookProgress =
  & { notebook: string; seconds: number }
  & ({ kind: "cell"; cell: number; cells: number; source: string } | { kind: "line"; line: string });

/** A prerequisite is missing; the message says what to install. */
export class PrerequisiteError extends Error {
  override name = "PrerequisiteError";
}

/** Python interpreters tried, in order, for nbclient and nbconvert (`EQUILAB_PYTHON` alone when set). */
function pythonCandidates(): string[] {
  const fromEnvironment = Deno.env.get("EQUILAB_PYTHON");
  return fromEnvironment ? [fromEnvironment] : ["python3", "/usr/bin/python3", "python"];
}

async function commandSucceeds(command: string, args: string[]): Promise<boolean> {
  try {
    const output = await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output();
    return output.success;
  } catch {
    return false;
  }
}

/**
 * Finds a Python with nbclient + nbconvert + jupyter_client, or throws a {@link PrerequisiteError}
 * whose message is one sentence saying what to install.
 */
export async function findJupyterPython(): Promise<string> {
  for (const candidate of pythonCandidates()) {
    if (await commandSucceeds(candidate, ["-c", "import nbclient, nbconvert, nbformat, jupyter_client"])) {
      return candidate;
    }
  }
  throw new PrerequisiteError(
    "Jupyter's nbconvert is not installed: install it with `apt-get install jupyter-nbconvert python3-nbclient jupyter-client` (Debian/Ubuntu) or `pip install nbconvert nbclient`, then run `deno task report` again.",
  );
}

/** Lists `notebooks/*.ipynb` in name order. */
export function listNotebooks(root = projectRoot()): string[] {
  const folder = join(root, "notebooks");
  const names: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    if (entry.isFile && entry.name.endsWith(".ipynb") && !entry.name.startsWith(".")) names.push(entry.name);
  }
  return names.sort().map((name) => join(folder, name));
}

export { writeFileAtomic };

/** Short git commit of the project, or "unknown". */
export async function gitCommit(root = projectRoot()): Promise<string> {
  try {
    const output = await new Deno.Command("git", {
      args: ["rev-parse", "--short=12", "HEAD"],
      cwd: root,
      stderr: "null",
    })
      .output();
    const text = new TextDecoder().decode(output.stdout).trim();
    return output.success && text ? text : "unknown";
  } catch {
    return "unknown";
  }
}

/** Page CSS of every report: the charts' font stack (CJK fallbacks included) for the notebook text too. */
export const REPORT_CSS = `:root{--jp-ui-font-family:${FONT_STACK};--jp-content-font-family:${FONT_STACK}}` +
  `body{font-family:${FONT_STACK}}` +
  // Tables: text left, numbers right (lib/report/table.ts marks their cells "number").
  `.equilab-table th,.equilab-table td{text-align:left}` +
  `.equilab-table th.number,.equilab-table td.number{text-align:right;font-variant-numeric:tabular-nums}`;

/**
 * Makes an exported page self-contained: inserts the Plotly bundle once at the start of `<head>` and the
 * report CSS at its end, and removes every `<script src>` and external stylesheet `<link>` that is left
 * (the template already drops require.js and MathJax, which nbconvert points at a CDN or at
 * `file:///usr/share/javascript/...` on the exporting machine), so the report loads nothing.
 */
export function finishReportHtml(html: string, plotlyBundle: string): string {
  const withoutExternal = html
    .replace(/<script\b[^>]*\ssrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)[^>]*>\s*<\/script\s*>/gi, "")
    .replace(
      /<link\b[^>]*\shref\s*=\s*["']?(?:[a-z]+:|\/\/)[^>]*>/gi,
      (link) => /href\s*=\s*["']?data:/i.test(link) ? link : "",
    );
  const script = `<script>/* plotly bundle */${plotlyBundle.replaceAll("</script", "<\\/script")}</script>`;
  const headIndex = withoutExternal.search(/<head[^>]*>/i);
  if (headIndex < 0) throw new Error("exported HTML has no <head>");
  const insertAt = withoutExternal.indexOf(">", headIndex) + 1;
  const found = withoutExternal.slice(insertAt).search(/<\/head\s*>/i);
  const headEnd = found < 0 ? insertAt : insertAt + found;
  return withoutExternal.slice(0, insertAt) + `<meta charset="utf-8">` + script +
    withoutExternal.slice(insertAt, headEnd) + `<style>${REPORT_CSS}</style>` +
    withoutExternal.slice(headEnd);
}

/** Ids logged by the kernel's display calls that do not appear in the exported HTML. */
export function missingDisplayIds(html: string, displayLog: string): string[] {
  const missing: string[] = [];
  let cell: { cell: number; source: string } | undefined;
  for (const line of displayLog.split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { id?: string; kind?: string; cell?: number; source?: string };
    // The executor writes a cell marker before each code cell runs: displays after it are that cell's.
    if (entry.cell !== undefined) {
      cell = { cell: entry.cell, source: entry.source ?? "" };
      continue;
    }
    if (!html.includes(`id="${entry.id}"`)) {
      missing.push(`${entry.kind} ${entry.id}${cell ? ` (cell ${cell.cell}: ${cell.source})` : ""}`);
    }
  }
  return missing;
}

function firstCodeLine(source: string | null | undefined): string | undefined {
  if (!source) return undefined;
  const line = source.split("\n").find((text) => text.trim() && !text.trim().startsWith("//"));
  return (line ?? source.split("\n")[0]).trim().slice(0, 120);
}

/** Executes one notebook; never throws for notebook failures (they are in the result). */
export async function runNotebook(
  notebookPath: string,
  python: string,
  plotlyBundle: string,
  args: RunNotebooksArgs = {},
): Promise<NotebookRun> {
  const root = projectRoot();
  const outputFolder = args.outputFolder ?? join(root, "out", "reports");
  const name = basename(notebookPath);
  const report = name.replace(/\.ipynb$/, ".html");
  const started = performance.now();
  const work = await Deno.makeTempDir({ prefix: "equilab-report-" });
  try {
    const displayLog = join(work, "displays.jsonl");
    await Deno.writeTextFile(displayLog, "");
    const progressLog = join(work, "progress.log");
    await Deno.writeTextFile(progressLog, "");
    const denoFolder = dirname(Deno.execPath());
    const environment: Record<string, string> = {
      ...args.environment,
      EQUILAB_REPORT: "1",
      [DISPLAY_LOG_VARIABLE]: displayLog,
      [PROGRESS_LOG_VARIABLE]: progressLog,
      JUPYTER_PATH: join(root, "lib", "report", "jupyter"),
      PATH: `${denoFolder}:${Deno.env.get("PATH") ?? ""}`,
      NO_COLOR: "1",
    };
    const timeout = args.cellTimeoutSeconds ?? Number(Deno.env.get("EQUILAB_CELL_TIMEOUT") ?? "0");
    const executed = join(work, name);
    const htmlPath = join(work, report);
    const child = new Deno.Command(python, {
      args: [
        join(root, "lib", "report", "execute_notebook.py"),
        notebookPath,
        executed,
        htmlPath,
        String(timeout || 0),
        dirname(notebookPath),
        args.hideCode ? "1" : "0",
      ],
      env: environment,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const seconds = () => (performance.now() - started) / 1000;
    // Cell starts come on the executor's stderr, progress lines through the progress log: both live.
    let stderrText = "";
    const readStderr = (async () => {
      const lines = child.stderr.pipeThrough(new TextDecoderStream());
      let pending = "";
      for await (const chunk of lines) {
        pending += chunk;
        let newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line.startsWith("EQUILAB-CELL ")) {
            const cell = JSON.parse(line.slice("EQUILAB-CELL ".length));
            args.onProgress?.({ notebook: name, seconds: seconds(), kind: "cell", ...cell });
          } else {
            stderrText += `${line}\n`;
          }
        }
      }
      stderrText += pending;
    })();
    let progressRead = 0;
    const readProgress = async () => {
      const text = await Deno.readTextFile(progressLog).catch(() => "");
      const complete = text.slice(0, text.lastIndexOf("\n") + 1);
      for (const line of complete.slice(progressRead).split("\n")) {
        if (line) args.onProgress?.({ notebook: name, seconds: seconds(), kind: "line", line });
      }
      progressRead = Math.max(progressRead, complete.length);
    };
    const poll = setInterval(() => void readProgress(), 1000);
    const [stdoutText] = await Promise.all([new Response(child.stdout).text(), readStderr, child.status])
      .finally(() => clearInterval(poll));
    await readProgress();
    const stdout = stdoutText.trim().split("\n");
    const stderr = stderrText;
    const wallSeconds = seconds();
    const last = stdout[stdout.length - 1] ?? "";
    const described = {
      ...summariseNotebook(JSON.parse(await Deno.readTextFile(notebookPath)), name),
      mode: modeOf({ ...parametersInEffect(), ...args.environment }),
      finishedAt: new Date().toISOString(),
    };
    let status: { ok: boolean; failedCell: number | null; cellSource: string | null; error: string | null };
    try {
      status = JSON.parse(last);
    } catch {
      return {
        notebook: name,
        report,
        ok: false,
        seconds: wallSeconds,
        ...described,
        error: `the notebook executor failed: ${stderr.trim().split("\n").slice(-3).join(" | ") || last}`,
      };
    }
    const html = await Deno.readTextFile(htmlPath);
    const missing = missingDisplayIds(html, await Deno.readTextFile(displayLog));
    await writeFileAtomic(join(outputFolder, report), finishReportHtml(html, plotlyBundle));
    const result: NotebookRun = {
      notebook: name,
      report,
      ok: status.ok && missing.length === 0,
      seconds: wallSeconds,
      ...described,
    };
    if (!status.ok) {
      result.failedCell = status.failedCell ?? undefined;
      result.failedCellSource = firstCodeLine(status.cellSource);
      result.error = status.error ?? "unknown error";
    }
    if (missing.length > 0) {
      result.missingOutputs = missing;
      result.error = [
        result.error,
        `${missing.length} displayed output(s) missing from the report: ${missing.join(", ")}`,
      ]
        .filter(Boolean).join("; ");
    }
    return result;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** Renders `index.html`. */
export function renderIndex(
  runs: NotebookRun[],
  context: { date: string; commit: string; parameters: Record<string, string>; plotly: string },
): string {
  const row = (run: NotebookRun) =>
    `<tr class="${run.ok ? "pass" : "fail"}"><td>${run.ok ? "pass" : "FAIL"}</td>` +
    `<td><a href="${escapeHtml(encodeURIComponent(run.report))}">${
      escapeHtml(run.title ?? run.notebook)
    }</a>` +
    `<br><small>${escapeHtml(run.notebook)}</small></td>` +
    `<td>${escapeHtml(run.summary ?? "")}</td>` +
    `<td>${escapeHtml(run.mode ?? "")}</td>` +
    `<td>${escapeHtml(run.finishedAt ? run.finishedAt.replace("T", " ").slice(0, 16) : "")}</td>` +
    `<td class="number">${formatWallTime(run.seconds)}</td><td>${
      run.ok ? "" : escapeHtml(
        `${
          run.failedCell !== undefined ? `cell ${run.failedCell + 1}: ${run.failedCellSource ?? ""} — ` : ""
        }${run.error ?? ""}`,
      )
    }</td></tr>`;
  const groups = new Map<string, NotebookRun[]>();
  for (const run of runs) {
    const study = studyOf(run.notebook);
    groups.set(study, [...(groups.get(study) ?? []), run]);
  }
  const order = [...STUDY_GROUPS.map((group) => group.name), "Other notebooks"];
  const sections = order.filter((name) => groups.has(name)).map((name) =>
    `<h2>${escapeHtml(name)}</h2>
<table><thead><tr><th>status</th><th>report</th><th>what it shows</th><th>mode</th><th>run (UTC)</th><th>wall time</th><th>error</th></tr></thead><tbody>
${groups.get(name)!.map(row).join("\n")}
</tbody></table>`
  ).join("\n");
  const parameterText =
    Object.entries(context.parameters).map(([key, value]) => `${key}=${value}`).join(", ") ||
    "none (full settings)";
  const passed = runs.filter((run) => run.ok).length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>EquiLab reports</title>
<style>body{font-family:${FONT_STACK};max-width:72rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
td.number{text-align:right;white-space:nowrap}small{color:#666}
tr.fail td:first-child{color:#b00;font-weight:bold}tr.pass td:first-child{color:#070}</style></head><body>
<h1>EquiLab reports</h1>
<p>${passed} of ${runs.length} passed · generated ${escapeHtml(context.date)} · commit <code>${
    escapeHtml(context.commit)
  }</code> · parameters: ${escapeHtml(parameterText)} · Plotly ${escapeHtml(context.plotly)}</p>
${sections}
</body></html>
`;
}

/** Wall time as the index shows it: seconds below a minute, else minutes, else hours. */
function formatWallTime(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

/**
 * Runs notebooks in order and writes their reports plus `index.html`.
 *
 * @example
 * ```ts
 * import { runNotebooks } from "./runner.ts";
 * const runs = await runNotebooks({ environment: { EQUILAB_QUICK: "1" } });
 * if (runs.some((run) => !run.ok)) Deno.exit(1);
 * ```
 */
export async function runNotebooks(args: RunNotebooksArgs = {}): Promise<NotebookRun[]> {
  const root = projectRoot();
  const python = await findJupyterPython();
  const plotlyBundle = await Deno.readTextFile(await ensurePlotlyBundle());
  const notebooks = args.notebooks ?? listNotebooks(root);
  const runs: NotebookRun[] = [];
  for (const notebook of notebooks) {
    const run = await runNotebook(notebook, python, plotlyBundle, args);
    runs.push(run);
    args.onNotebookDone?.(run);
  }
  const outputFolder = args.outputFolder ?? join(root, "out", "reports");
  const parameters = { ...parametersInEffect(), ...(args.environment ?? {}) };
  await writeFileAtomic(
    join(outputFolder, "index.html"),
    renderIndex(runs, {
      date: new Date().toISOString().replace("T", " ").slice(0, 19) + " UTC",
      commit: await gitCommit(root),
      parameters,
      plotly: PLOTLY_VERSION,
    }),
  );
  return runs;
}
