/** What the report index says about a notebook: its title, one-line summary and study. */

/** A notebook's title (its first Markdown heading) and one-line summary (the first sentence after it). */
export interface NotebookSummary {
  /** First heading, without Markdown marks; the file name when there is none. */
  title: string;
  /** First sentence of the first paragraph after the heading, without Markdown marks (≤ 200 characters). */
  summary: string;
}

/** Markdown source as plain text: links keep their text, emphasis and code marks go. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Reads a notebook's title (first Markdown heading) and summary: its `metadata.equilab.summary` when
 * set, else the first sentence after the heading.
 *
 * @example
 * ```ts
 * import { summariseNotebook } from "./notebook_summary.ts";
 * summariseNotebook({ cells: [{ cell_type: "markdown", source: "# 05 · EquiNet\n\nIt runs **honestly**. More." }] }, "05.ipynb");
 * // { title: "05 · EquiNet", summary: "It runs honestly." }
 * ```
 */
export function summariseNotebook(
  notebook: {
    cells: { cell_type: string; source: string | string[] }[];
    metadata?: { equilab?: { summary?: string } };
  },
  fileName: string,
): NotebookSummary {
  let title = "";
  const given = notebook.metadata?.equilab?.summary;
  let summary = typeof given === "string" ? given.trim() : "";
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const blocks = source.split(/\n\s*\n/);
    for (const block of blocks) {
      const heading = block.match(/^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/m);
      if (heading && !title) {
        title = plainText(heading[1]);
        continue;
      }
      if (title && !summary && !/^\s*(#|[-*] |\d+\.|\|)/.test(block)) {
        const text = plainText(block);
        const sentence = text.match(/^.*?[.!?:](?=\s|$)/)?.[0] ?? text;
        summary = sentence.length > 200 ? `${sentence.slice(0, 199).replace(/\s+\S*$/, "")}…` : sentence;
      }
      if (title && summary) return { title, summary };
    }
  }
  return { title: title || fileName, summary };
}

/** The studies of the index, by notebook number (two leading digits). */
export const STUDY_GROUPS: readonly { name: string; numbers: readonly number[] }[] = [
  { name: "Setup and data", numbers: [0, 1] },
  { name: "1 · The ChiNext LSTM paper", numbers: [2, 3] },
  { name: "2 · EquiNet: 涨 / 跌 / 稳 with a Transformer", numbers: [4, 5, 6] },
  { name: "3 · Fundamentals, macro factors and a two-branch LSTM", numbers: [7, 8, 9] },
];

/**
 * The index group of a notebook file (by its number), or "Other notebooks".
 *
 * @example
 * ```ts
 * import { studyOf } from "./notebook_summary.ts";
 * studyOf("05_equinet_corrected.ipynb"); // "2 · EquiNet: 涨 / 跌 / 稳 with a Transformer"
 * ```
 */
export function studyOf(fileName: string): string {
  const number = Number(fileName.match(/^(\d{2})_/)?.[1] ?? NaN);
  return STUDY_GROUPS.find((group) => group.numbers.includes(number))?.name ?? "Other notebooks";
}
