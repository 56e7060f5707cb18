/**
 * Markdown built from data that cannot turn into markup. Notebook reports pass `text/markdown` to Jupyter,
 * and nbconvert renders raw HTML inside Markdown as live HTML: a stock name or file name such as
 * `<img src=x onerror=alert(1)>` interpolated into Markdown text would run in the exported report. The
 * {@link md} tagged template keeps its literal parts as Markdown (written by the notebook's author) and
 * escapes every interpolated value for both Markdown and HTML, so data is always shown as the text it is.
 */

const BUILDER: unique symbol = Symbol("equilab markdown builder");

/** Values {@link md} interpolates: text and numbers are escaped, {@link Markdown} is inserted as it is. */
export type MarkdownValue = string | number | bigint | boolean | null | undefined | Date | Markdown;

/**
 * Markdown text that is safe to render: built only by {@link md}, {@link mdCode} and {@link mdJoin}, whose
 * data-derived parts are escaped. `text` is the Markdown; `plain` the same with values unescaped (for a
 * terminal).
 *
 * @example
 * ```ts
 * import { md } from "./markdown.ts";
 * const shown = md`**${"<b>600519</b>"}** closed at ${1795.5}`;
 * shown.text; // "**&lt;b&gt;600519&lt;/b&gt;** closed at 1795.5"
 * shown.plain; // "**<b>600519</b>** closed at 1795.5"
 * ```
 */
export class Markdown {
  /** The Markdown source, data escaped. */
  readonly text: string;
  /** The same with data as it is (for text/plain output). */
  readonly plain: string;

  /** Only this module can build one (the token is private to it): use {@link md}. */
  constructor(token: typeof BUILDER, text: string, plain: string) {
    if (token !== BUILDER) {
      throw new TypeError("Markdown values are built with md`...`, mdCode() or mdJoin()");
    }
    this.text = text;
    this.plain = plain;
  }

  /** The Markdown source. */
  toString(): string {
    return this.text;
  }
}

/** Strings that are numbers as formatted (`-0.0123`, `1,234.5`, `12%`, `1e-7`) pass unescaped. */
const NUMBER_TEXT = /^[-+−]?(\d[\d,]*)?(\.\d+)?([eE][-+]?\d+)?%?$/;
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$#!]/g;
const HTML_SPECIALS: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes text so that Markdown renderers (CommonMark, GitHub-flavoured, Jupyter's and nbconvert's) show it
 * literally: `&`, `<`, `>` become entities (no raw HTML, no autolinks), Markdown punctuation is
 * backslash-escaped (no emphasis, code, links, images, tables, math), `://`, `www.` and `@` are broken
 * with entities (no autolinks), line breaks become spaces and a leading list or heading marker is escaped
 * (no block structure). Number-like strings are left as they are.
 *
 * @example
 * ```ts
 * import { escapeMarkdown } from "./markdown.ts";
 * escapeMarkdown("<script>alert(1)</script>"); // "&lt;script&gt;alert(1)&lt;/script&gt;"
 * escapeMarkdown("[x](javascript:alert(1))"); // "\\[x\\](javascript:alert(1))"
 * escapeMarkdown("-0.0123"); // "-0.0123"
 * ```
 */
export function escapeMarkdown(text: string): string {
  if (NUMBER_TEXT.test(text) && text !== "") return text;
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(MARKDOWN_PUNCTUATION, (character) => `\\${character}`)
    .replace(/[&<>]/g, (character) => HTML_SPECIALS[character])
    // Nor an autolink (GitHub-flavoured renderers link bare URLs, www. names and e-mail addresses).
    .replace(/:\/\//g, "&#58;//")
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#46;`)
    .replace(/@/g, "&#64;")
    // A value at the start of a line must not begin a list, a quote or a heading underline.
    .replace(/^(\s*)([-+=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/** One interpolated value as Markdown and as plain text. */
function render(value: MarkdownValue): { text: string; plain: string } {
  if (value instanceof Markdown) return { text: value.text, plain: value.plain };
  if (value === null || value === undefined) return { text: "", plain: "" };
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    const text = String(value);
    return { text, plain: text };
  }
  const plain = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return { text: escapeMarkdown(plain), plain };
}

/**
 * Tagged template for Markdown from data: the literal parts are Markdown as written, every `${value}` is
 * escaped by {@link escapeMarkdown} (numbers are shown as they are; {@link Markdown} values, e.g. from a
 * nested `md`, are inserted unchanged). Pass the result to `markdown()`.
 *
 * @example
 * ```ts
 * import { md } from "./markdown.ts";
 * const code = "<img src=x onerror=alert(1)>";
 * md`Test accuracy of **${code}**: ${0.512}`.text; // "Test accuracy of **&lt;img src=x onerror=alert(1)&gt;**: 0.512"
 * ```
 */
export function md(strings: TemplateStringsArray, ...values: MarkdownValue[]): Markdown {
  let text = strings[0];
  let plain = strings[0];
  values.forEach((value, index) => {
    const rendered = render(value);
    text += rendered.text + strings[index + 1];
    plain += rendered.plain + strings[index + 1];
  });
  return new Markdown(BUILDER, text, plain);
}

/**
 * A value as an inline code span (a file path, a command): shown literally, HTML and all, by every
 * Markdown renderer; the fence is longer than any run of backticks inside, line breaks become spaces.
 *
 * @example
 * ```ts
 * import { md, mdCode } from "./markdown.ts";
 * md`Results written to ${mdCode("out/results/a_b.json")}.`.text; // "Results written to `out/results/a_b.json`."
 * ```
 */
export function mdCode(value: MarkdownValue): Markdown {
  const plain = render(value).plain.replace(/\r\n?|\n/g, " ");
  const longest = Math.max(0, ...(plain.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = plain.startsWith("`") || plain.endsWith("`") || plain.startsWith(" ") ? " " : "";
  return new Markdown(BUILDER, `${fence}${pad}${plain}${pad}${fence}`, plain);
}

/**
 * Joins Markdown parts (e.g. list items built with {@link md}) with a separator, by default a line break.
 *
 * @example
 * ```ts
 * import { md, mdJoin } from "./markdown.ts";
 * const items = ["<a>", "b_c"].map((name) => md`- ${name}`);
 * mdJoin(items).text; // "- &lt;a&gt;\n- b\\_c"
 * ```
 */
export function mdJoin(parts: readonly Markdown[], separator: Markdown = md`\n`): Markdown {
  return new Markdown(
    BUILDER,
    parts.map((part) => part.text).join(separator.text),
    parts.map((part) => part.plain).join(separator.plain),
  );
}
