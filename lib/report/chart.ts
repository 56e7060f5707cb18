/**
 * Interactive Plotly charts: one small API used by every notebook. A chart displays live in
 * Jupyter and exports offline: its HTML is a `<div>` plus a short script calling
 * `Plotly.newPlot`; the Plotly bundle itself is added once per exported report by the runner.
 */
import { inJupyter, JUPYTER_DISPLAY, type MimeBundle, nextDisplayId, recordDisplay } from "./display.ts";
import { escapeHtml, jsonForScript } from "./_html.ts";
import { plotlyBundlePath } from "./plotly_bundle.ts";

/** Values accepted on an axis. */
export type AxisValues = ArrayLike<number | string> | Iterable<number | string>;

/**
 * Options shared by every chart. Titles, legend names and category labels are shown as text: `<`, `>`
 * and `&` in them are escaped for Plotly (see {@link plotlyText}); `layout` is passed as it is.
 */
export interface ChartArgs {
  /** Title above the plot. Default none. */
  title?: string;
  /** x-axis title. Default none. */
  xTitle?: string;
  /** y-axis title. Default none. */
  yTitle?: string;
  /** Height in pixels. Default 420. */
  heightPixels?: number;
  /** Significant digits kept for numbers (smaller reports). Default 7. */
  significantDigits?: number;
  /** Extra Plotly layout keys, merged last (escape hatch). */
  layout?: Record<string, unknown>;
}

/** One line or scatter series. */
export interface XySeries {
  /** Legend name. */
  name?: string;
  /** x values (dates as `YYYY-MM-DD` strings work). */
  x: AxisValues;
  /** y values. */
  y: AxisValues;
  /** Line style. Default "solid". */
  dash?: "solid" | "dash" | "dot" | "dashdot";
  /** Draw against a second y axis on the right. Default false. */
  rightAxis?: boolean;
  /** Symmetric error bars (e.g. the std over seeds). */
  error?: AxisValues;
}

/** One bar series. */
export interface BarSeries {
  /** Legend name. */
  name?: string;
  /** Categories. */
  x: AxisValues;
  /** Heights. */
  y: AxisValues;
  /** Symmetric error bars (e.g. std over seeds). */
  error?: AxisValues;
}

/** Options of {@link barChart}. */
export interface BarChartArgs extends ChartArgs {
  /** Stack series instead of grouping. Default false. */
  stacked?: boolean;
}

/** Options of {@link histogram}. */
export interface HistogramArgs extends ChartArgs {
  /** Number of bins (approximate, Plotly's `nbinsx`). Default Plotly's choice. */
  bins?: number;
  /** Show probability density instead of counts. Default false. */
  density?: boolean;
}

/** Input of {@link heatmap}. */
export interface HeatmapData {
  /** Rows of values: z[row][column]. */
  z: ArrayLike<number>[];
  /** Column labels. */
  x?: AxisValues;
  /** Row labels. */
  y?: AxisValues;
}

/** Options of {@link heatmap}. */
export interface HeatmapArgs extends ChartArgs {
  /** Write each value in its cell. Default true when there are at most 400 cells. */
  annotate?: boolean;
  /** Plotly colour scale name. Default "Blues". */
  colorScale?: string;
}

/** Input of {@link candlestick}: daily bars. */
export interface CandlestickData {
  /** Trading days as `YYYY-MM-DD`. */
  dates: AxisValues;
  /** Open prices. */
  open: AxisValues;
  /** High prices. */
  high: AxisValues;
  /** Low prices. */
  low: AxisValues;
  /** Close prices. */
  close: AxisValues;
  /** Legend name. */
  name?: string;
}

/** Options of {@link candlestick}. */
export interface CandlestickArgs extends ChartArgs {
  /** Draw OHLC ticks instead of candles. Default false. */
  ohlc?: boolean;
  /** Show Plotly's range slider under the chart. Default false. */
  rangeSlider?: boolean;
}

/** A Plotly figure. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/**
 * A chart: displays itself in Jupyter and renders to HTML for reports.
 *
 * @example
 * ```ts
 * import { lineChart } from "./chart.ts";
 * const chart = lineChart({ name: "close", x: ["2020-01-02", "2020-01-03"], y: [1, 2] });
 * const html = chart.toHtml();
 * ```
 */
export class Chart {
  /** Id of the chart's `<div>`. */
  readonly displayId: string;
  /** The Plotly figure (data + layout). */
  readonly figure: Figure;

  constructor(figure: Figure) {
    this.figure = figure;
    this.displayId = nextDisplayId("chart");
  }

