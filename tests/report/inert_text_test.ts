// Data shown in reports stays inert text: hostile stock codes, file names and links (tests/report/_hostile.ts)
// through markdown(md`…`), table() and chart titles. The unit tests check the MIME bundles the kernel
// receives; the Jupyter test exports a fixture notebook through nbconvert (as `deno task report` does) and
// parses the HTML, asserting that no element, attribute or link in it came from data.
//
// Assumption checked by the unit tests, and by the export test where nbconvert is installed: nbconvert (and
// JupyterLab) render text/markdown as CommonMark with raw HTML passed through, GitHub-style tables, bare-URL
// autolinks and $…$ math; so data in Markdown must carry no raw `<`, no unescaped link/emphasis/code/table
// punctuation, no line breaks, no `://`, and no unescaped `$`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { barChart, escapeMarkdown, markdown, md, mdCode, mdJoin, table } from "../../lib/report/mod.ts";
import { runNotebooks } from "../../lib/report/runner.ts";
import { projectRoot } from "../../lib/report/plotly_bundle.ts";
import { HOSTILE } from "./_hostile.ts";
import { testNeeding } from "./_jupyter.ts";

// ---- a small HTML scanner: elements and attributes outside raw-text elements, and the decoded text ----

interface Element {
  tag: string;
  attributes: Record<string, string>;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " " };
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      return String.fromCodePoint(
        name[1].toLowerCase() === "x" ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
      );
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Every start tag (with attributes, values decoded) and the text between tags; script/style bodies skipped. */
function scanHtml(html: string): { elements: Element[]; text: string } {
  const elements: Element[] = [];
  let text = "";
  const tag =
    /<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-z][a-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/gi;
  let at = 0;
  for (let match = tag.exec(html); match !== null; match = tag.exec(html)) {
    text += html.slice(at, match.index);
    at = tag.lastIndex;
    if (match[2] === undefined || match[1] === "/") continue;
    const name = match[2].toLowerCase();
    const attributes: Record<string, string> = {};
    for (
      const attribute of match[3].matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)
    ) {
      attributes[attribute[1].toLowerCase()] = decodeEntities(
        attribute[2] ?? attribute[3] ?? attribute[4] ?? "",
      );
    }
    elements.push({ tag: name, attributes });
    if (["script", "style", "textarea", "title"].includes(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, at);
      at = close < 0 ? html.length : close;
      tag.lastIndex = at;
    }
  }
  text += html.slice(at);
  return { elements, text: decodeEntities(text) };
}

/** Elements or attributes that only data could have produced. */
function dataMarkup(html: string): string[] {
  const found: string[] = [];
  for (const element of scanHtml(html).elements) {
    if (["img", "iframe", "svg", "u"].includes(element.tag)) found.push(`<${element.tag}>`);
    for (const [name, value] of Object.entries(element.attributes)) {
      if (/^on/.test(name)) found.push(`${element.tag} ${name}=`);
      if (/javascript:|alert\(1\)/i.test(value)) found.push(`${element.tag} ${name}="${value}"`);
    }
  }
  // A script whose body is the payload's came from data (the charts' own scripts hold data only as
  // escaped JSON strings).
  for (const body of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/gi)) {
    if (body[1].trim() === "alert(1)") found.push(`<script>${body[1]}</script>`);
  }
  return found;
}

// ---- the MIME bundles ----

