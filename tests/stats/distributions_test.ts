import assert from "node:assert/strict";
import {
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  sampleKurtosis,
  sampleSkewness,
  studentTCdf,
} from "../../lib/stats/mod.ts";
import { assertClose, EXACT, reference, SERIES } from "./_reference.ts";
import { assertClose as assertCloseShared } from "../_close.ts";

Deno.test("the reference file records the command that made it", () => {
  assert.match(reference.command, /python3 tests\/fixtures\/stats\/make_reference\.py/);
  assert.ok(reference.versions.scipy && reference.versions.statsmodels);
});

Deno.test("normal CDF matches scipy.stats.norm.cdf within 1e-10 relative, tails included", () => {
  for (const { x, value } of reference.normalCdf.cases) assertClose(normalCdf(x), value, EXACT, `Φ(${x})`);
  assert.equal(normalCdf(0), 0.5);
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalCdf(Infinity), 1);
});

Deno.test("normal quantile matches scipy.stats.norm.ppf within 1e-10 relative and inverts the CDF", () => {
  for (const { p, value } of reference.normalQuantile.cases) {
    assertClose(normalQuantile(p), value, EXACT, `Φ⁻¹(${p})`);
  }
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  for (const p of [1e-8, 0.2, 0.6, 0.95]) assertClose(normalCdf(normalQuantile(p)), p, 1e-13, `Φ(Φ⁻¹(${p}))`);
  assert.throws(() => normalQuantile(1.5), RangeError);
});

Deno.test("log-gamma and the regularised incomplete beta match SciPy within 1e-10 relative", () => {
  for (const { x, value } of reference.logGamma.cases) {
    // ln Γ crosses 0 at 1 and 2: compare absolutely near the roots.
    assertCloseShared(logGamma(x), value, { relative: EXACT, scale: "atLeastOne", label: `lnΓ(${x})` });
  }
  for (const { x, a, b, value } of reference.incompleteBeta.cases) {
    assertClose(regularizedIncompleteBeta(x, a, b), value, EXACT, `I_${x}(${a}, ${b})`);
  }
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  assertClose(regularizedIncompleteBeta(0.5, 4, 4), 0.5, 1e-14, "symmetric");
});

Deno.test("Student t CDF matches scipy.stats.t.cdf (integer and fractional df) within 1e-10 relative", () => {
  for (const { t, df, value } of reference.studentTCdf.cases) {
    assertClose(studentTCdf(t, df), value, EXACT, `T_${df}(${t})`);
  }
  // Cauchy (1 df) in closed form.
  assertClose(studentTCdf(1, 1), 0.75, 1e-14, "Cauchy");
});

Deno.test("sample skewness and kurtosis match scipy.stats.skew / kurtosis(fisher=False)", () => {
  for (const { x, skewness, kurtosis } of reference.moments.cases) {
    if (skewness === 0) assertCloseShared(sampleSkewness(x), 0, { absolute: 1e-15 });
    else assertClose(sampleSkewness(x), skewness, SERIES, "skewness");
    assertClose(sampleKurtosis(x), kurtosis, SERIES, "kurtosis");
  }
});
