import assert from "node:assert/strict";
import { benchFileName, blasWarning, latestBenchFile, localDate, validateBenchResult } from "./result.ts";
import { exampleResult } from "./_example_result.ts";

Deno.test("validateBenchResult: accepts a result written by the bench (after a JSON round trip)", () => {
  const result = exampleResult();
  assert.deepEqual(validateBenchResult(JSON.parse(JSON.stringify(result)), "a.json"), result);
});

Deno.test("validateBenchResult: names the file and the first bad field", () => {
  const broken = (edit: (value: Record<string, unknown>) => void) => {
    const value = JSON.parse(JSON.stringify(exampleResult()));
    edit(value);
    return () => validateBenchResult(value, "out/bench/2025-01-31.json");
  };
  assert.throws(() => validateBenchResult([], "x.json"), /^Error: x\.json: the file is not a JSON object/);
  assert.throws(
    broken((v) => v.schema = "other/1"),
    /2025-01-31\.json: schema is "other\/1", expected "equilab-bench\/1"/,
  );
  assert.throws(broken((v) => v.date = "31.1.2025"), /date is not YYYY-MM-DD/);
  assert.throws(broken((v) => delete v.machine), /machine is not an object/);
  assert.throws(broken((v) => v.workloads = []), /workloads is empty or missing/);
  assert.throws(
    broken((v) => (v.workloads as { ours: { cpu: { median: unknown } } }[])[0].ours.cpu.median = null),
    /workloads\[0\]\.ours\.cpu\.median is not a finite number/,
  );
  assert.throws(
    broken((v) => (v.workloads as { label?: string }[])[1].label = undefined),
    /workloads\[1\]\.label is not a string/,
  );
});

Deno.test("benchFileName, localDate: the local calendar date, zero-padded", () => {
  assert.equal(benchFileName(new Date(2025, 0, 31, 23, 59)), "2025-01-31.json");
  assert.equal(localDate(new Date(2025, 8, 3, 0, 0)), "2025-09-03");
});

Deno.test("latestBenchFile: newest dated JSON, other names ignored, null when none", () => {
  assert.equal(
    latestBenchFile(["2025-01-02.json", "2024-12-31.json", "notes.txt", "2025-01-02.json.x.tmp"]),
    "2025-01-02.json",
  );
  assert.equal(latestBenchFile(["README.md"]), null);
  assert.equal(latestBenchFile([]), null);
});

Deno.test("blasWarning: optimised BLAS libraries pass, the reference BLAS is flagged", () => {
  assert.equal(blasWarning("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"), null);
  assert.equal(blasWarning("/opt/intel/libmkl_rt.so.2"), null);
  assert.match(blasWarning("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3")!, /reference BLAS \(\/usr\/lib/);
});
