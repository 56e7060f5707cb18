import assert from "node:assert/strict";
import {
  blasName,
  columnLabel,
  describeMatmulColumns,
  formatBenchTable,
  formatRatio,
  formatSeconds,
  markdownTable,
  README_MARKERS,
  renderReadmeSection,
  replaceMarkedSection,
  reproduceCommand,
} from "./format.ts";
import { exampleResult } from "./_example_result.ts";

Deno.test("formatSeconds: three significant digits, whole seconds from 1000, exponent below 1 ms", () => {
  assert.equal(formatSeconds(0.034512), "0.0345");
  assert.equal(formatSeconds(1.23456), "1.23");
  assert.equal(formatSeconds(12.345), "12.3");
  assert.equal(formatSeconds(0.5), "0.5");
  assert.equal(formatSeconds(1234.5), "1235");
  assert.equal(formatSeconds(0.00012345), "1.23e-4");
  assert.equal(formatSeconds(0), "0");
});

Deno.test("formatRatio: two decimals and an x; a dash without a reference", () => {
  assert.equal(formatRatio(2.3456), "2.35x");
  assert.equal(formatRatio(0.5), "0.50x");
  assert.equal(formatRatio(null), "-");
  assert.equal(formatRatio(undefined), "-");
});

Deno.test("markdownTable: columns padded to the widest cell, pipes escaped, ragged rows rejected", () => {
  assert.equal(markdownTable(["a", "bb"], [["1", "2"]]), "| a   | bb  |\n| --- | --- |\n| 1   | 2   |");
  assert.equal(
    markdownTable(["x"], [["a|b"], ["long cell"]]),
    "| x         |\n| --------- |\n| a\\|b      |\n| long cell |",
  );
  assert.throws(() => markdownTable(["a", "b"], [["1"]]), /a row has 1 cells, the header 2/);
});

Deno.test("formatBenchTable: PyTorch, then ours and the ratio for each backend, from the result", () => {
  const lines = formatBenchTable(exampleResult()).split("\n");
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[0].split("|").map((cell) => cell.trim()).filter((cell) => cell !== ""), [
    "workload",
    "PyTorch CPU",
    "ours, wasm",
    "wasm / PyTorch",
    "ours, cpu",
    "cpu / PyTorch",
  ]);
  assert.deepEqual(lines[2].split("|").map((cell) => cell.trim()).filter((cell) => cell !== ""), [
    "Paper LSTM, hidden 2 (s/epoch)",
    "0.2 (0.18..0.24)",
    "0.5 (0.45..0.6)",
    "2.50x",
    "1 (0.9..1.2)",
    "5.00x",
  ]);
  // A single wall-time run shows no range; no PyTorch counterpart shows dashes.
  assert.deepEqual(lines[3].split("|").map((cell) => cell.trim()).filter((cell) => cell !== ""), [
    "All notebooks, quick mode, wall time (s)",
    "-",
    "180",
    "-",
    "400",
    "-",
  ]);
});

