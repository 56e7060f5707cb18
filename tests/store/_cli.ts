/** The runner's command line over the test units (tests/store/_units.ts). */
import { runnerMain } from "../../lib/store/mod.ts";

Deno.exit(
  await runnerMain(Deno.args, {
    registryModule: new URL("./_units.ts", import.meta.url).href,
    entryModule: import.meta.url,
    store: Deno.env.get("TEST_STORE") ?? "",
    checkpoints: Deno.env.get("TEST_CHECKPOINTS") ?? "",
  }),
);
