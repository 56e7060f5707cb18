/**
 * Interactive Plotly charts: one small API used by every notebook. A chart displays live in
 * Jupyter and exports offline: its HTML is a `<div>` plus a short script calling
 * `Plotly.newPlot`; the Plotly bundle itself is added once per exported report by the runner.
 */
import {
  alreadyDisplayed,
  displayWhenCalled,
  inJupyter,
  JUPYTER_DISPLAY,
  type MimeBundle,
  nextDisplayId,
  recordDisplay,
} from "./display.ts";
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
  /**
   * Whole-number ticks on the x axis (`tickformat: "d"`, one tick per step on short ranges), for
   * epochs, trials, seeds. Default: on when every x value is an integer number.
   */
  integerX?: boolean;
  /**
   * Stretches of x shaded across the plot (e.g. the days a circuit breaker held half exposure), each
   * `from`..`to` inclusive, named once in the legend by `label`. Default none.
   */
  shadedPeriods?: { from: number | string; to: number | string }[];
  /** Legend name of the shaded periods. Default "shaded periods". */
  shadedLabel?: string;
  /**
   * A log-scale y axis with clean ticks (1, 2, 5 per decade, no exponents); error bars that would reach
   * zero or below are cut at a tenth of their value, so they stay on the axis. Default false.
   */
  logY?: boolean;
  /** Extra Plotly layout keys, merged last (escape hatch). */
  layout?: Record<string, unknown>;
}

/**
 * The stretches of consecutive x values where `flags` is true, as {@link ChartArgs.shadedPeriods}: each
 * from its first flagged x to the x after its last one (so a one-day stretch has a width), or to the
 * last x when it runs to the end.
 *
 * @example
 * ```ts
 * import { periodsWhere } from "./chart.ts";
 * periodsWhere(["d1", "d2", "d3", "d4"], [true, true, false, true]); // [{ from: "d1", to: "d3" }, { from: "d4", to: "d4" }]
 * ```
 */
export function periodsWhere<X extends number | string>(
  x: readonly X[],
  flags: readonly boolean[],
): { from: X; to: X }[] {
  if (x.length !== flags.length) {
    throw new RangeError(`periodsWhere: ${x.length} x values for ${flags.length} flags`);
  }
  const periods: { from: X; to: X }[] = [];
  for (let index = 0; index < x.length; index++) {
    if (!flags[index] || (index > 0 && flags[index - 1])) continue;
    let end = index;
    while (end + 1 < x.length && flags[end + 1]) end++;
    periods.push({ from: x[index], to: x[Math.min(end + 1, x.length - 1)] });
  }
  return periods;
}

/**
 * What a series is, for its colour: `"model"` draws in a strong colour over everything else,
 * `"baseline"` in greys (dashed for lines), `"reference"` (a published figure) in near-black dots, so
 * that on a busy chart the eye finds the model first. Default: Plotly's palette.
 */
export type SeriesRole = "model" | "baseline" | "reference";

/** Colours of reference series (published figures), in order. */
export const REFERENCE_COLOURS = ["#222222", "#555555"] as const;

/** Strong colours of model series, in order. */
export const MODEL_COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"] as const;
/** Greys of baseline series, in order. */
export const BASELINE_GREYS = ["#7f7f7f", "#a6a6a6", "#4d4d4d", "#c7c7c7"] as const;

