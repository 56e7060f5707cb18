/** Paths as a report shows them: relative to the project, never the exporting machine's absolute path. */
import { isAbsolute, relative } from "node:path";
import { projectRoot } from "./plotly_bundle.ts";

/**
 * `path` relative to the project root when it lies inside the project (`out/summaries/…`), else its
 * last two segments after `…/`: a report names what a reader finds in their own clone, not a folder of
 * the machine that exported it.
 *
 * @example
 * ```ts
 * import { shownPath } from "./shown_path.ts";
 * import { projectRoot } from "./plotly_bundle.ts";
 * shownPath(`${projectRoot()}/out/summaries/equinet/corrected.json`); // "out/summaries/equinet/corrected.json"
 * shownPath("/tmp/x/y/report.json"); // "…/y/report.json"
 * ```
 */
export function shownPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(projectRoot(), path);
  if (!inside.startsWith("..") && !isAbsolute(inside)) return inside;
  return `…/${path.split("/").filter(Boolean).slice(-2).join("/")}`;
}
