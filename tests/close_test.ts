import assert from "node:assert/strict";
import { assertClose } from "./_close.ts";

Deno.test("assertClose: passes within tolerance, and a failure names the element and prints both values", () => {
  assertClose(0.1 + 0.2, 0.3, { absolute: 1e-12 });
  assertClose([100, 200], [100.05, 199.9], { relative: 1e-3 });
  assertClose([0.001, 1000], [0, 1000.5], { relative: 1e-3, scale: "largest" });
  assertClose(Infinity, Infinity);
  assert.throws(
    () => assertClose(1.5, 1, { absolute: 0.1, label: "weight" }),
    /weight: 1.5 vs expected 1 \(difference 0.5, allowed 0.1\)/,
  );
  assert.throws(() => assertClose([1, 2, 3], [1, 2, 4], { absolute: 0.5 }), /element 2: 3 vs expected 4/);
  assert.throws(() => assertClose([1, 2], [1], {}), /length 2 vs 1/);
  assert.throws(() => assertClose(Number.NaN, 0, { absolute: 1 }), /NaN vs expected 0/);
  assert.throws(() => assertClose(2.5, 2, { relative: 0.1, scale: "atLeastOne" }), /allowed 0.2/);
});
