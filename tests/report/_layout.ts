/** A browser probe of a report's layout (used by the runner test): page width, clipped tables, chart labels. */

/** True once every chart has drawn its SVG. */
export const CHARTS_DRAWN =
  `[...document.querySelectorAll(".equilab-chart")].every((chart) => chart.querySelector("svg.main-svg"))`;

/** What {@link LAYOUT_PROBE} returns. */
export interface LayoutProbe {
  /** The page's scroll width and the viewport's width. */
  width: number;
  viewport: number;
  /** Outputs and tables whose content is wider than their box (cut, or hidden behind a scroll bar). */
  clipped: string[];
  /** Tick labels and axis titles outside their chart's SVG, as "chart title: label". */
  overflow: string[];
  /** Charts on the page. */
  charts: number;
}

/** Evaluated in the page: the {@link LayoutProbe} of it. */
export const LAYOUT_PROBE = `(() => {
  const overflow = [];
  document.querySelectorAll(".equilab-chart").forEach((chart) => {
    const svg = chart.querySelector("svg.main-svg");
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const title = chart.querySelector(".gtitle")?.textContent ?? chart.id;
    chart.querySelectorAll(".xtick text, .ytick text, .x2tick text, .y2tick text, .g-xtitle text, .g-ytitle text, .g-y2title text")
      .forEach((label) => {
        const r = label.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
          overflow.push(title + ": " + label.textContent);
        }
      });
  });
  const clipped = [...document.querySelectorAll(".jp-OutputArea-output, .jp-RenderedHTMLCommon, table")]
    .filter((element) => element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1)
    .map((element) => (element.querySelector("caption")?.textContent ?? element.className) + ": " +
      element.scrollWidth + " px in " + element.clientWidth + " px");
  return {
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    clipped: clipped.slice(0, 10),
    overflow: overflow.slice(0, 10),
    charts: document.querySelectorAll(".equilab-chart").length,
  };
})()`;
