import assert from "node:assert/strict";
import { studyOf, summariseNotebook } from "../../lib/report/notebook_summary.ts";
import type { NotebookProgress } from "../../lib/report/runner.ts";
import { CHARTS_DRAWN, LAYOUT_PROBE, type LayoutProbe } from "./_layout.ts";
import { visitOffline } from "./_cdp.ts";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  finishReportHtml,
  listNotebooks,
  missingDisplayIds,
  renderIndex,
  REPORT_CSS,
  runNotebooks,
} from "../../lib/report/runner.ts";
import { FONT_STACK } from "../../lib/report/chart.ts";
import { assertOfflineReport } from "./_offline.ts";
import { notebookToModule } from "../../lib/report/check_notebooks.ts";
import { projectRoot } from "../../lib/report/plotly_bundle.ts";
import { chromium, chromiumArgs, mirrorEnvironment, testNeeding } from "./_jupyter.ts";

const fixtures = join(projectRoot(), "tests", "fixtures");

Deno.test("finishReportHtml adds the bundle once at the top of <head> and drops CDN scripts", () => {
  const html =
    `<html><head><script src="https://cdnjs.example/require.min.js"></script><title>x</title></head><body></body></html>`;
  const finished = finishReportHtml(html, "window.Plotly={};");
  assert.equal(finished.match(/plotly bundle/g)?.length, 1);
  assert.ok(!finished.includes("cdnjs"));
  assert.ok(finished.indexOf("plotly bundle") < finished.indexOf("<title>"));
  assert.throws(() => finishReportHtml("<body></body>", ""), /no <head>/);
});

Deno.test("finishReportHtml drops machine-local and remote scripts and stylesheets, adds the font CSS", () => {
  const html = `<html><head><meta charset="utf-8" />` +
    `<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>` +
    `<script type="text/javascript" src='file:///usr/share/javascript/mathjax/MathJax.js?config=TeX'></script>` +
    `<script src=//cdn.example/x.js></script><link rel="stylesheet" href="https://cdn.example/x.css">` +
    `<link rel="icon" href="data:,"><style>p{}</style></head><body><script>var keep=1;</script></body></html>`;
  const finished = finishReportHtml(html, "var s='</head>';");
  assertOfflineReport(finished, "finished");
  assert.ok(finished.includes(`<link rel="icon" href="data:,">`));
  assert.ok(finished.includes("var keep=1;"));
  assert.ok(finished.includes(`<style>${REPORT_CSS}</style></head>`), "the report CSS ends <head>");
  assert.ok(REPORT_CSS.includes(`--jp-content-font-family:${FONT_STACK}`));
});

Deno.test("deno task report --help lists --no-code", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(projectRoot(), "lib", "report", "cli.ts"), "--help"],
    stdout: "piped",
  }).output();
  assert.equal(output.code, 0);
  assert.match(new TextDecoder().decode(output.stdout), /--no-code +leave code cells out/);
});

Deno.test("missingDisplayIds names the cell of a missing display from the executor's cell markers", () => {
  const log = [
    { cell: 2, source: "const a = 1;" },
    { id: "equilab-chart-b-1", kind: "chart" },
    { cell: 4, source: "table(rows)" },
    { id: "equilab-table-b-2", kind: "table" },
  ].map((entry) => JSON.stringify(entry)).join("\n") + "\n";
  assert.deepEqual(missingDisplayIds(`<div id="equilab-chart-b-1"></div>`, log), [
    "table equilab-table-b-2 (cell 4: table(rows))",
  ]);
});

Deno.test("missingDisplayIds names every logged display absent from the HTML", () => {
  const log = [{ id: "equilab-chart-a-1", kind: "chart" }, { id: "equilab-table-a-2", kind: "table" }]
    .map((entry) => JSON.stringify(entry)).join("\n") + "\n";
  assert.deepEqual(missingDisplayIds(`<div id="equilab-chart-a-1"></div>`, log), ["table equilab-table-a-2"]);
  assert.deepEqual(
    missingDisplayIds(`<div id="equilab-chart-a-1"></div><table id="equilab-table-a-2">`, log),
    [],
  );
});

