/**
 * Manual aid (not a test): `deno run -A tests/report/_screenshots.ts REPORT.html OUT_PREFIX [N ...]` saves
 * PNGs of the page top and of charts N (0-based) of an exported report, opened offline.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { visitOffline } from "./_cdp.ts";

if (import.meta.main) {
  const [report, prefix, ...indices] = Deno.args;
  const shots = [{ selector: ".jp-Cell", path: `${prefix}-top.png` }].concat(
    indices.map((index) => ({
      selector: `[data-equilab-shot="${index}"]`,
      path: `${prefix}-chart${index}.png`,
    })),
  );
  const visit = await visitOffline(
    pathToFileURL(resolve(report)).href,
    `[...document.querySelectorAll(".equilab-chart")].every((chart) => chart.querySelector("svg.main-svg"))` +
      ` && ([...document.querySelectorAll(".equilab-chart")].forEach((chart, index) =>` +
      ` chart.setAttribute("data-equilab-shot", String(index))), true)`,
    `({ title: document.title, charts: document.querySelectorAll(".equilab-chart").length })`,
    60_000,
    shots,
  );
  console.log(
    JSON.stringify({ ...visit, requests: visit.requests.filter((url) => !url.startsWith("data:")) }),
  );
}
