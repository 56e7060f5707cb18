import assert from "node:assert/strict";
import { barChart, candlestick, heatmap, histogram, lineChart, scatterChart } from "../../lib/report/mod.ts";
import { jsonForScript } from "../../lib/report/_html.ts";

Deno.test("each chart builder makes the right Plotly trace", () => {
  assert.equal(lineChart({ x: [1, 2], y: [3, 4] }).figure.data[0].mode, "lines");
  assert.equal(scatterChart({ x: [1, 2], y: [3, 4] }).figure.data[0].mode, "markers");
  assert.equal(barChart({ x: ["a"], y: [1] }).figure.data[0].type, "bar");
  assert.equal(barChart({ x: ["a"], y: [1] }, { stacked: true }).figure.layout.barmode, "stack");
  assert.equal(histogram({ values: [1, 2, 2] }, { bins: 10 }).figure.data[0].nbinsx, 10);
  assert.equal(heatmap({ z: [[1, 2], [3, 4]] }).figure.data[0].type, "heatmap");
  const candles = candlestick({ dates: ["2020-01-02"], open: [1], high: [2], low: [0.5], close: [1.5] });
  assert.equal(candles.figure.data[0].type, "candlestick");
  assert.equal(
    candlestick({ dates: [], open: [], high: [], low: [], close: [] }, { ohlc: true }).figure.data[0].type,
    "ohlc",
  );
});

Deno.test("chart data: typed arrays become lists, non-finite values become gaps, digits are trimmed", () => {
  const chart = lineChart({
    x: new Float64Array([1, 2, 3]),
    y: new Float64Array([1 / 3, Number.NaN, Infinity]),
  });
  assert.deepEqual(chart.figure.data[0].x, [1, 2, 3]);
  assert.deepEqual(chart.figure.data[0].y, [0.3333333, null, null]);
});

Deno.test("error bars, right axis and titles reach the figure", () => {
  const chart = lineChart([{ name: "a", x: [1], y: [2], error: [0.5] }, {
    name: "b",
    x: [1],
    y: [3],
    rightAxis: true,
  }], {
    title: "T",
    xTitle: "X",
  });
  assert.deepEqual(chart.figure.data[0].error_y, { type: "data", array: [0.5], visible: true });
  assert.equal(chart.figure.data[1].yaxis, "y2");
  assert.deepEqual(chart.figure.layout.title, { text: "T" });
});

Deno.test("chart HTML is a div plus a script that cannot be broken out of by data", () => {
  const chart = barChart({ name: "</script><script>alert(1)</script>", x: ["a"], y: [1] });
  const html = chart.toHtml();
  assert.ok(html.startsWith(`<div id="${chart.displayId}" class="equilab-chart"`));
  assert.equal(html.match(/<\/script>/g)?.length, 1);
  // The name is escaped twice over: for Plotly (&lt;) and for the script (\u0026).
  assert.ok(html.includes("\\u0026lt;/script\\u0026gt;"));
  assert.ok(html.includes("Plotly.newPlot"));
  assert.ok(html.length < 2000, "a chart output stays small: the bundle is never inside it");
});

Deno.test("chart MIME bundle carries HTML, Plotly JSON and a text fallback; ids are unique", () => {
  const first = lineChart({ x: [1], y: [1] }, { title: "loss" });
  const bundle = first.toMimeBundle();
  assert.ok(bundle["text/html"].includes(first.displayId));
  assert.deepEqual(JSON.parse(bundle["application/vnd.plotly.v1+json"]).data[0].y, [1]);
  assert.equal(bundle["text/plain"], "[chart: loss]");
  assert.notEqual(lineChart({ x: [1], y: [1] }).displayId, first.displayId);
});

Deno.test("jsonForScript escapes characters that end scripts or break JavaScript", () => {
  assert.equal(jsonForScript("<\u2028&>"), '"\\u003c\\u2028\\u0026\\u003e"');
});
