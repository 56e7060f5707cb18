/**
 * A report's account of the results-store units behind it: how many are stored and current, which are
 * stale (computed under older settings or numerics: shown, but named) and which are missing.
 */
import { formatDuration, type UnitStatus } from "../store/mod.ts";
import { type Markdown, md, mdCode, mdJoin } from "./markdown.ts";

/**
 * One short paragraph on a set of units, for the cell above the tables built from them.
 *
 * @example
 * ```ts ignore
 * import { storeCoverage } from "./store_coverage.ts";
 * markdown(storeCoverage(study.statuses, "units (configuration × seed)"));
 * ```
 */
export function storeCoverage(statuses: readonly UnitStatus[], what = "units"): Markdown {
  const done = statuses.filter((status) => status.state === "done");
  const stale = statuses.filter((status) => status.state === "stale");
  const missing = statuses.filter((status) => status.state === "missing");
  const stored = [...done, ...stale].map((status) => status.stored!);
  const spent = stored.reduce((sum, record) => sum + record.wallSeconds, 0);
  const newest = stored.reduce<string>(
    (latest, record) => (record.finishedAt > latest ? record.finishedAt : latest),
    "",
  );
  const commits = [...new Set(stored.map((record) => record.git.commit?.slice(0, 7) ?? "unknown"))];
  const lines = [
    stored.length > 0
      ? md`**${done.length} of ${statuses.length} ${what}** stored and current (CPU time ${
        formatDuration(spent)
      }; newest ${newest.slice(0, 10)}; commit${commits.length > 1 ? "s" : ""} ${
        commits.slice(0, 3).join(", ")
      }${commits.length > 3 ? ", …" : ""}).`
      : md`**${done.length} of ${statuses.length} ${what}** stored and current.`,
  ];
  if (stale.length > 0) {
    lines.push(
      md`**${stale.length} stale** (computed under older settings or numerics; shown below; recompute with ${
        mdCode("deno task experiments")
      }): ${ids(stale)}.`,
    );
  }
  if (missing.length > 0) {
    lines.push(md`**${missing.length} missing** (left out of what follows): ${ids(missing)}.`);
  }
  return mdJoin(lines, md`  \n`);
}

function ids(statuses: readonly UnitStatus[]): Markdown {
  const shown = statuses.slice(0, 6).map((status) => mdCode(status.definition.id));
  const list = mdJoin(shown, md`, `);
  return statuses.length <= 6 ? list : md`${list} and ${statuses.length - 6} more`;
}
