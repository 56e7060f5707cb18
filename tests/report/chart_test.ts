import assert from "node:assert/strict";
import {
  barChart,
  BASELINE_GREYS,
  candlestick,
  FONT_STACK,
  heatmap,
  histogram,
  lineChart,
  MODEL_COLOURS,
  periodsWhere,
  PLOTLY_CONFIG,
  REFERENCE_COLOURS,
  scatterChart,
  wrapLabel,
} from "../../lib/report/mod.ts";
import { jsonForScript } from "../../lib/report/_html.ts";

Deno.test("each chart builder makes the right Plotly trace", () => {
  assert.equal(lineChart({ x: [1, 2], y: [3, 4] }).figure.data[0].mode, "lines");
  assert.equal(scatterChart({ x: [1, 2], y: [3, 4] }).figure.data[0].mode, "markers");
  // a series may be drawn as points on a line chart (trials beside a "best so far" line), and the reverse
  const mixed = lineChart([{ x: [1, 2], y: [3, 4], mode: "markers" }, { x: [1, 2], y: [3, 3] }]).figure.data;
  assert.deepEqual(mixed.map((trace) => trace.mode), ["markers", "lines"]);
  assert.equal(scatterChart({ x: [1], y: [1], mode: "lines" }).figure.data[0].mode, "lines");
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

Deno.test("every chart is drawn with the one offline config: no share/cloud button, link-out or logo", () => {
  assert.equal(PLOTLY_CONFIG.displaylogo, false);
  assert.equal(PLOTLY_CONFIG.showSendToCloud, false);
  assert.equal(PLOTLY_CONFIG.showLink, false);
  assert.equal(PLOTLY_CONFIG.showEditInChartStudio, false);
  assert.equal(PLOTLY_CONFIG.plotlyServerURL, "");
  assert.ok((PLOTLY_CONFIG.modeBarButtonsToRemove as string[]).includes("sendChartToCloud"));
  const charts = [
    lineChart({ x: [1], y: [1] }),
    scatterChart({ x: [1], y: [1] }),
    barChart({ x: ["a"], y: [1] }),
    histogram({ values: [1] }),
    heatmap({ z: [[1]] }),
    candlestick({ dates: ["2020-01-02"], open: [1], high: [2], low: [0.5], close: [1.5] }),
  ];
  for (const chart of charts) {
    const html = chart.toHtml();
    const match = html.match(/Plotly\.newPlot\("[^"]+",f\.data,f\.layout,(\{.*?\})\);/);
    assert.ok(match, "newPlot is called with a literal config");
    assert.deepEqual(JSON.parse(match[1]), { ...PLOTLY_CONFIG });
    assert.deepEqual(JSON.parse(chart.toMimeBundle()["application/vnd.plotly.v1+json"]).config, {
      ...PLOTLY_CONFIG,
    });
  }
});

Deno.test("axes grow their margins to fit labels; charts use the CJK font stack", () => {
  for (
    const chart of [
      lineChart({ x: ["a"], y: [1] }, { layout: {} }),
      barChart({ x: ["a"], y: [1] }),
      heatmap({
        z: [[1]],
      }),
    ]
  ) {
    const layout = chart.figure.layout as Record<string, Record<string, unknown>>;
    assert.equal(layout.xaxis.automargin, true);
    assert.equal(layout.yaxis.automargin, true);
    assert.equal(layout.font.family, FONT_STACK);
  }
  for (const font of ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"]) {
    assert.ok(FONT_STACK.includes(`"${font}"`), font);
  }
  assert.ok(FONT_STACK.endsWith("sans-serif"));
  const twoAxes = lineChart([{ x: [1], y: [1] }, { x: [1], y: [2], rightAxis: true }]);
  assert.equal((twoAxes.figure.layout.yaxis2 as Record<string, unknown>).automargin, true);
});

Deno.test("long category labels wrap at word boundaries; short ones and single words stay", () => {
  assert.equal(wrapLabel("two-branch LSTM with macro factors"), "two-branch LSTM<br>with macro<br>factors");
  assert.equal(wrapLabel("persistence"), "persistence");
  assert.equal(wrapLabel("averyveryverylongsingleword"), "averyveryverylongsingleword");
  assert.equal(
    wrapLabel("<b>bold</b> and a long tail here"),
    "&lt;b&gt;bold&lt;/b&gt; and<br>a long tail here",
  );
  const bars = barChart({ x: ["transformer with point-in-time fundamentals", "lstm"], y: [1, 2] });
  assert.deepEqual(bars.figure.data[0].x, ["transformer with<br>point-in-time<br>fundamentals", "lstm"]);
  const cells = heatmap({ z: [[1]], x: ["predicted up by a lot today"], y: ["true up by a lot today"] });
  assert.deepEqual(cells.figure.data[0].x, ["predicted up by<br>a lot today"]);
  assert.deepEqual(cells.figure.data[0].y, ["true up by a lot<br>today"]);
  // Dates on a line chart are never touched.
  assert.deepEqual(lineChart({ x: ["2020-01-02"], y: [1] }).figure.data[0].x, ["2020-01-02"]);
});

Deno.test("integer x values (epochs, trials) get whole-number ticks; an option overrides", () => {
  const xaxis = (chart: { figure: { layout: Record<string, unknown> } }) =>
    chart.figure.layout.xaxis as Record<string, unknown>;
  const epochs = lineChart({ x: [1, 2, 3, 4, 5], y: [0.9, 0.7, 0.6, 0.55, 0.5] });
  assert.equal(xaxis(epochs).tickformat, "d");
  assert.equal(xaxis(epochs).dtick, 1);
  const trials = scatterChart({ x: Array.from({ length: 60 }, (_, i) => i), y: new Array(60).fill(0) });
  assert.equal(xaxis(trials).tickformat, "d");
  assert.equal(xaxis(trials).dtick, undefined, "long ranges keep Plotly's automatic step");
  assert.equal(xaxis(lineChart({ x: [0.5, 1], y: [1, 2] })).tickformat, undefined);
  assert.equal(xaxis(lineChart({ x: ["2020-01-02"], y: [1] })).tickformat, undefined);
  assert.equal(xaxis(lineChart({ x: [1, 2], y: [1, 2] }, { integerX: false })).tickformat, undefined);
  assert.equal(xaxis(barChart({ x: [2019, 2020], y: [1, 2] })).tickformat, "d");
  assert.equal(xaxis(lineChart({ x: [0.5, 1.5], y: [1, 2] }, { integerX: true })).tickformat, "d");
});

Deno.test("every histogram has a y-axis title: count, or density when normalised", () => {
  const title = (chart: { figure: { layout: Record<string, unknown> } }) =>
    ((chart.figure.layout.yaxis as Record<string, unknown>).title as { text: string }).text;
  assert.equal(title(histogram({ values: [1, 2] })), "count");
  assert.equal(title(histogram({ values: [1, 2] }, { density: true })), "density");
  assert.equal(title(histogram({ values: [1, 2] }, { yTitle: "days" })), "days");
});

Deno.test("heatmaps: sequential (more = darker) with counts and a titled colour bar; diverging centred on 0", () => {
  const confusion = heatmap({ z: [[50, 3], [7, 40]], x: ["pred 涨", "pred 跌"], y: ["true 涨", "true 跌"] });
  const trace = confusion.figure.data[0];
  const scale = trace.colorscale as [number, string][];
  const lightness = (hex: string) =>
    [1, 3, 5].reduce((sum, start) => sum + parseInt(hex.slice(start, start + 2), 16), 0);
  assert.ok(
    lightness(scale[0][1]) > lightness(scale[scale.length - 1][1]),
    "the top of the scale is darkest",
  );
  assert.equal(trace.zmin, 0);
  assert.deepEqual(trace.text, [["50", "3"], ["7", "40"]]);
  assert.equal(trace.texttemplate, "%{text}");
  assert.equal((trace.colorbar as { title: { text: string } }).title.text, "count");
  assert.equal(
    ((heatmap({ z: [[0.5]] }).figure.data[0].colorbar) as { title: { text: string } }).title.text,
    "value",
  );
  const correlation =
    heatmap({ z: [[1, -0.4], [-0.4, 1]] }, { scale: "diverging", colorBarTitle: "correlation" })
      .figure.data[0];
  assert.equal(correlation.zmid, 0);
  assert.equal(correlation.zmin, undefined);
  assert.equal((correlation.colorbar as { title: { text: string } }).title.text, "correlation");
  const diverging = correlation.colorscale as [number, string][];
  assert.equal(diverging[Math.floor(diverging.length / 2)][0], 0.5);
  assert.equal(heatmap({ z: [[1]] }, { colorScale: "Viridis" }).figure.data[0].colorscale, "Viridis");
});

Deno.test("busy charts: the model in a strong colour drawn over greyed, dashed baselines; the legend keeps the given order", () => {
  const chart = lineChart([
    { name: "persistence", x: [1, 2], y: [1, 1], role: "baseline" },
    { name: "LSTM", x: [1, 2], y: [2, 3], role: "model" },
    { name: "ridge", x: [1, 2], y: [1, 2], role: "baseline" },
    { name: "plain", x: [1, 2], y: [0, 0] },
  ]);
  const traces = chart.figure.data as {
    name: string;
    line: { color?: string; dash: string; width?: number };
    legendrank: number;
  }[];
  // drawn last: the model; legend order: as given
  assert.deepEqual(traces.map((trace) => trace.name), ["persistence", "ridge", "plain", "LSTM"]);
  assert.deepEqual(
    [...traces].sort((a, b) => a.legendrank - b.legendrank).map((trace) => trace.name),
    ["persistence", "LSTM", "ridge", "plain"],
  );
  const byName = Object.fromEntries(traces.map((trace) => [trace.name, trace.line]));
  assert.equal(byName.LSTM.color, MODEL_COLOURS[0]);
  assert.equal(byName.LSTM.dash, "solid");
  assert.ok(byName.LSTM.width! > byName.persistence.width!);
  assert.deepEqual([byName.persistence.color, byName.ridge.color], [BASELINE_GREYS[0], BASELINE_GREYS[1]]);
  assert.equal(byName.persistence.dash, "dash");
  assert.equal(byName.plain.color, undefined);
  const bars = barChart([{ name: "model", x: ["a"], y: [1], role: "model" }, {
    name: "base",
    x: ["a"],
    y: [2],
    role: "baseline",
  }]);
  assert.deepEqual((bars.figure.data as { marker: { color: string } }[]).map((trace) => trace.marker.color), [
    MODEL_COLOURS[0],
    BASELINE_GREYS[0],
  ]);
});

Deno.test("shaded periods: one rectangle per stretch across the plot, below the data, named once in the legend", () => {
  const chart = lineChart({
    name: "volatility",
    x: ["2024-01-02", "2024-01-03", "2024-01-04"],
    y: [0.2, 0.4, 0.3],
  }, {
    shadedPeriods: [{ from: "2024-01-03", to: "2024-01-04" }],
    shadedLabel: "breaker tripped (exposure 0.5)",
  });
  const shapes = chart.figure.layout.shapes as Record<string, unknown>[];
  assert.equal(shapes.length, 1);
  assert.deepEqual(
    [shapes[0].x0, shapes[0].x1, shapes[0].yref, shapes[0].y0, shapes[0].y1, shapes[0].layer],
    ["2024-01-03", "2024-01-04", "paper", 0, 1, "below"],
  );
  const legend = (chart.figure.data as { name: string }[]).map((trace) => trace.name);
  assert.deepEqual(legend, ["volatility", "breaker tripped (exposure 0.5)"]);
  assert.equal(lineChart({ x: [1], y: [1] }).figure.layout.shapes, undefined);
});

Deno.test("log y axis: clean ticks, and error bars cut where they would leave the axis", () => {
  const chart = lineChart(
    [{ name: "MAPE", x: [1, 2], y: [0.02, 0.01], error: [0.005, 0.03], role: "model" }, {
      name: "paper",
      x: [1, 2],
      y: [0.01, 0.01],
      role: "reference",
    }],
    { logY: true },
  );
  const yaxis = chart.figure.layout.yaxis as Record<string, unknown>;
  assert.deepEqual([yaxis.type, yaxis.dtick, yaxis.exponentformat], ["log", "D2", "none"]);
  const traces = chart.figure.data as Record<string, Record<string, unknown>>[];
  const [model, paper] = ["MAPE", "paper"].map((name) =>
    traces.find((trace) => String(trace.name) === name)!
  );
  // 0.02 − 0.005 stays; 0.01 − 0.03 would be below zero: cut to 0.9 × 0.01
  assert.deepEqual(model.error_y.arrayminus, [0.005, 0.009]);
  assert.deepEqual(model.error_y.array, [0.005, 0.03]);
  assert.equal(model.error_y.symmetric, false);
  assert.deepEqual([paper.line.color, paper.line.dash], [REFERENCE_COLOURS[0], "dot"]);
  // without logY the bars stay symmetric
  const plain = lineChart({ x: [1], y: [0.01], error: [0.03] }).figure.data as Record<
    string,
    Record<string, unknown>
  >[];
  assert.equal(plain[0].error_y.arrayminus, undefined);
});

Deno.test("periodsWhere: consecutive flagged x values as one stretch each, up to the next x", () => {
  assert.deepEqual(periodsWhere(["d1", "d2", "d3", "d4", "d5"], [true, true, false, true, false]), [
    { from: "d1", to: "d3" },
    { from: "d4", to: "d5" },
  ]);
  assert.deepEqual(periodsWhere(["d1", "d2", "d3"], [false, true, true]), [{ from: "d2", to: "d3" }]);
  assert.deepEqual(periodsWhere([1, 2], [false, false]), []);
  assert.throws(() => periodsWhere([1], [true, false]), /1 x values for 2 flags/);
});