/** Colour of each series by role (undefined: Plotly's palette), counting models and baselines apart. */
function roleColours(roles: readonly (SeriesRole | undefined)[]): (string | undefined)[] {
  let models = 0, baselines = 0, references = 0;
  return roles.map((role) =>
    role === "model"
      ? MODEL_COLOURS[models++ % MODEL_COLOURS.length]
      : role === "baseline"
      ? BASELINE_GREYS[baselines++ % BASELINE_GREYS.length]
      : role === "reference"
      ? REFERENCE_COLOURS[references++ % REFERENCE_COLOURS.length]
      : undefined
  );
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
  /** Model or baseline ({@link SeriesRole}). Default: neither. */
  role?: SeriesRole;
  /** Draw this series as points or as a line, whatever the chart's kind (e.g. trials as points beside a "best so far" line). Default: the chart's. */
  mode?: "lines" | "markers";
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
  /** Model or baseline ({@link SeriesRole}). Default: neither. */
  role?: SeriesRole;
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
  /**
   * "sequential" (default; confusion matrices, counts): light to dark blue, more = darker, from 0 when
   * no value is negative. "diverging" (correlations): blue below 0, white at 0, red above, centred on 0.
   */
  scale?: "sequential" | "diverging";
  /** A Plotly colour scale name, overriding `scale`'s colours (escape hatch). Default none. */
  colorScale?: string;
  /** Title of the colour bar. Default "count" when every value is a whole number ≥ 0, else "value". */
  colorBarTitle?: string;
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

/**
 * Font stack of every chart and of the report page: the system UI font for Latin text, then CJK fonts
 * so 涨/跌/稳 and stock names render on Linux, macOS and Windows projectors alike.
 */
export const FONT_STACK =
  'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

/**
 * The Plotly config every chart is drawn with (the one place it is set): nothing on a chart links or
 * sends anywhere — no "share chart"/send-to-cloud button, no "edit chart" link-out, no Plotly logo, no
 * server URL, no MathJax typesetting.
 */
export const PLOTLY_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  responsive: true,
  displaylogo: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
  showLink: false,
  plotlyServerURL: "",
  typesetMath: false,
  modeBarButtonsToRemove: ["sendChartToCloud", "sendDataToCloud", "editInChartStudio"],
});

