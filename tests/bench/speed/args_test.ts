import assert from "node:assert/strict";
import { benchColumns, parseBenchColumn, parseSpeedArgs, UsageError } from "./args.ts";
import { MODEL_WORKLOADS, QUICK_WORKLOAD_IDS } from "./workloads.ts";

const ids = (argv: string[]) => parseSpeedArgs(argv).workloads.map((workload) => workload.id);

Deno.test("parseSpeedArgs: defaults are every model workload on wasm, 5 repetitions, no report", () => {
  const options = parseSpeedArgs([]);
  assert.deepEqual(options.backends, ["wasm"]);
  assert.deepEqual(options.matmul, ["wasm", "native"]);
  assert.equal(options.repeats, 5);
  assert.equal(options.warmup, undefined);
  assert.equal(options.run, true);
  assert.equal(options.readme, false);
  assert.deepEqual(ids([]), [
    "lstm-h2",
    "lstm-h14",
    "lstm-h64",
    "transformer-d64",
    "transformer-d128",
    "lstm-h64-w2",
    "transformer-d64-w2",
    "transformer-d128-w2",
  ]);
});

Deno.test("parseSpeedArgs: backends, repeats, warm-up, quick subset, reports, readme", () => {
  assert.deepEqual(parseSpeedArgs(["--backend", "all"]).backends, ["wasm", "cpu"]);
  assert.deepEqual(parseSpeedArgs(["--backend", "cpu,wasm,cpu"]).backends, ["cpu", "wasm"]);
  assert.equal(parseSpeedArgs(["--repeats", "7"]).repeats, 7);
  assert.equal(parseSpeedArgs(["--warmup", "0"]).warmup, 0);
  assert.deepEqual(ids(["--quick"]), [...QUICK_WORKLOAD_IDS]);
  assert.deepEqual(ids(["--only", "transformer-d128,lstm-h2"]), ["lstm-h2", "transformer-d128"]);
  assert.deepEqual(ids(["--quick", "--report", "--full-report"]), [
    ...QUICK_WORKLOAD_IDS,
    "report-quick",
    "report-full",
  ]);
  assert.deepEqual(ids(["--only", "report-quick", "--report"]), ["report-quick"]);
  const readmeOnly = parseSpeedArgs(["--readme-only"]);
  assert.equal(readmeOnly.run, false);
  assert.equal(readmeOnly.readme, true);
  assert.equal(parseSpeedArgs(["--readme", "--out", "/tmp/x.json"]).outPath, "/tmp/x.json");
});

Deno.test("parseSpeedArgs: mistakes are UsageErrors naming the argument", () => {
  const bad: [string[], RegExp][] = [
    [["--backend", "gpu"], /"gpu" is not one of wasm, cpu, webgpu/],
    [["--repeats", "0"], /--repeats: "0" is not a whole number ≥ 1/],
    [["--repeats", "2.5"], /--repeats/],
    [["--repeats"], /--repeats needs a value/],
    [["--only", "lstm-h3"], /unknown workload "lstm-h3"/],
    [["--quick", "--only", "lstm-h2"], /cannot be combined/],
    [["--readme-only", "--quick"], /--readme-only runs nothing/],
    [["--fast"], /unknown argument "--fast"/],
    [["--matmul", "gpu"], /--matmul: "gpu" is not one of wasm, native, both/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(
      () => parseSpeedArgs(argv),
      (error: Error) => error instanceof UsageError && message.test(error.message),
    );
  }
});

Deno.test("workloads: the shapes issue 7 fixes", () => {
  const lstm = MODEL_WORKLOADS.filter((workload) => workload.kind === "lstm");
  assert.deepEqual(
    lstm.map((workload) => workload.kind === "lstm" && [workload.hiddenSize, workload.workers ?? 1]),
    [[2, 1], [14, 1], [64, 1], [64, 2]],
  );
  for (const workload of lstm) {
    assert.ok(workload.kind === "lstm");
    assert.deepEqual(
      [workload.windowDays, workload.featureCount, workload.samples, workload.batchSize],
      [20, 6, 2000, 32],
    );
  }
  const transformers = MODEL_WORKLOADS.filter((workload) => workload.kind === "transformer");
  assert.deepEqual(
    transformers.map((w) =>
      w.kind === "transformer" && [w.dModel, w.heads, w.layers, w.feedForwardUnits, w.workers ?? 1]
    ),
    [[64, 4, 2, 256, 1], [128, 8, 4, 512, 1], [64, 4, 2, 256, 2], [128, 8, 4, 512, 2]],
  );
  for (const workload of transformers) {
    assert.ok(workload.kind === "transformer");
    assert.deepEqual(
      [workload.windowDays, workload.featureCount, workload.classes, workload.batchSize, workload.dropout],
      [60, 8, 3, 64, 0.1],
    );
  }
});

Deno.test("--matmul and the columns: per cpu/wasm backend a WebAssembly and a native-BLAS column", () => {
  assert.deepEqual(parseSpeedArgs(["--matmul", "native"]).matmul, ["native"]);
  assert.deepEqual(parseSpeedArgs(["--matmul", "both"]).matmul, ["wasm", "native"]);
  assert.deepEqual(benchColumns(["wasm"], ["wasm", "native"]), ["wasm", "wasm+blas"]);
  assert.deepEqual(benchColumns(["wasm", "cpu", "webgpu"], ["native"]), ["wasm+blas", "cpu+blas", "webgpu"]);
  assert.deepEqual(parseBenchColumn("wasm+blas"), { backend: "wasm", matmul: "native" });
  assert.deepEqual(parseBenchColumn("cpu"), { backend: "cpu", matmul: "wasm" });
});
