/**
 * Validation summary of a resolved reference data set: every daily-bar file it holds is loaded and
 * validated, and the results are summed up in one row (the data tour notebook shows one per set).
 */
import { checkFile, type FileReport } from "./load.ts";
import type { ResolvedDataset } from "./registry.ts";

/**
 * Which files of each data set are daily bars. Porting note: `fundamentals-100` also holds
 * quarterly/annual statements and lists, and `macro-cn` monthly series — other tables, not bars.
 */
export const BAR_FILES: Readonly<Record<string, RegExp | null>> = {
  "fundamentals-100": /^fundamentals\/daily\/[^/]+\.csv$/,
  "macro-cn": null,
};

const DATA_FILE = /\.(xlsx|txt|csv|csv\.gz)$/i;

/** One data set's validation summary. */
export interface DatasetCheck {
  /** Registry name. */
  dataset: string;
  /** Files in the data set. */
  files: number;
  /** Where the files came from, e.g. "mirror" or "mirror 12, download 3". */
  source: string;
  /** Daily-bar files validated. */
  barFiles: number;
  /** Valid bar files. */
  valid: number;
  /** Valid bar files carrying explained warnings. */
  withWarnings: number;
  /** Rows over all valid bar files. */
  rows: number;
  /** Earliest first date over the bar files (YYYY-MM-DD), or "" without bar files. */
  first: string;
  /** Latest last date over the bar files, or "". */
  last: string;
  /** One report per bar file (errors and warnings in full). */
  reports: FileReport[];
}

/**
 * Validates every daily-bar file of a resolved data set.
 *
 * @example
 * ```ts ignore
 * import { resolveDataset } from "./registry.ts";
 * import { checkDataset } from "./dataset_check.ts";
 * const summary = await checkDataset(await resolveDataset("chinext-399006"));
 * console.log(summary.valid, summary.rows); // 1 2779
 * ```
 */
export async function checkDataset(resolved: ResolvedDataset): Promise<DatasetCheck> {
  const pattern = resolved.name in BAR_FILES ? BAR_FILES[resolved.name] : DATA_FILE;
  const barFiles = pattern === null ? [] : resolved.files.filter((file) => pattern.test(file.path));
  const reports: FileReport[] = [];
  for (const file of barFiles) reports.push(await checkFile(file.localPath));
  const valid = reports.filter((report) => report.ok);
  const sources = new Map<string, number>();
  for (const file of resolved.files) sources.set(file.source, (sources.get(file.source) ?? 0) + 1);
  const firsts = valid.map((report) => report.first).filter((date): date is string => date !== undefined)
    .sort();
  const lasts = valid.map((report) => report.last).filter((date): date is string => date !== undefined)
    .sort();
  return {
    dataset: resolved.name,
    files: resolved.files.length,
    source: sources.size === 1
      ? [...sources.keys()][0]
      : [...sources].map(([source, count]) => `${source} ${count}`).join(", "),
    barFiles: barFiles.length,
    valid: valid.length,
    withWarnings: valid.filter((report) => report.warnings.length > 0).length,
    rows: valid.reduce((sum, report) => sum + report.rows, 0),
    first: firsts[0] ?? "",
    last: lasts[lasts.length - 1] ?? "",
    reports,
  };
}
