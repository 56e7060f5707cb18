/**
 * `deno task experiments`: the results store's runner over every study's units (see lib/store/cli.ts
 * for the options). Full settings by default (store `out/results`, committed); `EQUILAB_QUICK=1` runs
 * the quick units into `out/quick/results`. `--readme` regenerates README's Results section from the store.
 */
import { runnerMain } from "../store/mod.ts";
import { resultsStoreOf } from "./store_location.ts";
import { quickUnits } from "./units.ts";

const { store, checkpointRoot } = resultsStoreOf(quickUnits());
if (Deno.args.includes("--readme")) {
  // README's Results section, regenerated from the committed store.
  const { writeResultsReadme } = await import("./results_readme.ts");
  await writeResultsReadme();
  console.log("README.md: Results section regenerated from out/results");
  Deno.exit(0);
}
Deno.exit(
  await runnerMain(Deno.args, {
    registryModule: new URL("./units.ts", import.meta.url).href,
    entryModule: import.meta.url,
    store: store.root,
    checkpoints: checkpointRoot,
  }),
);
