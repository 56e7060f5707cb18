import assert from "node:assert/strict";
import { parseBars, parseCsv } from "../../lib/data/mod.ts";
import { instrumentOf } from "../../lib/data/validate.ts";
import { csvText } from "./_helpers.ts";

Deno.test("parseCsv: quotes, doubled quotes, CRLF, blank lines and line numbers", () => {
  const { records, unterminatedQuoteLine } = parseCsv('a,b\r\n"x,1","say ""hi"""\r\n\r\n"two\nlines",3\n');
  assert.equal(unterminatedQuoteLine, undefined);
  assert.deepEqual(records, [
    { line: 1, cells: ["a", "b"] },
    { line: 2, cells: ["x,1", 'say "hi"'] },
    { line: 4, cells: ["two\nlines", "3"] },
  ]);
  assert.deepEqual(parseCsv("a\tb\n1\t2").records[1].cells, ["1", "2"], "tab delimiter guessed");
  assert.equal(parseCsv('a\n"open').unterminatedQuoteLine, 2);
});

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("parseBars: columns in any order, Yahoo's Adj Close kept, newest-first reversed", async () => {
  const text = "Volume,Close,Adj Close,Low,High,Open,Date\n" +
    Array.from(
      { length: 5 },
      (_, i) => `${100 + i},10.${i},9.${i},9.5,11,10,2024-01-${String(9 - i).padStart(2, "0")}`,
    )
      .join("\n");
  const bars = await parseBars(bytes(text), { file: "yahoo.csv", minRows: 5 });
  assert.deepEqual(bars.dates, ["2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08", "2024-01-09"]);
  assert.deepEqual(Array.from(bars.close), [10.4, 10.3, 10.2, 10.1, 10]);
  assert.deepEqual(Array.from(bars.adjClose!), [9.4, 9.3, 9.2, 9.1, 9]);
  assert.equal(bars.meta.order, "newest-first");
  assert.equal(bars.meta.columns.date, "Date");
});

Deno.test("parseBars: Chinese headers with units, compact dates, thousands separators", async () => {
  const text = "日期,开盘价,最高价,最低价,收盘价,成交量(手),成交额\n" +
    '20240102,10,11,9,10.5,"1,200",1260000\n20240103,10.5,11,10,10.8,1300,1404000\n';
  const bars = await parseBars(bytes(text), { file: "cn.csv", minRows: 2 });
  assert.deepEqual(bars.dates, ["2024-01-02", "2024-01-03"]);
  assert.equal(bars.volume[0], 1200);
  assert.equal(bars.meta.volumeUnit, "lots", "from the header's (手)");
});

Deno.test("parseBars: volume unit inferred from amount ≈ volume × close, else unknown", async () => {
  const shares = await parseBars(bytes(csvText(70)), { file: "s.csv" });
  assert.equal(shares.meta.volumeUnit, "shares", "amount ≈ 10,000 ≈ 1,000 shares × 10.2");
  const unrelated = csvText(70, (lines) => {
    for (let i = 1; i < lines.length; i++) lines[i] = lines[i].replace(/,\d+$/, ",5");
  });
  assert.equal((await parseBars(bytes(unrelated), { file: "u.csv" })).meta.volumeUnit, "unknown");
  const text = csvText(70, (lines) => {
    for (let i = 1; i < lines.length; i++) {
      const cells = lines[i].split(",");
      cells[6] = String(Number(cells[4]) * Number(cells[5]) * 100);
      lines[i] = cells.join(",");
    }
  });
  assert.equal((await parseBars(bytes(text), { file: "l.csv" })).meta.volumeUnit, "lots");
});

Deno.test("instrumentOf: indices by name or code, 000xxx ambiguous without an exchange", () => {
  assert.equal(instrumentOf({ code: "399006" }), "index");
  assert.equal(instrumentOf({ code: "000001", exchange: "SH" }), "index");
  assert.equal(instrumentOf({ code: "000001", exchange: "SZ" }), "stock");
  assert.equal(instrumentOf({ code: "000001" }), "unknown");
  assert.equal(instrumentOf({ code: "600000" }), "stock");
  assert.equal(instrumentOf({ code: "000300", name: "沪深300指数" }), "index");
});
