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
  assert.deepEqual(shown.cells, [["000001", "10.12"], ["600036", "35.5"]]);
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
