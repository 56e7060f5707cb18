import assert from "node:assert/strict";
import { encodeGbk } from "../../lib/synthetic/mod.ts";

Deno.test("encodeGbk: round-trips through the platform's GBK decoder", () => {
  const text =
    "603160 汇顶科技 日线 前复权\n      日期\t    成交量\n数据来源:通达信\n创业板指 上证指数 沪深300 ，。（）";
  const bytes = encodeGbk(text);
  assert.equal(new TextDecoder("gbk").decode(bytes), text);
  assert.deepEqual(Array.from(encodeGbk("日线")), [0xc8, 0xd5, 0xcf, 0xdf]);
  assert.deepEqual(Array.from(encodeGbk("ab1")), [0x61, 0x62, 0x31]);
});

Deno.test("encodeGbk: a character outside GBK is an error naming it", () => {
  assert.throws(() => encodeGbk("ok 😀"), /"😀" \(U\+1F600\) at index 3 has no GBK code/);
});