Deno.test("renderIndex: the studies as groups, each report with title, summary, mode, run date, wall time and status", () => {
  const html = renderIndex(
    [
      {
        notebook: "05_equinet_corrected.ipynb",
        report: "05_equinet_corrected.html",
        ok: true,
        seconds: 125,
        title: "05 · EquiNet, corrected",
        summary: "What is left when nothing leaks.",
        mode: "from store",
        finishedAt: "2026-12-07T01:02:03.000Z",
      },
      { notebook: "00_a.ipynb", report: "00_a.html", ok: true, seconds: 1.25 },
      {
        notebook: "02_<b>.ipynb",
        report: "02_b.html",
        ok: false,
        seconds: 2,
        failedCell: 2,
        error: "Error: <x>",
        title: "02 · <i>paper</i>",
      },
    ],
    { date: "2026-01-01", commit: "abc", parameters: { EQUILAB_QUICK: "1" }, plotly: "4.1.1" },
  );
  const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => match[1]);
  assert.deepEqual(headings, [
    "Setup and data",
    "1 · The ChiNext LSTM paper",
    "2 · EquiNet: 涨 / 跌 / 稳 with a Transformer",
  ]);
  assert.match(
    html,
    /<td>pass<\/td><td><a href="05_equinet_corrected.html">05 · EquiNet, corrected<\/a><br><small>05_equinet_corrected.ipynb<\/small><\/td><td>What is left when nothing leaks.<\/td><td>from store<\/td><td>2026-12-07 01:02<\/td><td class="number">2.1 min<\/td>/,
  );
  assert.match(html, /<a href="00_a.html">00_a.ipynb<\/a>.*<td class="number">1.3 s<\/td>/);
  assert.match(html, /FAIL.*02 · &lt;i&gt;paper&lt;\/i&gt;.*02_&lt;b&gt;.ipynb.*cell 3: .*Error: &lt;x&gt;/);
  assert.match(html, /2 of 3 passed/);
  assert.match(html, /EQUILAB_QUICK=1/);
  assert.match(html, /commit <code>abc<\/code>/);
});

Deno.test("summariseNotebook: the first heading and the first sentence after it, without Markdown", () => {
  assert.deepEqual(
    summariseNotebook({
      cells: [
        { cell_type: "code", source: "# not markdown" },
        {
          cell_type: "markdown",
          source: [
            "# 05 · EquiNet, *corrected*: what is left?\n",
            "\n",
            "Notebook 04 rebuilt **EquiNet**'s ~50% and showed it. More text.\n",
          ],
        },
      ],
    }, "05.ipynb"),
    {
      title: "05 · EquiNet, corrected: what is left?",
      summary: "Notebook 04 rebuilt EquiNet's ~50% and showed it.",
    },
  );
  assert.deepEqual(summariseNotebook({ cells: [] }, "x.ipynb"), { title: "x.ipynb", summary: "" });
  // a notebook's own one-line summary (metadata.equilab.summary) wins over its first sentence
  assert.deepEqual(
    summariseNotebook({
      cells: [{ cell_type: "markdown", source: "# 09 · Backtest\n\nThe seed ends with a table:" }],
      metadata: { equilab: { summary: "Forecasts to a costed portfolio." } },
    }, "09.ipynb"),
    { title: "09 · Backtest", summary: "Forecasts to a costed portfolio." },
  );
  // every committed notebook says what it shows in one line
  for (const entry of Deno.readDirSync(join(projectRoot(), "notebooks"))) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const notebook = JSON.parse(Deno.readTextFileSync(join(projectRoot(), "notebooks", entry.name)));
    const { title, summary } = summariseNotebook(notebook, entry.name);
    assert.ok(
      title !== entry.name && summary.length > 20 && summary.length <= 200,
      `${entry.name}: ${title} / ${summary}`,
    );
  }
  assert.equal(studyOf("09_hybrid_backtest.ipynb"), "3 · Fundamentals, macro factors and a two-branch LSTM");
  assert.equal(studyOf("notes.ipynb"), "Other notebooks");
});

Deno.test("notebookToModule keeps code cells in order and drops markdown", () => {
  const module = notebookToModule(JSON.stringify({
    cells: [
      { cell_type: "markdown", source: "# title" },
      { cell_type: "code", source: ["const a = 1;\n", "a"] },
      { cell_type: "code", source: "const b: number = a + 1;" },
    ],
  }));
  assert.ok(!module.includes("# title"));
  assert.ok(module.indexOf("const a = 1;") < module.indexOf("const b: number"));
  assert.ok(module.trimEnd().endsWith("export {};"));
});

Deno.test("committed notebooks carry no outputs (reports are generated, not stored)", () => {
  for (const path of listNotebooks()) {
    const notebook = JSON.parse(Deno.readTextFileSync(path)) as { cells: { outputs?: unknown[] }[] };
    for (const cell of notebook.cells) {
      assert.equal(cell.outputs?.length ?? 0, 0, `${path} has stored outputs`);
    }
  }
});

const reportFolder = await Deno.makeTempDir({ prefix: "equilab-report-test-" });

/**
 * Rendered text (no scripts, styles, code or preformatted output) holds no stray Markdown — a backtick or a
 * `$` there means a code span or math that did not render (e.g. an inline code span split across lines) —
 * and no absolute path of the exporting machine.
 */
