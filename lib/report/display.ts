/**
 * Displaying rich values in the Deno Jupyter kernel, and recording what was displayed so the
 * report runner can verify that no output was dropped on export.
 */
import { Markdown } from "./markdown.ts";

/** A MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, string>;

/** Anything the Deno kernel can render: it calls this symbol's method to get the MIME bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** A value with an HTML form that notebooks display and reports export. */
export interface Displayable {
  /** Stable id of the rendered element (recorded for export checks). */
  readonly displayId: string;
  /** The MIME bundle for Jupyter. */
  toMimeBundle(): MimeBundle;
}

/** Environment variable naming the file where displayed ids are logged (set by the runner). */
export const DISPLAY_LOG_VARIABLE = "EQUILAB_DISPLAY_LOG";

let counter = 0;

/**
 * A display id unique within a process and across kernel restarts (a random session prefix).
 * Ids only name HTML elements; they draw nothing from the seeded random streams.
 */
export function nextDisplayId(kind: string): string {
  counter += 1;
  return `equilab-${kind}-${SESSION}-${counter}`;
}
const SESSION = crypto.randomUUID().slice(0, 8);

/** Logs a displayed id for the runner's export check (no-op when not under the runner). */
export function recordDisplay(displayId: string, kind: string): void {
  const path = Deno.env.get(DISPLAY_LOG_VARIABLE);
  if (!path) return;
  Deno.writeTextFileSync(path, JSON.stringify({ id: displayId, kind }) + "\n", { append: true });
}

/** True inside the Deno Jupyter kernel. */
export function inJupyter(): boolean {
  // Outside `deno jupyter`, reading Deno.jupyter throws.
  try {
    const jupyter = (Deno as unknown as { jupyter?: { broadcast?: unknown } }).jupyter;
    return typeof jupyter?.broadcast === "function";
  } catch {
    return false;
  }
}

/** Display ids already sent to the notebook (by {@link displayWhenCalled} or {@link show}). */
const sent = new Set<string>();

/** Whether `displayId` was already displayed (its value, as a cell's last expression, then shows nothing). */
export function alreadyDisplayed(displayId: string): boolean {
  return sent.has(displayId);
}

/** The bundle as sent: Markdown gets an empty anchor with its display id (it has no element of its own). */
function sentBundle(value: Displayable): MimeBundle {
  const bundle = value.toMimeBundle();
  if (typeof bundle["text/markdown"] === "string" && bundle["text/html"] === undefined) {
    // The anchor lets the report runner find the output in the exported HTML; the id is ours
    // ([a-z0-9-] only), never data.
    return { ...bundle, "text/markdown": `<a id="${value.displayId}"></a>${bundle["text/markdown"]}` };
  }
  return bundle;
}

function broadcast(bundle: MimeBundle): Promise<void> | void {
  return (Deno as unknown as {
    jupyter: { broadcast(type: string, content: unknown): Promise<void> };
  }).jupyter.broadcast("display_data", { data: bundle, metadata: {}, transient: {} });
}

/**
 * Displays a table, chart or Markdown where it is called, as IPython's `display()` does: inside the
 * Jupyter kernel the value is sent at once (in call order with the cell's other outputs), so a
 * `table()` in the middle of a cell is not lost; as the cell's last expression it then shows nothing
 * more. Outside Jupyter (tests, scripts) nothing happens. Returns the value.
 *
 * @example
 * ```ts
 * import { displayWhenCalled } from "./display.ts";
 * import { table } from "./table.ts";
 * displayWhenCalled(table([{ a: 1 }]), "table"); // shown now when in a notebook
 * ```
 */
export function displayWhenCalled<T extends Displayable>(value: T, kind: string): T {
  if (!inJupyter() || sent.has(value.displayId)) return value;
  sent.add(value.displayId);
  recordDisplay(value.displayId, kind);
  // Messages go out in call order; a failed send is reported, never swallowed.
  const failed = (error: unknown) => console.error(`display of ${value.displayId} failed: ${error}`);
  try {
    Promise.resolve(broadcast(sentBundle(value))).catch(failed);
  } catch (error) {
    failed(error);
  }
  return value;
}

/**
 * Shows a displayable now (not only as the cell's last value). In a terminal prints its plain-text
 * form.
 *
 * @example
 * ```ts
 * import { show } from "./display.ts";
 * import { table } from "./table.ts";
 * await show(table([{ a: 1 }]));
 * ```
 */
export async function show(value: Displayable): Promise<void> {
  if (inJupyter()) {
    // Tables, charts and Markdown display when they are made: show() then has nothing left to do.
    if (sent.has(value.displayId)) return;
    sent.add(value.displayId);
    recordDisplay(value.displayId, "show");
    await broadcast(sentBundle(value));
  } else {
    recordDisplay(value.displayId, "show");
    console.log(value.toMimeBundle()["text/plain"] ?? "");
  }
}

/**
 * Shows Markdown (headings, emphasis, tables) built with the {@link md} tagged template: its literal parts
 * are Markdown, every interpolated value is escaped, so data (stock codes, file names) is shown as text and
 * never becomes HTML in the exported report. Several parts are joined as they are (`markdown(md\`a\`,
 * md\`b\`)` is `markdown(md\`ab\`)`). A plain string is not accepted: build it with md`...`.
 *
 * @example
 * ```ts
 * import { markdown } from "./display.ts";
 * import { md } from "./markdown.ts";
 * const code = "<img src=x onerror=alert(1)>";
 * markdown(md`**${code}**: accuracy ${0.51}; `, md`seeds ${2}`); // the tag is shown as text
 * ```
 */
export function markdown(...parts: Markdown[]): Displayable & { [JUPYTER_DISPLAY](): MimeBundle } {
  for (const part of parts) {
    if (!(part instanceof Markdown)) {
      throw new TypeError("markdown() takes Markdown built with md`...` (interpolated values are escaped)");
    }
  }
  const displayId = nextDisplayId("markdown");
  const bundle = {
    "text/markdown": parts.map((part) => part.text).join(""),
    "text/plain": parts.map((part) => part.plain).join(""),
  };
  return displayWhenCalled({
    displayId,
    toMimeBundle: () => bundle,
    // Already displayed when made (in Jupyter): as the cell's last value it adds nothing.
    [JUPYTER_DISPLAY]: () => sent.has(displayId) ? {} : bundle,
  }, "markdown");
}
