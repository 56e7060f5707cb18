import assert from "node:assert/strict";
import { join } from "node:path";
import {
  barsToCsv,
  barsToTdx,
  encodeGbk,
  generateMarket,
  TDX_FOOTER,
  TDX_HEADER,
  tdxFileName,
} from "../../lib/synthetic/mod.ts";
import { hasMirror, mirrorDir } from "../data/_mirror.ts";

const market = generateMarket({ seed: 21, stockCount: 2, days: 30 });
const stock = market.stocks[0];

Deno.test("barsToCsv: English/Chinese headers, UTF-8/GBK, deterministic bytes", () => {
  const english = new TextDecoder().decode(barsToCsv(stock));
  const lines = english.trimEnd().split("\n");
  assert.equal(lines[0], "date,open,high,low,close,volume,amount");
  assert.equal(lines.length, 31);
  assert.equal(
    lines[1],
    [
      stock.dates[0],
      stock.open[0].toFixed(2),
      stock.high[0].toFixed(2),
      stock.low[0].toFixed(2),
      stock.close[0].toFixed(2),
      String(stock.volume[0]),
      stock.amount[0].toFixed(2),
    ].join(","),
  );
  const gbk = barsToCsv(stock, { headers: "chinese", encoding: "gbk" });
  const decoded = new TextDecoder("gbk").decode(gbk);
  assert.ok(decoded.startsWith("日期,开盘,最高,最低,收盘,成交量,成交额\n"));
  assert.equal(decoded.split("\n").slice(1).join("\n"), english.split("\n").slice(1).join("\n"));
  assert.notDeepEqual(gbk, barsToCsv(stock, { headers: "chinese" })); // GBK bytes differ from UTF-8
  assert.deepEqual(
    barsToCsv(generateMarket({ seed: 21, stockCount: 2, days: 30 }).stocks[0]),
    barsToCsv(stock),
  );
});

Deno.test("barsToTdx: header, slash dates, tabs, footer, GBK", () => {
  const text = new TextDecoder("gbk").decode(barsToTdx(stock));
  const lines = text.split("\n");
  assert.equal(lines[0], `${stock.code} ${stock.name} 日线 不复权`);
  assert.equal(lines[1], TDX_HEADER);
  assert.equal(lines[2].split("\t")[0], stock.dates[0].replaceAll("-", "/"));
  assert.equal(lines[2].split("\t").length, 7);
  assert.equal(lines.at(-2), TDX_FOOTER);
  assert.equal(lines.at(-1), "");
  assert.ok(
    new TextDecoder("gbk").decode(barsToTdx(stock, { adjustment: "前复权" })).startsWith(
      `${stock.code} ${stock.name} 日线 前复权\n`,
    ),
  );
  assert.equal(tdxFileName("600000"), "SH#600000.txt");
  assert.equal(tdxFileName("000100"), "SZ#000100.txt");
  assert.equal(tdxFileName("000001", true), "SH#000001.txt");
});

Deno.test({
  name: "barsToTdx: header and footer bytes match a genuine TDX export",
  ignore: !hasMirror,
  fn: async () => {
    const real = await Deno.readFile(join(mirrorDir()!, "tdx", "SZ#300418.txt"));
    const realLines = new TextDecoder("gbk").decode(real).split("\n");
    assert.equal(realLines[1], TDX_HEADER);
    assert.equal(realLines.at(-2), TDX_FOOTER);
    assert.match(realLines[0], /^300418 \S+ 日线 前复权$/);
    assert.match(realLines[2], /^\d{4}\/\d{2}\/\d{2}(\t-?\d+\.\d{2}){4}\t\d+\t\d+\.\d{2}$/);
    const ours = new TextDecoder("gbk").decode(barsToTdx(stock)).split("\n");
    assert.match(ours[2], /^\d{4}\/\d{2}\/\d{2}(\t-?\d+\.\d{2}){4}\t\d+\t\d+\.\d{2}$/);
    // The header bytes themselves, not only the decoded text, are identical.
    const secondLineStart = real.indexOf(0x0a) + 1;
    const headerBytes = real.slice(secondLineStart, real.indexOf(0x0a, secondLineStart));
    assert.deepEqual(encodeGbk(TDX_HEADER), headerBytes);
  },
});