  /** `<div>` + script; the script waits for `window.Plotly`, then draws. */
  toHtml(): string {
    const id = escapeHtml(this.displayId);
    const height = Number(this.figure.layout.height ?? 420);
    return `<div id="${id}" class="equilab-chart" style="width:100%;min-height:${height}px"></div>` +
      `<script>(function(){var f=${jsonForScript(this.figure)};var n=0;` +
      `function draw(){if(window.Plotly){window.Plotly.newPlot(${
        jsonForScript(this.displayId)
      },f.data,f.layout,{responsive:true,displaylogo:false});}` +
      `else if(n++<200){setTimeout(draw,50);}}draw();})();</script>`;
  }

  /** Jupyter MIME bundle: HTML (exported by nbconvert) plus Plotly JSON (native renderers). */
  toMimeBundle(): MimeBundle {
    const title = this.figure.layout.title as { text?: string } | undefined;
    return {
      "text/html": liveBundleScript() + this.toHtml(),
      "application/vnd.plotly.v1+json": JSON.stringify({
        data: this.figure.data,
        layout: this.figure.layout,
      }),
      "text/plain": `[chart${title?.text ? `: ${unescapePlotlyText(title.text)}` : ""}]`,
    };
  }

  /** Called by the Deno kernel to render the chart. */
  [JUPYTER_DISPLAY](): MimeBundle {
    recordDisplay(this.displayId, "chart");
    return this.toMimeBundle();
  }
}

let liveBundleSent = false;

/**
 * In live Jupyter (not under the report runner) the first chart of a kernel session carries the
 * Plotly bundle inline so charts draw without a network; exported reports get it once in `<head>`.
 */
function liveBundleScript(): string {
  if (liveBundleSent || !inJupyter() || Deno.env.get("EQUILAB_REPORT") === "1") return "";
  try {
    const code = Deno.readTextFileSync(plotlyBundlePath());
    liveBundleSent = true;
    return `<script>if(!window.Plotly){${code.replaceAll("</script", "<\\/script")}}</script>`;
  } catch {
    return `<p><em>Plotly bundle not built yet: run <code>deno task report</code> once, then re-run this cell.</em></p>`;
  }
}

/**
 * Text for Plotly: Plotly reads titles, legend names, category labels and hover text as its own small
 * HTML dialect (`<b>`, `<a href>`, `<br>`…). Escaping `&`, `<` and `>` as entities, which Plotly decodes
 * back to characters, makes data-derived text (stock codes, file names) show literally, never as markup.
 *
 * @example
 * ```ts
 * import { plotlyText } from "./chart.ts";
 * plotlyText("<b>600519</b>"); // "&lt;b&gt;600519&lt;/b&gt;"
 * ```
 */
export function plotlyText(text: string): string {
  return text.replace(/[&<>]/g, (character) => PLOTLY_ENTITIES[character]);
}
const PLOTLY_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** The text {@link plotlyText} escaped, back as it was (for text/plain). */
function unescapePlotlyText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function toList(values: AxisValues | undefined, digits: number): (number | string | null)[] | undefined {
  if (values === undefined) return undefined;
  const list = Array.from(values as Iterable<number | string>);
  return list.map((value) => {
    if (typeof value === "string") return plotlyText(value);
    if (typeof value !== "number") return value;
    if (!Number.isFinite(value)) return null;
    return Number(value.toPrecision(digits));
  });
}

function baseLayout(args: ChartArgs): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    height: args.heightPixels ?? 420,
    margin: { l: 60, r: 30, t: args.title ? 50 : 20, b: 50 },
    xaxis: { title: { text: plotlyText(args.xTitle ?? "") } },
    yaxis: { title: { text: plotlyText(args.yTitle ?? "") } },
    legend: { orientation: "h", y: -0.2 },
    template: { layout: { font: { family: "system-ui, sans-serif" } } },
  };
  if (args.title) layout.title = { text: plotlyText(args.title) };
  return { ...layout, ...(args.layout ?? {}) };
}

function asSeriesList<T>(series: T | T[]): T[] {
  return Array.isArray(series) ? series : [series];
}

function xyChart(series: XySeries | XySeries[], args: ChartArgs, mode: string): Chart {
  const digits = args.significantDigits ?? 7;
  const list = asSeriesList(series);
  const layout = baseLayout(args);
  if (list.some((item) => item.rightAxis)) {
    layout.yaxis2 = { overlaying: "y", side: "right", showgrid: false };
  }
  const data = list.map((item) => {
    const trace: Record<string, unknown> = {
      type: "scatter",
      mode,
      name: plotlyText(item.name ?? ""),
      x: toList(item.x, digits),
      y: toList(item.y, digits),
      line: { dash: item.dash ?? "solid" },
    };
    if (item.rightAxis) trace.yaxis = "y2";
    if (item.error) trace.error_y = { type: "data", array: toList(item.error, digits), visible: true };
    return trace;
  });
  return new Chart({ data, layout });
}

/**
 * Lines over x (e.g. prices over dates, loss per epoch).
 *
 * @example
 * ```ts
 * import { lineChart } from "./chart.ts";
 * lineChart([{ name: "loss", x: [1, 2, 3], y: [0.9, 0.5, 0.4] }], { title: "Training loss" });
 * ```
 */
