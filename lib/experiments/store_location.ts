/** Where every study's results store and checkpoints live, by mode. */
import { fileURLToPath } from "node:url";
import { ResultsStore } from "../store/mod.ts";

/**
 * The results store of a mode, for every study: full settings read and write the committed
 * `out/results`; quick runs use the ignored `out/quick/results`. Checkpoints go to the ignored
 * `out/checkpoints` (`out/quick/checkpoints`).
 *
 * @example
 * ```ts
 * import { resultsStoreOf } from "./store_location.ts";
 * resultsStoreOf(true).store.root.endsWith("out/quick/results"); // true
 * ```
 */
export function resultsStoreOf(quick: boolean): { store: ResultsStore; checkpointRoot: string } {
  const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
  return quick
    ? { store: new ResultsStore(root("out/quick/results")), checkpointRoot: root("out/quick/checkpoints") }
    : { store: new ResultsStore(root("out/results")), checkpointRoot: root("out/checkpoints") };
}