/** Raw-HTML tags, autolinks and unescaped Markdown structure that data could have brought into Markdown. */
function markdownHazards(markdownText: string): string[] {
  const hazards: string[] = [];
  if (/<[a-z!?/]/i.test(markdownText)) hazards.push("raw HTML or autolink (<…)");
  if (/(^|[^\\])[[\]]/.test(markdownText)) hazards.push("unescaped [ or ] (link, image)");
  if (/(^|[^\\])[$|~_]/.test(markdownText)) {
    hazards.push("unescaped $ | ~ _ (math, table, strikethrough, emphasis)");
  }
  if (/:\/\/|www\./i.test(markdownText)) hazards.push("bare URL (autolink)");
  if (/&(?!amp;|lt;|gt;|#58;|#46;|#64;)/.test(markdownText)) hazards.push("an entity from data");
  return hazards;
}

Deno.test("md escapes every interpolated value for Markdown and HTML; literal parts stay Markdown", () => {
  for (const value of HOSTILE.all) {
    const shown = md`**${value}**`;
    const inner = shown.text.slice(2, -2);
    assert.deepEqual(markdownHazards(inner), [], `${JSON.stringify(value)} → ${JSON.stringify(inner)}`);
    assert.ok(!inner.includes("\n"), "a value never starts a new block");
    assert.ok(shown.text.startsWith("**") && shown.text.endsWith("**"), "the author's Markdown is kept");
    assert.equal(shown.plain, `**${value}**`, "text/plain shows the value as it is");
  }
  // Numbers stay readable, whether numbers or formatted strings.
  assert.equal(
    md`MAPE ${0.0109} ± ${(0.00123).toFixed(4)}, ${-3} days, ${"12.5%"}, ${"-0.023"}`.text,
    "MAPE 0.0109 ± 0.0012, -3 days, 12.5%, -0.023",
  );
  assert.equal(md`${null}${undefined}${true} ${new Date("2024-01-02T00:00:00Z")}`.text, "true 2024-01-02");
  // Nested md and mdJoin insert Markdown unchanged; mdCode shows anything literally.
  assert.equal(md`a ${md`**b ${"_c_"}**`}`.text, "a **b \\_c\\_**");
  assert.equal(mdJoin([md`- ${"x<y"}`, md`- ${2}`]).text, "- x&lt;y\n- 2");
  assert.equal(mdCode("out/results/a_b.json").text, "`out/results/a_b.json`");
  assert.equal(mdCode("a`b").text, "``a`b``");
  assert.equal(mdCode("`x` <b>\nc").text, "`` `x` <b> c ``");
  assert.equal(escapeMarkdown("1. first"), "1\\. first");
  assert.equal(escapeMarkdown("- item"), "\\- item");
});

Deno.test("markdown() takes only md-built Markdown and puts the escaped text in the bundle", () => {
  const bundle = markdown(md`Stock **${HOSTILE.code}** from ${mdCode(HOSTILE.file)} (${HOSTILE.link})`)
    .toMimeBundle();
  assert.equal(
    bundle["text/markdown"],
    "Stock **&lt;img src=x onerror=alert(1)&gt;** from ``<b>000001</b>_*bold*_`tick`.xlsx`` " +
      "(\\[click\\](javascript:alert(1)))",
  );
  assert.equal(bundle["text/plain"], `Stock **${HOSTILE.code}** from ${HOSTILE.file} (${HOSTILE.link})`);
  // A plain (possibly interpolated) string is refused at run time too, not only by the type checker.
  assert.throws(() => markdown(`**${HOSTILE.code}**` as unknown as ReturnType<typeof md>), /built with md/);
});

Deno.test("table(): cells, headers and caption from data are text; only the table's own markup remains", () => {
  const html = table(HOSTILE.all.map((value, index) => ({ [HOSTILE.code]: value, index })), {
    caption: HOSTILE.file,
  }).toHtml();
  assert.deepEqual(dataMarkup(html), []);
  const { elements, text } = scanHtml(html);
  assert.deepEqual(
    new Set(elements.map((element) => element.tag)),
    new Set(["table", "caption", "thead", "tbody", "tr", "th", "td"]),
  );
  for (const element of elements) {
    assert.ok(Object.keys(element.attributes).every((name) => name === "id" || name === "class"));
  }
  for (const value of [HOSTILE.code, HOSTILE.file, HOSTILE.script]) assert.ok(text.includes(value));
});

Deno.test("chart titles, axis titles, legend names and categories reach Plotly as escaped text", () => {
  const chart = barChart({ name: HOSTILE.script, x: [HOSTILE.code, HOSTILE.file], y: [1, 2] }, {
    title: HOSTILE.code,
    xTitle: HOSTILE.link,
    yTitle: HOSTILE.script,
  });
  const bundle = chart.toMimeBundle();
  const figure = JSON.parse(bundle["application/vnd.plotly.v1+json"]);
  const texts = [
    figure.layout.title.text,
    figure.layout.xaxis.title.text,
    figure.layout.yaxis.title.text,
    figure.data[0].name,
    ...figure.data[0].x,
  ];
  // Plotly reads these as its own HTML dialect: no "<" may reach it but the `<br>` that wraps a long
  // category label at a space (data's own "<br>" arrives as "&lt;br&gt;"); its entity decoding shows the text.
  for (const text of texts) assert.ok(!text.replaceAll("<br>", "").includes("<"), text);
  assert.deepEqual(
    figure.data[0].x.map((label: string) => decodeEntities(label.replaceAll("<br>", " "))),
    [HOSTILE.code, HOSTILE.file],
  );
  assert.equal(decodeEntities(figure.layout.title.text), HOSTILE.code);
  assert.equal(bundle["text/plain"], `[chart: ${HOSTILE.code}]`);
  // The HTML: one div, one script (no data-made element), nothing in the script can close it.
  const html = bundle["text/html"];
  assert.deepEqual(dataMarkup(html), []);
  assert.deepEqual(scanHtml(html).elements.map((element) => element.tag), ["div", "script"]);
});

testNeeding(
  "jupyter",
  "an exported report shows hostile data from markdown(), table() and a chart as text",
  async () => {
    const folder = await Deno.makeTempDir({ prefix: "equilab-inert-" });
    try {
      const [run] = await runNotebooks({
        notebooks: [join(projectRoot(), "tests", "fixtures", "hostile_text.ipynb")],
        outputFolder: folder,
      });
      assert.equal(run.ok, true, run.error);
      const html = await Deno.readTextFile(join(folder, run.report));
      assert.deepEqual(dataMarkup(html), [], "elements or attributes from data in the exported HTML");
      const { elements, text } = scanHtml(html);
      // No heading, link or table was made from data; the payloads are visible as text.
      assert.ok(
        !elements.some((element) => element.tag === "a" && /javascript/i.test(element.attributes.href ?? "")),
      );
      assert.ok(!/<h1[^>]*>\s*heading/i.test(html));
      for (const value of [HOSTILE.code, HOSTILE.script, HOSTILE.file, HOSTILE.link]) {
        assert.ok(text.includes(value), `the report shows ${JSON.stringify(value)} as text`);
      }
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
);
