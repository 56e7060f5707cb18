/**
 * Progress for long loops (training epochs): updates in place in Jupyter, a bar in a terminal,
 * quiet in CI logs.
 */
import { inJupyter, nextDisplayId } from "./display.ts";
import { escapeHtml } from "./_html.ts";

/**
 * Environment variable naming the file where, under the report runner, every progress update is also
 * appended as a line of text (the runner prints new lines while the notebook runs).
 */
export const PROGRESS_LOG_VARIABLE = "EQUILAB_PROGRESS_LOG";

/** Where progress goes. */
export type ProgressMode = "auto" | "jupyter" | "terminal" | "quiet";

/** Options of {@link progress}. */
export interface ProgressArgs {
  /** Steps in the loop (e.g. epochs). */
  total: number;
  /** Text before the bar. Default "progress". */
  label?: string;
  /** Output target. Default "auto": Jupyter in the kernel, terminal on a TTY, else quiet. */
  mode?: ProgressMode;
  /** Minimum milliseconds between two updates (the last one always shows). Default 250. */
  minIntervalMs?: number;
  /** Sends a Jupyter message (jupyter mode). Default `Deno.jupyter.broadcast`. */
  broadcast?: Broadcast;
}

/** Sends one Jupyter iopub message. */
export type Broadcast = (type: string, content: unknown) => Promise<void>;

function broadcaster(): Broadcast {
  return (Deno as unknown as { jupyter: { broadcast: Broadcast } }).jupyter.broadcast;
}

function resolveMode(mode: ProgressMode): Exclude<ProgressMode, "auto"> {
  if (mode !== "auto") return mode;
  if (inJupyter()) return "jupyter";
  if (Deno.env.get("CI") !== "true" && Deno.stderr.isTerminal()) return "terminal";
  return "quiet";
}

/** Formats the metrics shown after the bar, e.g. `loss 0.0123 · acc 0.51`. */
export function formatMetrics(metrics: Record<string, number | string>): string {
  return Object.entries(metrics).map(([key, value]) =>
    `${key} ${typeof value === "number" ? Number(value.toPrecision(4)) : value}`
  ).join(" · ");
}

/**
 * A progress display. Call {@link Progress.update} after each step and {@link Progress.finish} at
 * the end; always `await` both (the kernel swallows un-awaited rejections).
 *
 * @example
 * ```ts
 * import { progress } from "./progress.ts";
 * const bar = progress({ total: 3, label: "epochs", mode: "quiet" });
 * for (let epoch = 1; epoch <= 3; epoch++) await bar.update(epoch, { loss: 1 / epoch });
 * await bar.finish();
 * ```
 */
export class Progress {
  readonly total: number;
  readonly label: string;
  readonly mode: Exclude<ProgressMode, "auto">;
  readonly #minIntervalMs: number;
  readonly #broadcast?: Broadcast;
  readonly #displayId = nextDisplayId("progress");
  #started = false;
  #lastShown = -Infinity;
  #done = 0;
  #metrics: Record<string, number | string> = {};
  readonly #startTime = performance.now();

  constructor(args: ProgressArgs) {
    if (!(args.total > 0)) throw new RangeError(`progress total must be > 0, got ${args.total}`);
    this.total = args.total;
    this.label = args.label ?? "progress";
    this.mode = resolveMode(args.mode ?? "auto");
    this.#minIntervalMs = args.minIntervalMs ?? 250;
    this.#broadcast = args.broadcast;
  }

  /** Plain-text line for the current state. */
  text(): string {
    const fraction = Math.min(1, this.#done / this.total);
    const width = 24;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - this.#startTime) / 1000;
    const metrics = formatMetrics(this.#metrics);
    return `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.#done}/${this.total}` +
      ` ${seconds.toFixed(1)} s${metrics ? ` · ${metrics}` : ""}`;
  }

  #html(): string {
    const metrics = formatMetrics(this.#metrics);
    return `<div class="equilab-progress"><b>${
      escapeHtml(this.label)
    }</b> <progress max="${this.total}" value="${this.#done}"></progress> ` +
      `${this.#done}/${this.total} · ${((performance.now() - this.#startTime) / 1000).toFixed(1)} s${
        metrics ? ` · ${escapeHtml(metrics)}` : ""
      }</div>`;
  }

  async #show(final: boolean): Promise<void> {
    const now = performance.now();
    if (!final && now - this.#lastShown < this.#minIntervalMs) return;
    this.#lastShown = now;
    if (this.mode === "jupyter") {
      const content = {
        data: { "text/plain": this.text(), "text/html": this.#html() },
        metadata: {},
        transient: { display_id: this.#displayId },
      };
      await (this.#broadcast ?? broadcaster())(
        this.#started ? "update_display_data" : "display_data",
        content,
      );
      this.#started = true;
      // Under the report runner the same line goes to its progress log, which the terminal shows live.
      const log = Deno.env.get(PROGRESS_LOG_VARIABLE);
      if (log) Deno.writeTextFileSync(log, `${this.text()}\n`, { append: true });
    } else if (this.mode === "terminal") {
      const line = `\r${this.text()}${final ? "\n" : ""}`;
      await Deno.stderr.write(new TextEncoder().encode(line));
    }
  }

  /** Records that `done` steps are complete, with optional metrics to show. */
  async update(done: number, metrics: Record<string, number | string> = {}): Promise<void> {
    this.#done = done;
    this.#metrics = metrics;
    await this.#show(done >= this.total);
  }

  /** Shows the final state (always, whatever the interval). */
  async finish(metrics?: Record<string, number | string>): Promise<void> {
    if (metrics) this.#metrics = metrics;
    await this.#show(true);
  }
}

/** Creates a {@link Progress}. */
export function progress(args: ProgressArgs): Progress {
  return new Progress(args);
}

/** What {@link unitsProgress} returns: the callback a study's `onUnit` takes, and the closing step. */
export interface UnitsProgress {
  /** Pass as `onUnit`: shows a bar from the first unit to compute (none when every unit is stored). */
  onUnit(done: number, total: number, id: string): Promise<void>;
  /** Shows the final state, when a bar was shown. */
  finish(): Promise<void>;
  /** The bar's current text; empty while no unit had to be computed. */
  text(): string;
}

/**
 * A progress bar over the results-store units a notebook trains, created only if some unit is missing;
 * each unit id is shown without `prefix`.
 *
 * @example
 * ```ts ignore
 * const bar = unitsProgress("paper units to train (configuration × seed)", "paper/tables/");
 * const study = await paperStudy({ onUnit: bar.onUnit });
 * await bar.finish();
 * ```
 */
export function unitsProgress(
  label: string,
  prefix = "",
  args: Omit<ProgressArgs, "total" | "label"> = {},
): UnitsProgress {
  let bar: Progress | undefined;
  return {
    async onUnit(done, total, id) {
      bar ??= progress({ ...args, total, label });
      await bar.update(done, { unit: id.startsWith(prefix) ? id.slice(prefix.length) : id });
    },
    async finish() {
      await bar?.finish();
    },
    text: () => bar?.text() ?? "",
  };
}