Deno.test("renderReadmeSection: machine, versions, load range, warnings and the command, all from the result", () => {
  const result = exampleResult();
  result.warnings = ["load average 2 before lstm-h2 (above 1.5): noisy"];
  const text = renderReadmeSection(result, "out/bench/2025-01-31.json");
  assert.match(text, /from out\/bench\/2025-01-31\.json/);
  assert.match(text, /Measured 2025-01-31 on Test CPU \(2 cores, 23\.5 GiB/);
  assert.match(text, /commit 0123456789ab:/);
  assert.match(text, /PyTorch 1\.13\.0 \(Python 3\.11\.2, OpenBLAS, 2 threads, OPENBLAS_NUM_THREADS=1\)/);
  assert.match(text, /median of 5 repetitions/);
  assert.match(
    text,
    /Load average at the start 0\.4 \(1 min\); other processes kept at most 0\.25 cores busy/,
  );
  assert.match(text, /- Warning: load average 2 before lstm-h2/);
  assert.match(text, /Reproduce: `deno task bench --backend all --readme`\./);
  assert.ok(text.includes(formatBenchTable(result)));
  result.dirty = true;
  assert.match(renderReadmeSection(result, "x.json"), /with uncommitted changes/);
});

Deno.test("renderReadmeSection: a README rewritten with it is already as deno fmt formats it", async () => {
  const readme =
    `# Title\n\n## Performance\n\nIntro.\n\n${README_MARKERS.start}\n${README_MARKERS.end}\n\n## Next\n`;
  const updated = replaceMarkedSection(
    readme,
    renderReadmeSection(exampleResult(), "out/bench/2025-01-31.json"),
  );
  const formatter = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: new URL("../../../", import.meta.url),
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = formatter.stdin.getWriter();
  await writer.write(new TextEncoder().encode(updated));
  await writer.close();
  const formatted = new TextDecoder().decode((await formatter.output()).stdout);
  // The CLI formats with deno fmt before writing (prose may be re-wrapped); the table comes out untouched.
  const table = formatBenchTable(exampleResult());
  assert.ok(formatted.includes(table), formatted);
});

Deno.test("replaceMarkedSection: replaces only between the markers, keeps them, and is idempotent", () => {
  const text = `a\n${README_MARKERS.start}\nold\n${README_MARKERS.end}\nb`;
  const once = replaceMarkedSection(text, "new");
  assert.equal(once, `a\n${README_MARKERS.start}\n\nnew\n\n${README_MARKERS.end}\nb`);
  assert.equal(replaceMarkedSection(once, "new"), once);
  const custom = { start: "<!-- s -->", end: "<!-- e -->" };
  assert.equal(
    replaceMarkedSection("x<!-- s -->y<!-- e -->z", " body ", custom),
    "x<!-- s -->\n\nbody\n\n<!-- e -->z",
  );
});

Deno.test("replaceMarkedSection: a missing, repeated or reversed marker is an error", () => {
  const { start, end } = README_MARKERS;
  assert.throws(
    () => replaceMarkedSection("no markers", "x"),
    /expected the marker <!-- bench:start --> once, found it 0 times/,
  );
  assert.throws(() => replaceMarkedSection(`${start}${start}${end}`, "x"), /found it 2 times/);
  assert.throws(() => replaceMarkedSection(`${end} ${start}`, "x"), /comes before/);
});

Deno.test("reproduceCommand: drops --out PATH, adds --readme once", () => {
  assert.equal(
    reproduceCommand("deno task bench --out /tmp/a.json --repeats 7"),
    "deno task bench --repeats 7 --readme",
  );
  assert.equal(
    reproduceCommand("deno task bench --readme --backend all"),
    "deno task bench --backend all --readme",
  );
});

Deno.test("blasName: names the optimised libraries, anything else is the reference BLAS", () => {
  assert.equal(blasName("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"), "OpenBLAS");
  assert.equal(blasName("/opt/intel/lib/libmkl_rt.so"), "MKL");
  assert.equal(blasName("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"), "reference BLAS");
  assert.equal(blasName(null), "unknown BLAS");
});

Deno.test("native BLAS columns: labelled, and the README names each column's matrix-product path", () => {
  assert.equal(columnLabel("wasm+blas"), "wasm + native BLAS");
  assert.equal(columnLabel("wasm"), "wasm");
  const result = {
    ...exampleResult(),
    backends: ["wasm", "wasm+blas"],
    matmul: {
      wasm: { kind: "wasm", reason: "EQUILAB_BLAS=off" },
      "wasm+blas": { kind: "native", library: "/usr/lib/x/libopenblasp-r0.3.21.so", threads: 2 },
    },
  };
  result.workloads = result.workloads.map((workload) => ({
    ...workload,
    ours: { wasm: workload.ours.wasm, "wasm+blas": workload.ours.wasm },
    ratio: { wasm: workload.ratio.wasm, "wasm+blas": workload.ratio.wasm },
  }));
  const table = formatBenchTable(result);
  assert.match(table, /\| ours, wasm \+ native BLAS +\| wasm \+ native BLAS \/ PyTorch \|/);
  assert.equal(
    describeMatmulColumns(result),
    "Matrix products: wasm on WebAssembly (EQUILAB_BLAS=off); wasm + native BLAS on libopenblasp-r0.3.21.so (2 threads) through Deno's FFI.",
  );
  assert.match(renderReadmeSection(result, "out/bench/x.json"), /Matrix products: wasm on WebAssembly/);
});
