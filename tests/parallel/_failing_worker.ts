/** Worker module serving {@link FailingModel} replicas to the parallel tests. */
/// <reference lib="deno.worker" />
import { serveReplicas } from "../../lib/parallel/mod.ts";
import { FailingModel, type FailingModelArgs } from "./_failing_model.ts";

serveReplicas({ FailingModel: (args: FailingModelArgs) => new FailingModel(args) });
