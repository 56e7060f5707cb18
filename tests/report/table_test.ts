import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { formatCell, table } from "../../lib/report/mod.ts";

Deno.test("table escapes every data-derived string, headers and caption included", () => {
  const html = table([{ "<b>name</b>": `<script>alert("x")</script>`, value: 1 }], { caption: "a & b" })
    .toHtml();
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  assert.ok(html.includes("<th>&lt;b&gt;name&lt;/b&gt;</th>"));
  assert.ok(html.includes("<caption>a &amp; b</caption>"));
});

Deno.test("table renders a polars DataFrame with a note for hidden rows", () => {
  const frame = pl.DataFrame({ code: ["000001", "600036", "300750"], close: [10.123456, 35.5, 180.25] });
  const shown = table(frame, { maxRows: 2 });
  assert.deepEqual(shown.columns, ["code", "close"]);
  // one number of decimals per column: 4 significant digits of its largest value shown
  assert.deepEqual(shown.cells, [["000001", "10.12"], ["600036", "35.50"]]);
  assert.equal(shown.hiddenRows, 1);
  assert.match(shown.toHtml(), /… 1 more rows/);
  assert.match(shown.toText(), /code\s+close/);
});

Deno.test("table uses column order, formatters and significant digits", () => {
  const shown = table([{ b: 0.000012346, a: 2 }, { a: 3, c: "x" }], {
    columns: ["a", "b", "c"],
    format: { a: (value) => `#${value}` },
  });
  assert.deepEqual(shown.cells, [["#2", "1.235e-5", ""], ["#3", "", "x"]]);
});

Deno.test("formatCell handles non-finite numbers and dates", () => {
  assert.equal(formatCell(Number.NaN), "NaN");
  assert.equal(formatCell(-Infinity), "−∞");
  assert.equal(formatCell(new Date("2020-11-06T00:00:00Z")), "2020-11-06");
  assert.equal(formatCell(0.0109), "0.0109");
});

Deno.test("table's Jupyter display returns HTML and plain text", () => {
  const bundle = table([{
    a: 1,
  }])[Symbol.for("Jupyter.display") as unknown as keyof object] as unknown as () => Record<string, string>;
  const result = bundle.call(table([{ a: 1 }]));
  assert.ok(result["text/html"].startsWith("<table"));
  assert.ok(result["text/plain"].includes("a"));
});

Deno.test("numbers: fixed decimals per column, 0.000 next to zero, right-aligned; text left-aligned", () => {
  const shown = table([
    { model: "LSTM", mean: 0.5034, tiny: 8.079e-16, count: 12, share: "49.2%" },
    { model: "persistence", mean: -0.0001, tiny: 0.25, count: 3, share: "51.0% ± 0.7" },
  ]);
  assert.deepEqual(shown.cells, [
    ["LSTM", "0.5034", "0.0000", "12", "49.2%"],
    ["persistence", "-0.0001", "0.2500", "3", "51.0% ± 0.7"],
  ]);
  assert.deepEqual(shown.alignments, ["left", "right", "right", "right", "right"]);
  const html = shown.toHtml();
  assert.match(html, /<th>model<\/th><th class="number">mean<\/th>/);
  assert.match(html, /<td>LSTM<\/td><td class="number">0.5034<\/td>/);
  // −0.00001 rounds to 0 at this column's decimals: "0.00", never "-0.00"
  assert.deepEqual(table([{ v: 12.5 }, { v: -0.00001 }]).cells, [["12.50"], ["0.00"]]);
});

Deno.test("a column that is the same in every row (3 rows or more) moves into the caption", () => {
  const rows = [1, 2, 3].map((seed) => ({
    seed,
    accuracy: 0.5 + seed / 100,
    "true 涨 / 跌 / 稳": "20% / 32% / 48%",
  }));
  const shown = table(rows, { caption: "Seeds on test" });
  assert.deepEqual(shown.columns, ["seed", "accuracy"]);
  assert.equal(shown.caption, "Seeds on test (true 涨 / 跌 / 稳: 20% / 32% / 48%)");
  assert.deepEqual(table(rows.slice(0, 2)).columns, ["seed", "accuracy", "true 涨 / 跌 / 稳"]);
  assert.deepEqual(table(rows, { foldConstantColumns: false }).columns, [
    "seed",
    "accuracy",
    "true 涨 / 跌 / 稳",
  ]);
  // never the first column, and never every column but the first
  assert.deepEqual(table([{ a: "x", b: 1 }, { a: "x", b: 1 }, { a: "x", b: 1 }]).columns, ["a", "b"]);
});

Deno.test("columns reaching 10,000 get thousands separators; smaller ones and text do not", () => {
  const shown = table([
    { code: "399006", volume: 7743385, amount: 12662425088.5, year: 2024 },
    { code: "000517", volume: -12000, amount: 1.25, year: 2025 },
  ]);
  assert.deepEqual(shown.cells, [
    ["399006", "7,743,385", "12,662,425,089", "2024"],
    ["000517", "-12,000", "1", "2025"],
  ]);
});
