/**
 * Reporting: charts, tables, progress, markdown and the notebook → HTML runner.
 *
 * Layer 2 of the flow in lib/README.md: imports io, store.
 *
 * @example
 * ```ts
 * import { lineChart, markdown, md, table } from "./mod.ts";
 * lineChart({ name: "close", x: ["2020-01-02", "2020-01-03"], y: [2100, 2125] }, { title: "ChiNext" });
 * markdown(md`Loaded **${"399006"}**: ${2100} points`);
 * table([{ model: "persistence", mape: 0.0150 }]);
 * ```
 * @module
 */
export * from "./chart.ts";
export { formatCell, Table, table } from "./table.ts";
export type { CellValue, DataFrameLike, TableArgs } from "./table.ts";
export { formatMetrics, Progress, progress, unitsProgress } from "./progress.ts";
export type { Broadcast, ProgressArgs, ProgressMode, UnitsProgress } from "./progress.ts";
export { inJupyter, markdown, show } from "./display.ts";
export { escapeMarkdown, Markdown, md, mdCode, mdJoin } from "./markdown.ts";
export type { MarkdownValue } from "./markdown.ts";
export type { Displayable, MimeBundle } from "./display.ts";
export { notebookParameters, PARAMETERS, parametersInEffect } from "./parameters.ts";
export { storeCoverage } from "./store_coverage.ts";
export type { NotebookParameters, ParameterSpec } from "./parameters.ts";
export { ensurePlotlyBundle, PLOTLY_VERSION } from "./plotly_bundle.ts";
export { runNotebooks, writeFileAtomic } from "./runner.ts";
export type { NotebookRun, RunNotebooksArgs } from "./runner.ts";
export { shownPath } from "./shown_path.ts";