/** Category labels longer than this many characters are wrapped at spaces (`<br>`). */
export const LABEL_WRAP_CHARACTERS = 16;

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
  /** The Plotly config ({@link PLOTLY_CONFIG}). */
  readonly config: Readonly<Record<string, unknown>> = PLOTLY_CONFIG;

  constructor(figure: Figure) {
    this.figure = figure;
    this.displayId = nextDisplayId("chart");
    displayWhenCalled(this, "chart");
  }

  /** `<div>` + script; the script waits for `window.Plotly`, then draws. */
  toHtml(): string {
    const id = escapeHtml(this.displayId);
    const height = Number(this.figure.layout.height ?? 420);
    return `<div id="${id}" class="equilab-chart" style="width:100%;min-height:${height}px"></div>` +
      `<script>(function(){var f=${jsonForScript(this.figure)};var n=0;` +
      `function draw(){if(window.Plotly){window.Plotly.newPlot(${
        jsonForScript(this.displayId)
      },f.data,f.layout,${jsonForScript(this.config)});}` +
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
        config: this.config,
      }),
      "text/plain": `[chart${title?.text ? `: ${unescapePlotlyText(title.text)}` : ""}]`,
    };
  }

  /** Called by the Deno kernel to render the chart. */
  [JUPYTER_DISPLAY](): MimeBundle {
    // Displayed when made (in Jupyter): as the cell's last value it adds nothing.
    if (alreadyDisplayed(this.displayId)) return {};
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

/**
 * A category label for Plotly ({@link plotlyText}), wrapped with `<br>` at spaces into lines of at most
 * `width` characters where it can be (a longer word stays whole), so long labels are not cut or tilted.
 *
 * @example
 * ```ts
 * import { wrapLabel } from "./chart.ts";
 * wrapLabel("two-branch LSTM with macro factors"); // "two-branch LSTM<br>with macro<br>factors"
 * ```
 */
export function wrapLabel(text: string, width = LABEL_WRAP_CHARACTERS): string {
  const words = text.trim().split(/\s+/);
  if (text.length <= width || words.length < 2) return plotlyText(text);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map(plotlyText).join("<br>");
}

/** Like toList, but string values are category labels: escaped and wrapped ({@link wrapLabel}). */
function toCategoryList(
  values: AxisValues | undefined,
  digits: number,
): (number | string | null)[] | undefined {
  if (values === undefined) return undefined;
  const list = Array.from(values as Iterable<number | string>);
  return list.map((value) => (typeof value === "string" ? wrapLabel(value) : toList([value], digits)![0]));
}

/** True when there is at least one x value and every one is an integer number. */
function allIntegers(lists: (AxisValues | undefined)[]): boolean {
  let count = 0;
  for (const values of lists) {
    if (values === undefined) continue;
    for (const value of Array.from(values as Iterable<number | string>)) {
      if (typeof value !== "number" || !Number.isInteger(value)) return false;
      count += 1;
    }
  }
  return count > 0;
}

/** Whole-number tick settings for an axis over these values: `tickformat "d"`, step 1 on short spans. */
function integerTicks(lists: (AxisValues | undefined)[]): Record<string, unknown> {
  let low = Infinity;
  let high = -Infinity;
  for (const values of lists) {
    for (const value of Array.from((values ?? []) as Iterable<number>)) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  const ticks: Record<string, unknown> = { tickformat: "d" };
  if (high - low <= 12) Object.assign(ticks, { tick0: 0, dtick: 1 });
  return ticks;
}

function baseLayout(args: ChartArgs, xValues: (AxisValues | undefined)[] = []): Record<string, unknown> {
  const xaxis: Record<string, unknown> = { title: { text: plotlyText(args.xTitle ?? "") }, automargin: true };
  if (args.integerX ?? allIntegers(xValues)) Object.assign(xaxis, integerTicks(xValues));
  const layout: Record<string, unknown> = {
    height: args.heightPixels ?? 420,
    margin: { l: 60, r: 30, t: args.title ? 50 : 20, b: 50 },
    xaxis,
    yaxis: { title: { text: plotlyText(args.yTitle ?? "") }, automargin: true },
    legend: { orientation: "h", y: -0.2 },
    font: { family: FONT_STACK },
  };
  if (args.title) layout.title = { text: plotlyText(args.title) };
  return { ...layout, ...(args.layout ?? {}) };
}

/**
 * Plotly error bars: symmetric, or on a log axis asymmetric with the lower arm cut where it would reach
 * zero or below (at 0.9 × the value, a tenth of it): Plotly drops a bar that leaves a log axis.
 */
function errorBars(
  values: AxisValues,
  errors: AxisValues,
  digits: number,
  logAxis: boolean,
): Record<string, unknown> {
  const array = toList(errors, digits);
  if (!logAxis) return { type: "data", array, visible: true };
  const ys = Array.from(values as Iterable<number>);
  const below = Array.from(errors as Iterable<number>).map((error, index) =>
    typeof ys[index] === "number" && Number.isFinite(error) ? Math.min(error, 0.9 * ys[index]) : error
  );
  return { type: "data", symmetric: false, array, arrayminus: toList(below, digits), visible: true };
}

function asSeriesList<T>(series: T | T[]): T[] {
  return Array.isArray(series) ? series : [series];
}

function xyChart(series: XySeries | XySeries[], args: ChartArgs, mode: string): Chart {
  const digits = args.significantDigits ?? 7;
  const list = asSeriesList(series);
  const layout = baseLayout(args, list.map((item) => item.x));
  if (list.some((item) => item.rightAxis)) {
    layout.yaxis2 = { overlaying: "y", side: "right", showgrid: false, automargin: true };
  }
  const colours = roleColours(list.map((item) => item.role));
  const data: Record<string, unknown>[] = list.map((item, index) => {
    const colour = colours[index];
    const traceMode = item.mode ?? mode;
    const trace: Record<string, unknown> = {
      type: "scatter",
      mode: traceMode,
      name: plotlyText(item.name ?? ""),
      x: toList(item.x, digits),
      y: toList(item.y, digits),
      line: {
        dash: item.dash ??
          (traceMode !== "lines"
            ? "solid"
            : item.role === "baseline"
            ? "dash"
            : item.role === "reference"
            ? "dot"
            : "solid"),
        ...(colour ? { color: colour } : {}),
        ...(item.role === "model" ? { width: 3 } : item.role === "baseline" ? { width: 1.5 } : {}),
      },
      ...(colour ? { marker: { color: colour } } : {}),
      // The legend keeps the order the series were given, whatever order they are drawn in.
      legendrank: 1000 + index,
    };
    if (item.rightAxis) trace.yaxis = "y2";
    if (item.error) trace.error_y = errorBars(item.y, item.error, digits, args.logY ?? false);
    return trace;
  });
  if (args.logY) {
    layout.yaxis = {
      ...(layout.yaxis as Record<string, unknown>),
      type: "log",
      dtick: "D2",
      exponentformat: "none",
    };
  }
  // Models drawn last, over the baselines.
  const order = list.map((item, index) => ({ index, model: item.role === "model" ? 1 : 0 }))
    .sort((a, b) => a.model - b.model || a.index - b.index).map((entry) => entry.index);
  const drawn = order.map((index) => data[index]);
  if (args.shadedPeriods?.length) {
    layout.shapes = args.shadedPeriods.map((period) => ({
      type: "rect",
      xref: "x",
      yref: "paper",
      x0: period.from,
      x1: period.to,
      y0: 0,
      y1: 1,
      fillcolor: "rgba(127,127,127,0.22)",
      line: { width: 0 },
      layer: "below",
    }));
    // A legend entry for the shading (an invisible trace drawn as a grey square).
    drawn.push({
      type: "scatter",
      mode: "markers",
      name: plotlyText(args.shadedLabel ?? "shaded periods"),
      x: [null],
      y: [null],
      marker: { symbol: "square", size: 12, color: "rgba(127,127,127,0.35)" },
      hoverinfo: "skip",
    });
  }
  return new Chart({ data: drawn, layout });
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
  const list = asSeriesList(series);
  const colours = roleColours(list.map((item) => item.role));
  const data = list.map((item, index) => {
    const trace: Record<string, unknown> = {
      type: "bar",
      name: plotlyText(item.name ?? ""),
      x: toCategoryList(item.x, digits),
      y: toList(item.y, digits),
      ...(colours[index] ? { marker: { color: colours[index] } } : {}),
    };
    if (item.error) trace.error_y = { type: "data", array: toList(item.error, digits), visible: true };
    return trace;
  });
  const layout = baseLayout(args, list.map((item) => item.x));
  return new Chart({ data, layout: { ...layout, barmode: args.stacked ? "stack" : "group" } });
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
  // Every histogram says what its bars measure.
  const yTitle = args.yTitle ?? (args.density ? "density" : "count");
  return new Chart({ data, layout: { ...baseLayout({ ...args, yTitle }), barmode: "overlay" } });
}

/**
 * A matrix as coloured cells: by default on a sequential scale (more = darker) with each value written
 * in its cell and a titled colour bar, as a confusion matrix wants; `scale: "diverging"` centres the
 * colours on 0, as a correlation matrix wants.
 *
 * @example
 * ```ts
 * import { heatmap } from "./chart.ts";
 * heatmap({ z: [[50, 3], [7, 40]], x: ["pred 涨", "pred 跌"], y: ["true 涨", "true 跌"] });
 * heatmap({ z: [[1, -0.3], [-0.3, 1]], x: ["a", "b"], y: ["a", "b"] }, {
 *   scale: "diverging",
 *   colorBarTitle: "correlation",
 * });
 * ```
 */
export function heatmap(input: HeatmapData, args: HeatmapArgs = {}): Chart {
  const digits = args.significantDigits ?? 7;
  const z = input.z.map((row) => toList(row, digits));
  const values = z.flatMap((row) => row ?? []).filter((value): value is number => typeof value === "number");
  const cells = z.reduce((sum, row) => sum + (row?.length ?? 0), 0);
  const diverging = args.scale === "diverging";
  const counts = values.length > 0 && values.every((value) => Number.isInteger(value) && value >= 0);
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z,
    x: toCategoryList(input.x, digits),
    y: toCategoryList(input.y, digits),
    colorscale: args.colorScale ?? (diverging ? DIVERGING_SCALE : SEQUENTIAL_SCALE),
    colorbar: {
      title: { text: plotlyText(args.colorBarTitle ?? (counts ? "count" : "value")), side: "right" },
    },
  };
  if (diverging) trace.zmid = 0;
  else if (values.length > 0 && values.every((value) => value >= 0)) trace.zmin = 0;
  if (args.annotate ?? cells <= 400) {
    trace.text = z.map((row) => (row ?? []).map((value) => (value === null ? "" : String(value))));
    trace.texttemplate = "%{text}";
  }
  const layout = baseLayout({ ...args, integerX: args.integerX ?? false });
  layout.yaxis = { ...(layout.yaxis as Record<string, unknown>), autorange: "reversed" };
  return new Chart({ data: [trace], layout });
}

/** Sequential scale (ColorBrewer Blues): white-ish for few, dark blue for many. */
const SEQUENTIAL_SCALE = [
  [0, "#f7fbff"],
  [0.125, "#deebf7"],
  [0.25, "#c6dbef"],
  [0.375, "#9ecae1"],
  [0.5, "#6baed6"],
  [0.625, "#4292c6"],
  [0.75, "#2171b5"],
  [0.875, "#08519c"],
  [1, "#08306b"],
];

/** Diverging scale (ColorBrewer RdBu, blue = negative): centred on 0 by `zmid`. */
const DIVERGING_SCALE = [
  [0, "#2166ac"],
  [0.25, "#92c5de"],
  [0.5, "#f7f7f7"],
  [0.75, "#f4a582"],
  [1, "#b2182b"],
];

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