function assertNoStrayMarkup(html: string, report: string): void {
  const text = html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<pre[\s\S]*?<\/pre>/g, "")
    .replace(/<code[\s\S]*?<\/code>/g, "")
    .replace(/<[^>]+>/g, " ");
  // No absolute path of the machine that exported it (a reader's clone is elsewhere).
  for (const machinePath of [projectRoot(), "/tmp/"]) {
    const at = text.indexOf(machinePath);
    assert.equal(
      at,
      -1,
      `${report}: machine path in "${text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, " ")}"`,
    );
  }
  for (const mark of ["`", "$"]) {
    const at = text.indexOf(mark);
    assert.equal(
      at,
      -1,
      `${report}: stray ${mark} in "${text.slice(Math.max(0, at - 60), at + 40).replace(/\s+/g, " ")}"`,
    );
  }
}

testNeeding(
  "jupyter",
  "report runner executes every notebook in quick mode and writes the index",
  async () => {
    const runs = await runNotebooks({
      outputFolder: reportFolder,
      environment: { EQUILAB_QUICK: "1", ...mirrorEnvironment() },
    });
    const failures = runs.filter((run) => !run.ok).map((run) =>
      `${run.notebook}: cell ${run.failedCell} ${run.error}`
    );
    assert.deepEqual(failures, []);
    assert.equal(runs.length, listNotebooks().length);
    const index = await Deno.readTextFile(join(reportFolder, "index.html"));
    for (const run of runs) {
      assert.ok(index.includes(`href="${run.report}"`));
      const html = await Deno.readTextFile(join(reportFolder, run.report));
      assert.equal(html.match(/\/\* plotly bundle \*\//g)?.length, 1, `${run.report}: bundle exactly once`);
      assertOfflineReport(html, run.report);
      assert.ok(!html.includes("<title>Notebook</title>"), `${run.report}: the tab reads the first heading`);
      assertNoStrayMarkup(html, run.report);
    }
  },
);

testNeeding("jupyter", "report runner fails on a raising cell and names the notebook and cell", async () => {
  const folder = await Deno.makeTempDir();
  const [run] = await runNotebooks({
    notebooks: [join(fixtures, "failing_cell.ipynb")],
    outputFolder: folder,
  });
  assert.equal(run.ok, false);
  assert.equal(run.notebook, "failing_cell.ipynb");
  assert.equal(run.failedCell, 2);
  assert.equal(run.failedCellSource, "throw new Error(`boom at ${answer}`);");
  assert.match(run.error ?? "", /boom at 42/);
  assert.match(await Deno.readTextFile(join(folder, "index.html")), /FAIL/);
});

testNeeding("jupyter", "report runner fails when a displayed output is missing from the export", async () => {
  const folder = await Deno.makeTempDir();
  const [run] = await runNotebooks({
    notebooks: [join(fixtures, "dropped_output.ipynb")],
    outputFolder: folder,
  });
  assert.equal(run.ok, false);
  assert.deepEqual(run.missingOutputs, [
    'chart equilab-chart-never-shown (cell 2: import { recordDisplay } from "../../lib/report/display.ts";)',
  ]);
});

testNeeding(
  "jupyter",
  "tables, charts and Markdown display where they are called, each exactly once, in order",
  async () => {
    const folder = await Deno.makeTempDir();
    const events: NotebookProgress[] = [];
    const [run] = await runNotebooks({
      notebooks: [join(fixtures, "displayed_when_called.ipynb")],
      outputFolder: folder,
      onProgress: (event) => events.push(event),
    });
    assert.equal(run.ok, true, run.error);
    // The terminal hears of every code cell as it starts, and of the notebook's own progress lines.
    const cells = events.filter((event) => event.kind === "cell");
    assert.deepEqual(cells.map((event) => [event.cell, event.cells]), [[1, 5], [2, 5], [3, 5], [4, 5], [
      5,
      5,
    ]]);
    assert.equal(
      cells[0].kind === "cell" && cells[0].source,
      'import { lineChart, markdown, md, show, table } from "../../lib/report/mod.ts";',
    );
    const lines = events.flatMap((event) => event.kind === "line" ? [event.line] : []);
    assert.ok(lines.some((line) => /^demo epochs \[#+-*\] 1\/2 .*loss 0.5/.test(line)), lines.join(" | "));
    assert.ok(lines.some((line) => /^demo epochs \[#+\] 2\/2/.test(line)), lines.join(" | "));
    assert.ok(
      events.every((event) => event.notebook === "displayed_when_called.ipynb" && event.seconds >= 0),
    );
    const html = await Deno.readTextFile(join(folder, "displayed_when_called.html"));
    // Outputs only (the code cells repeat the captions): one element per display, in call order.
    const outputs = html.split(/<div class="jp-Cell-outputWrapper">/).slice(1).join("");
    const captions = [...outputs.matchAll(/<caption>([^<]*)<\/caption>/g)].map((match) => match[1]);
    assert.deepEqual(captions, [
      "first table, mid-cell",
      "fifth: shown once, not twice",
      "sixth: inside a branch",
      "seventh: the last expression, shown once",
    ]);
    const order = ["first table", "second: Markdown mid-cell", "third: chart mid-cell", "fourth: the cell"]
      .map((text) => outputs.indexOf(text));
    assert.ok(
      order.every((index, position) => index >= 0 && (position === 0 || index > order[position - 1])),
      String(order),
    );
    assert.equal(outputs.match(/class="equilab-chart"/g)?.length, 1);
    // No empty output prompt is left where a value that displayed itself ended a cell: only the two
    // plain values ("imported", the fourth) have one.
    assert.deepEqual(html.match(/>Out\[\d+\]:</g), [">Out[1]:<", ">Out[2]:<"]);
  },
);

testNeeding("jupyter", "outputs the Deno kernel publishes after 'idle' still reach the report", async () => {
  const folder = await Deno.makeTempDir();
  const [run] = await runNotebooks({
    notebooks: [join(fixtures, "late_outputs.ipynb")],
    outputFolder: folder,
  });
  assert.equal(run.ok, true, run.error);
  const html = await Deno.readTextFile(join(folder, "late_outputs.html"));
  assert.equal(html.match(/class="equilab-chart"/g)?.length, 8);
  assert.ok(html.includes("last value"));
});

testNeeding(
  "jupyter",
  "deno task report without Jupyter exits 2 with one sentence, no traceback",
  async () => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(projectRoot(), "lib", "report", "cli.ts")],
      env: { EQUILAB_PYTHON: "/nonexistent/python3" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr).trim();
    assert.equal(output.code, 2);
    assert.match(
      stderr,
      /^Jupyter's nbconvert is not installed: install it with `apt-get install jupyter-nbconvert/,
    );
    assert.ok(!/Traceback|at .*\.ts:\d+/.test(stderr), stderr);
  },
);

testNeeding(
  "chromium",
  "exported report renders every Plotly chart offline in headless Chromium",
  async () => {
    let report = join(reportFolder, "00_environment.html");
    try {
      await Deno.stat(report);
    } catch {
      // The quick-mode run above did not produce it (e.g. run in isolation): make it now.
      await runNotebooks({
        notebooks: [join(projectRoot(), "notebooks", "00_environment.ipynb")],
        outputFolder: reportFolder,
      });
      report = join(reportFolder, "00_environment.html");
    }
    const html = await Deno.readTextFile(report);
    const ids = [...html.matchAll(/<div id="(equilab-chart-[^"]+)" class="equilab-chart"/g)].map((match) =>
      match[1]
    );
    assert.ok(ids.length >= 6, `expected the six chart kinds, found ${ids.length}`);
    const profile = await Deno.makeTempDir();
    const output = await new Deno.Command(chromium!, {
      args: [...chromiumArgs(profile), "--virtual-time-budget=10000", "--dump-dom", `file://${report}`],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const dom = new TextDecoder().decode(output.stdout);
    for (const id of ids) {
      const start = dom.indexOf(`id="${id}"`);
      assert.ok(start >= 0, `chart ${id} is in the DOM`);
      const next = dom.indexOf(`id="equilab-chart-`, start + 1);
      const chunk = dom.slice(start, next < 0 ? undefined : next);
      assert.ok(chunk.includes(`class="main-svg"`), `chart ${id} rendered an SVG`);
    }
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  },
);

testNeeding(
  "chromium",
  "every quick report fits a 1280 px viewport: no page wider, no table cut, no chart label outside its chart",
  async () => {
    let reports = [...Deno.readDirSync(reportFolder)].filter((entry) => /^\d\d_.*\.html$/.test(entry.name));
    if (reports.length === 0) {
      // The quick-mode run above did not produce them (e.g. run in isolation): make them now.
      await runNotebooks({
        outputFolder: reportFolder,
        environment: { EQUILAB_QUICK: "1", ...mirrorEnvironment() },
      });
      reports = [...Deno.readDirSync(reportFolder)].filter((entry) => /^\d\d_.*\.html$/.test(entry.name));
    }
    assert.equal(reports.length, listNotebooks().length);
    for (const report of reports.map((entry) => entry.name).sort()) {
      const visit = await visitOffline(
        pathToFileURL(join(reportFolder, report)).href,
        CHARTS_DRAWN,
        LAYOUT_PROBE,
      );
      const probe = visit.probe as LayoutProbe;
      assert.ok(visit.ready, `${report}: charts did not all draw`);
      assert.ok(
        probe.width <= probe.viewport,
        `${report}: the page is ${probe.width} px wide in a ${probe.viewport} px viewport`,
      );
      assert.deepEqual(probe.clipped, [], `${report}: content wider than its box`);
      assert.deepEqual(probe.overflow, [], `${report}: chart labels outside the chart`);
    }
  },
);
