/**
 * The SciPy / statsmodels reference values of tests/stats/, made by tests/fixtures/stats/make_reference.py
 * (its command line is `reference.command`), and the comparison helper.
 */
import { assertClose as assertCloseShared } from "../_close.ts";
import reference from "../fixtures/stats/reference.json" with { type: "json" };

export { reference };

/** Tolerance for closed-form mathematics (special functions, exact tests). */
export const EXACT = 1e-10;
/** Tolerance for statistics of series (sums in a different order, chained special functions). */
export const SERIES = 1e-9;

/** Asserts |actual − expected| ≤ relative · |expected| (or ≤ 1e-300 absolute, for underflow). */
export function assertClose(actual: number, expected: number, relative: number, label = ""): void {
  assertCloseShared(actual, expected, { relative, absolute: 1e-300, label });
}
