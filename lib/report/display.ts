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
  let bundle = value.toMimeBundle();
  if (typeof bundle["text/markdown"] === "string" && bundle["text/html"] === undefined) {
    // Markdown carries no element of its own: an empty anchor with the display id lets the report
    // runner find it in the exported HTML (the id is ours: [a-z0-9-] only, never data).
    bundle = { ...bundle, "text/markdown": `<a id="${value.displayId}"></a>${bundle["text/markdown"]}` };
  }
  recordDisplay(value.displayId, "show");
  if (inJupyter()) {
    await (Deno as unknown as {
      jupyter: { broadcast(type: string, content: unknown): Promise<void> };
    }).jupyter.broadcast("display_data", { data: bundle, metadata: {}, transient: {} });
  } else {
    console.log(bundle["text/plain"] ?? "");
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
  return {
    displayId,
    toMimeBundle: () => bundle,
    [JUPYTER_DISPLAY]: () => bundle,
  };
}
