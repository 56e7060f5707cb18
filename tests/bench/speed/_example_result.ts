/** Test fixture of the speed-bench tests. */
import { BENCH_SCHEMA, type BenchResult } from "./result.ts";
import { MODEL_WORKLOADS } from "./workloads.ts";

/**
 * A complete, plausible {@link BenchResult} for the formatting and validation tests (made-up figures,
 * never shown anywhere).
 *
 * @example
 * ```ts
 * import { exampleResult } from "./_example_result.ts";
 * exampleResult().workloads.length; // 2
 * ```
 */
export function exampleResult(): BenchResult {
  const load = { oneMinute: 0.4, fiveMinutes: 0.5, fifteenMinutes: 0.6 };
  const summary = (median: number) => {
    const [min, max] = [median * 0.9, median * 1.2];
    return { median, min, max, samples: [median, min, max] };
  };
  const single = (seconds: number) => ({ median: seconds, min: seconds, max: seconds, samples: [seconds] });
  return {
    schema: BENCH_SCHEMA,
    date: "2025-01-31",
    startedAt: "2025-01-31T10:00:00.000Z",
    finishedAt: "2025-01-31T10:05:00.000Z",
    command: "deno task bench --backend all",
    commit: "0123456789abcdef0123456789abcdef01234567",
    dirty: false,
    machine: { cpuModel: "Test CPU", cores: 2, memoryGiB: 23.5, os: "linux 6.1 x86_64" },
    versions: {
      deno: "2.9.6",
      v8: "13",
      tfjs: "4.22.0",
      torch: "1.13.0",
      python: "3.11.2",
      blas: "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
    },
    backends: ["wasm", "cpu"],
    settings: { repeats: 5, torchThreads: 2, openblasThreads: 1 },
    loadAverage: { start: load, end: load },
    workloads: [
      {
        id: "lstm-h2",
        label: "Paper LSTM, hidden 2",
        unit: "s/epoch",
        config: MODEL_WORKLOADS[0],
        warmup: 1,
        loadAverageBefore: load,
        otherBusyCoresBefore: 0.1,
        pytorch: summary(0.2),
        ours: { wasm: summary(0.5), cpu: summary(1) },
        ratio: { wasm: 2.5, cpu: 5 },
      },
      {
        id: "report-quick",
        label: "All notebooks, quick mode, wall time",
        unit: "s",
        config: {
          id: "report-quick",
          kind: "report",
          label: "All notebooks, quick mode, wall time",
          unit: "s",
          quick: true,
        },
        warmup: 0,
        loadAverageBefore: { ...load, oneMinute: 1.1 },
        otherBusyCoresBefore: 0.25,
        pytorch: null,
        ours: { wasm: single(180), cpu: single(400) },
        ratio: { wasm: null, cpu: null },
      },
    ],
    warnings: [],
  };
}
