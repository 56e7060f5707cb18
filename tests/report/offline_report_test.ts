/**
 * Reports a teacher puts on the projector (issue 19): an exported report is one self-contained file —
 * no `file://` path of the exporting machine, no script or stylesheet from anywhere, no Plotly cloud
 * button, link-out or logo — and it draws every chart in a browser with no network, requesting nothing
 * but itself. Its tab reads the notebook's first heading; `hideCode` leaves the code out.
 *
 * Method of the browser check: headless Chromium with DNS mapped to nothing, a proxy to a closed port
 * and no loopback bypass (tests/report/_cdp.ts) is driven over the DevTools protocol; every request the
 * page makes (file:, http(s):, data:, blob:) is logged from the Network domain, and each chart's
 * `svg.main-svg` is looked up in the live DOM.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FONT_STACK, PLOTLY_CONFIG } from "../../lib/report/chart.ts";
import { runNotebooks } from "../../lib/report/runner.ts";
import { projectRoot } from "../../lib/report/plotly_bundle.ts";
import { mirrorEnvironment, testNeeding } from "./_jupyter.ts";
import { visitOffline } from "./_cdp.ts";
import { assertOfflineReport } from "./_offline.ts";

const folder = await Deno.makeTempDir({ prefix: "equilab-offline-report-" });
let exported: string | undefined;

/** The quick-mode report of 00_environment (every chart kind), exported once for this file's tests. */
async function environmentReport(): Promise<string> {
  if (exported) return exported;
  const [run] = await runNotebooks({
    notebooks: [join(projectRoot(), "notebooks", "00_environment.ipynb")],
    outputFolder: folder,
    environment: { EQUILAB_QUICK: "1", ...mirrorEnvironment() },
  });
  assert.equal(run.ok, true, run.error);
  exported = join(folder, run.report);
  return exported;
}

testNeeding(
  "jupyter",
  "an exported report is self-contained, every chart has the offline config, the tab reads the first heading",
  async () => {
    const html = await Deno.readTextFile(await environmentReport());
    const charts = assertOfflineReport(html, "00_environment.html");
    assert.ok(charts >= 6, `expected the six chart kinds, found ${charts}`);
    assert.match(html, /<title>00 · The EquiLab environment<\/title>/);
    assert.ok(!html.includes("<title>Notebook</title>"));
    assert.match(html, /class="[^"]*\bjp-InputArea-editor\b/, "code is shown by default");
    assert.ok(html.includes(`--jp-content-font-family:${FONT_STACK}`), "the page uses the CJK font stack");
  },
);

testNeeding(
  "chromium",
  "a report draws every chart with the network blocked and requests only itself",
  async () => {
    const report = await environmentReport();
    const url = pathToFileURL(report).href;
    const visit = await visitOffline(
      url,
      `[...document.querySelectorAll(".equilab-chart")].every((chart) => chart.querySelector("svg.main-svg"))`,
      `({
      charts: document.querySelectorAll(".equilab-chart").length,
      drawn: document.querySelectorAll(".equilab-chart svg.main-svg").length > 0
        ? [...document.querySelectorAll(".equilab-chart")].filter((chart) => chart.querySelector("svg.main-svg")).length
        : 0,
      links: [...document.querySelectorAll(".equilab-chart a[href]")].map((link) => link.href),
      buttons: [...new Set([...document.querySelectorAll(".equilab-chart .modebar-btn")]
        .map((button) => button.getAttribute("data-title")))],
      title: document.title,
    })`,
    );
    const probe = visit.probe as {
      charts: number;
      drawn: number;
      links: string[];
      buttons: string[];
      title: string;
    };
    assert.ok(visit.ready, `charts did not all draw: ${JSON.stringify(probe)}`);
    assert.ok(probe.charts >= 6);
    assert.equal(probe.drawn, probe.charts);
    assert.equal(probe.title, "00 · The EquiLab environment");
    assert.deepEqual(probe.links, [], "no chart links anywhere (Plotly logo, Chart Studio)");
    assert.ok(probe.buttons.includes("Download plot as a PNG"), "the mode bar is there");
    assert.ok(
      !probe.buttons.some((title) => /cloud|chart studio|edit/i.test(title)),
      probe.buttons.join(", "),
    );
    const outside = visit.requests.filter((request) =>
      request !== url && !request.startsWith("data:") && !request.startsWith("blob:")
    );
    assert.deepEqual(outside, [], "the report requests nothing but itself");
    assert.deepEqual(visit.failed, []);
  },
);

testNeeding(
  "jupyter",
  "hideCode (deno task report --no-code) leaves code cells out and keeps outputs",
  async () => {
    const output = await Deno.makeTempDir();
    const [run] = await runNotebooks({
      notebooks: [join(projectRoot(), "tests", "fixtures", "late_outputs.ipynb")],
      outputFolder: output,
      hideCode: true,
    });
    assert.equal(run.ok, true, run.error);
    const html = await Deno.readTextFile(join(output, run.report));
    // Shown code sits in a CodeMirror input editor (highlighted token by token, so not searchable as text).
    assert.ok(!/class="[^"]*\bjp-InputArea-editor\b/.test(html), "no code input area");
    assert.ok(!/<span class="n">lineChart<\/span>/.test(html), "no highlighted code");
    assert.ok(!/<div class="jp-InputPrompt/.test(html), "no input prompts");
    assert.equal(html.match(/class="equilab-chart"/g)?.length, 8, "every output is still there");
    assert.ok(html.includes("last value"));
    assert.ok(html.includes("Fixture: many outputs from one cell"), "Markdown cells stay");
    assert.match(html, /<title>Fixture: many outputs from one cell \(the Deno kernel/);
    assertOfflineReport(html, "late_outputs.html");
    await Deno.remove(output, { recursive: true });
  },
);

Deno.test("the offline-report assertion catches machine paths, remote scripts and a changed config", () => {
  const chart = (config: unknown) =>
    `<div id="c" class="equilab-chart"></div><script>(function(){var f={};` +
    `window.Plotly.newPlot("c",f.data,f.layout,${JSON.stringify(config)});})();</script>`;
  const good = `<html><head><title>t</title></head><body>${chart(PLOTLY_CONFIG)}</body></html>`;
  assert.equal(assertOfflineReport(good, "good"), 1);
  assert.throws(
    () =>
      assertOfflineReport(
        good.replace(
          "<title>",
          `<script src="file:///usr/share/javascript/requirejs/require.min.js"></script><title>`,
        ),
        "x",
      ),
    /file:\/\//,
  );
  assert.throws(
    () =>
      assertOfflineReport(
        good.replace("<title>", `<script src="https://cdn.example/x.js"></script><title>`),
        "x",
      ),
    /script/,
  );
  assert.throws(
    () =>
      assertOfflineReport(
        good.replace("<title>", `<link rel="stylesheet" href="//cdn.example/x.css"><title>`),
        "x",
      ),
    /link/,
  );
  assert.throws(() =>
    assertOfflineReport(good.replace(chart(PLOTLY_CONFIG), chart({ displaylogo: true })), "x")
  );
});
