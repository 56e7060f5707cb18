/** Static checks that an exported report loads nothing and draws every chart with the offline config. */
import assert from "node:assert/strict";
import { PLOTLY_CONFIG } from "../../lib/report/chart.ts";

/**
 * Asserts that a report names no `file://` path, loads no script or stylesheet by URL, and that every
 * chart is drawn with {@link PLOTLY_CONFIG}; returns the number of charts.
 */
export function assertOfflineReport(html: string, name: string): number {
  assert.ok(!html.includes("file://"), `${name}: contains a file:// path of the exporting machine`);
  const scripts = html.match(/<script\b[^>]*\ssrc\s*=[^>]*>/gi) ?? [];
  assert.deepEqual(scripts, [], `${name}: loads a script by URL`);
  const links = (html.match(/<link\b[^>]*>/gi) ?? []).filter((link) =>
    /\shref\s*=\s*["']?(?:https?:|file:|\/\/)/i.test(link)
  );
  assert.deepEqual(links, [], `${name}: links a remote or local file`);
  assert.ok(!/url\(\s*["']?(?:https?:|file:|\/\/)/i.test(html), `${name}: CSS loads a url()`);
  const charts = html.match(/class="equilab-chart"/g)?.length ?? 0;
  const configs = [...html.matchAll(/Plotly\.newPlot\("[^"]+",f\.data,f\.layout,(\{.*?\})\);/g)];
  assert.equal(configs.length, charts, `${name}: every chart calls Plotly.newPlot with a literal config`);
  for (const [, config] of configs) {
    assert.deepEqual(JSON.parse(config), { ...PLOTLY_CONFIG }, `${name}: a chart's Plotly config`);
  }
  return charts;
}