export function lineChart(series: XySeries | XySeries[], args: ChartArgs = {}): Chart {
  return xyChart(series, args, "lines");
}

/**
 * Points (e.g. predicted vs actual).
 *
 * @example
 * ```ts
 * import { scatterChart } from "./chart.ts";
 * scatterChart({ name: "fit", x: [1, 2, 3], y: [1.1, 1.9, 3.2] }, { xTitle: "actual", yTitle: "predicted" });
 * ```
 */
export function scatterChart(series: XySeries | XySeries[], args: ChartArgs = {}): Chart {
  return xyChart(series, args, "markers");
}

/**
 * Bars per category, grouped or stacked, with optional error bars.
 *
 * @example
 * ```ts
 * import { barChart } from "./chart.ts";
 * barChart({ name: "share", x: ["涨", "跌", "稳"], y: [0.196, 0.294, 0.511] });
 * ```
 */
export function barChart(series: BarSeries | BarSeries[], args: BarChartArgs = {}): Chart {
  const digits = args.significantDigits ?? 7;
  const data = asSeriesList(series).map((item) => {
    const trace: Record<string, unknown> = {
      type: "bar",
      name: plotlyText(item.name ?? ""),
      x: toList(item.x, digits),
      y: toList(item.y, digits),
    };
    if (item.error) trace.error_y = { type: "data", array: toList(item.error, digits), visible: true };
    return trace;
  });
  return new Chart({ data, layout: { ...baseLayout(args), barmode: args.stacked ? "stack" : "group" } });
}

/**
 * Distribution of values.
 *
 * @example
 * ```ts
 * import { histogram } from "./chart.ts";
 * histogram({ name: "daily return", values: [0.01, -0.02, 0.003] }, { bins: 50 });
 * ```
 */
export function histogram(
  series: { name?: string; values: AxisValues } | { name?: string; values: AxisValues }[],
  args: HistogramArgs = {},
): Chart {
  const digits = args.significantDigits ?? 7;
  const list = asSeriesList(series);
  const data = list.map((item) => {
    const trace: Record<string, unknown> = {
      type: "histogram",
      name: plotlyText(item.name ?? ""),
      x: toList(item.values, digits),
      opacity: list.length > 1 ? 0.6 : 1,
    };
    if (args.bins) trace.nbinsx = args.bins;
    if (args.density) trace.histnorm = "probability density";
    return trace;
  });
  return new Chart({ data, layout: { ...baseLayout(args), barmode: "overlay" } });
}

/**
 * A matrix as coloured cells (e.g. a confusion matrix).
 *
 * @example
 * ```ts
 * import { heatmap } from "./chart.ts";
 * heatmap({ z: [[50, 3], [7, 40]], x: ["pred 涨", "pred 跌"], y: ["true 涨", "true 跌"] });
 * ```
 */
export function heatmap(input: HeatmapData, args: HeatmapArgs = {}): Chart {
  const digits = args.significantDigits ?? 7;
  const z = input.z.map((row) => toList(row, digits));
  const cells = z.reduce((sum, row) => sum + (row?.length ?? 0), 0);
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z,
    x: toList(input.x, digits),
    y: toList(input.y, digits),
    colorscale: args.colorScale ?? "Blues",
  };
  if (args.annotate ?? cells <= 400) {
    trace.text = z.map((row) => (row ?? []).map((value) => (value === null ? "" : String(value))));
    trace.texttemplate = "%{text}";
  }
  const layout = baseLayout(args);
  layout.yaxis = { ...(layout.yaxis as Record<string, unknown>), autorange: "reversed" };
  return new Chart({ data: [trace], layout });
}

/**
 * Daily bars as candlesticks (or OHLC ticks).
 *
 * @example
 * ```ts
 * import { candlestick } from "./chart.ts";
 * candlestick({ dates: ["2020-01-02"], open: [10], high: [11], low: [9.5], close: [10.5] });
 * ```
 */
export function candlestick(input: CandlestickData, args: CandlestickArgs = {}): Chart {
  const digits = args.significantDigits ?? 7;
  const trace = {
    type: args.ohlc ? "ohlc" : "candlestick",
    name: plotlyText(input.name ?? ""),
    x: toList(input.dates, digits),
    open: toList(input.open, digits),
    high: toList(input.high, digits),
    low: toList(input.low, digits),
    close: toList(input.close, digits),
    // 涨 red / 跌 green, as Chinese quote screens show them.
    increasing: { line: { color: "#d62728" } },
    decreasing: { line: { color: "#2ca02c" } },
  };
  const layout = baseLayout(args);
  layout.xaxis = {
    ...(layout.xaxis as Record<string, unknown>),
    rangeslider: { visible: args.rangeSlider ?? false },
  };
  return new Chart({ data: [trace], layout });
}
