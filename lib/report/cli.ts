/**
 * `deno task report [--quick] [--from-store] [--no-code] [notebooks/NN_name.ipynb ...]`: executes notebooks headlessly and
 * writes `out/reports/<notebook>.html` plus `out/reports/index.html`. Exits 1 when a notebook fails
 * (the notebook and cell are named), 2 for usage errors or a missing prerequisite.
 */
import { resolve } from "node:path";
import { type NotebookProgress, PrerequisiteError, runNotebooks } from "./runner.ts";

const USAGE = "usage: deno task report [--quick] [--from-store] [--no-code] [notebook.ipynb ...]\n" +
  "  --quick       tiny settings (CI): every number is a smoke test\n" +
  "  --from-store  full settings read from the results store (out/results): nothing is trained; missing units are named\n" +
  "  --no-code     leave code cells out of the reports (Markdown and outputs only, for a projector)";

async function main(argv: string[]): Promise<number> {
  const environment: Record<string, string> = {};
  const notebooks: string[] = [];
  let hideCode = false;
  for (const argument of argv) {
    if (argument === "--quick") environment.EQUILAB_QUICK = "1";
    else if (argument === "--from-store") environment.EQUILAB_FROM_STORE = "1";
    else if (argument === "--no-code") hideCode = true;
    else if (argument === "--help" || argument === "-h") {
      console.log(USAGE);
      return 0;
    } else if (argument.startsWith("-")) {
      console.error(`unknown option ${argument}\n${USAGE}`);
      return 2;
    } else {
      const path = resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), argument);
      try {
        Deno.statSync(path);
      } catch {
        console.error(`no such notebook: ${argument}`);
        return 2;
      }
      notebooks.push(path);
    }
  }
  const status = new RunStatus();
  try {
    const runs = await runNotebooks({
      notebooks: notebooks.length > 0 ? notebooks : undefined,
      environment,
      hideCode,
      onProgress: (event) => status.update(event),
      onNotebookDone: (run) => {
        status.clear();
        const where = run.failedCell !== undefined
          ? ` at cell ${run.failedCell + 1} (${run.failedCellSource ?? ""})`
          : "";
        console.log(
          `${run.ok ? "ok  " : "FAIL"} ${run.notebook} ${run.seconds.toFixed(1)} s${
            run.ok ? "" : `${where}: ${run.error}`
          }`,
        );
      },
    });
    const failed = runs.filter((run) => !run.ok);
    console.log(
      `reports written to out/reports/ (index.html): ${
        runs.length - failed.length
      } passed, ${failed.length} failed`,
    );
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof PrerequisiteError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

/**
 * What is running, for the terminal: on a TTY one line rewritten in place (notebook, elapsed time, cell,
 * the notebook's latest progress line); in a log (CI) the same line at most every 30 seconds.
 */
class RunStatus {
  #cell = "";
  #line = "";
  #lastPrinted = -Infinity;
  readonly #live = Deno.stderr.isTerminal();
  readonly #encoder = new TextEncoder();

  update(event: NotebookProgress): void {
    if (event.kind === "cell") {
      this.#cell = `cell ${event.cell}/${event.cells}: ${event.source}`;
      this.#line = "";
    } else {
      this.#line = event.line;
    }
    const minutes = Math.floor(event.seconds / 60);
    const elapsed = `${minutes > 0 ? `${minutes}m` : ""}${Math.floor(event.seconds % 60)}s`;
    const text = `… ${event.notebook} ${elapsed} · ${this.#cell}${this.#line ? ` · ${this.#line}` : ""}`;
    if (this.#live) {
      const width = Math.max(40, (Deno.consoleSize?.().columns ?? 100) - 1);
      Deno.stderr.writeSync(this.#encoder.encode(`\r\x1b[K${text.slice(0, width)}`));
    } else if (performance.now() - this.#lastPrinted >= 30_000) {
      this.#lastPrinted = performance.now();
      console.error(text);
    }
  }

  clear(): void {
    if (this.#live) Deno.stderr.writeSync(this.#encoder.encode("\r\x1b[K"));
    this.#lastPrinted = -Infinity;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
