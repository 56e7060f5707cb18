import assert from "node:assert/strict";
import { formatPValue, formatPValueRange } from "../../lib/stats/mod.ts";

Deno.test("formatPValue: three decimals, '< 0.001' where they would read 0.000, and a bad p is an error", () => {
  assert.equal(formatPValue(0.04213), "0.042");
  assert.equal(formatPValue(1), "1.000");
  assert.equal(formatPValue(0.0005), "0.001");
  assert.equal(formatPValue(0.00049), "< 0.001");
  assert.equal(formatPValue(0), "< 0.001");
  assert.throws(() => formatPValue(NaN), /\[0, 1\], got NaN/);
  assert.throws(() => formatPValue(1.2), /got 1.2/);
});

Deno.test("formatPValueRange: low-high, one value once, and '< 0.001 in each'", () => {
  assert.equal(formatPValueRange([0.63, 0.16, 0.34]), "0.160-0.630");
  assert.equal(formatPValueRange([0.2, 0.2]), "0.200");
  assert.equal(formatPValueRange([3.7e-6, 1.5e-6]), "< 0.001 in each");
  assert.equal(formatPValueRange([1e-6, 0.02]), "< 0.001-0.020");
  assert.throws(() => formatPValueRange([]), /no p-values/);
});
