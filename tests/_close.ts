/**
 * The one closeness assertion of the tests: it passes when |actual − expected| ≤ absolute + relative ·
 * scale, element by element, and on failure names the element and prints both values.
 */
import assert from "node:assert/strict";

/** Options of {@link assertClose}. */
export interface CloseArgs {
  /** Allowed absolute difference. Default 0. */
  absolute?: number;
  /** Allowed difference relative to the scale. Default 0. */
  relative?: number;
  /**
   * The scale `relative` multiplies: `"each"` |expected| of the element (default), `"largest"` the
   * largest |expected| of the array, `"atLeastOne"` max(1, |expected|).
   */
  scale?: "each" | "largest" | "atLeastOne";
  /** What is compared, for the failure message. */
  label?: string;
}

/**
 * Asserts that two numbers, or two arrays element by element, are within tolerance.
 *
 * @example
 * ```ts
 * import { assertClose } from "./_close.ts";
 * assertClose(0.1 + 0.2, 0.3, { absolute: 1e-12 });
 * assertClose([1, 2], [1.0001, 2.0001], { relative: 1e-3, label: "weights" });
 * ```
 */
export function assertClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  args: CloseArgs = {},
): void {
  const label = args.label ? `${args.label}: ` : "";
  const actualList = typeof actual === "number" ? [actual] : actual;
  const expectedList = typeof expected === "number" ? [expected] : expected;
  assert.equal(
    actualList.length,
    expectedList.length,
    `${label}length ${actualList.length} vs ${expectedList.length}`,
  );
  const absolute = args.absolute ?? 0;
  const relative = args.relative ?? 0;
  let largest = 0;
  for (let index = 0; index < expectedList.length; index++) {
    largest = Math.max(largest, Math.abs(expectedList[index]));
  }
  for (let index = 0; index < expectedList.length; index++) {
    const want = expectedList[index];
    const got = actualList[index];
    const scale = args.scale === "largest"
      ? largest
      : args.scale === "atLeastOne"
      ? Math.max(1, Math.abs(want))
      : Math.abs(want);
    const allowed = absolute + relative * scale;
    const error = Math.abs(got - want);
    if (!(error <= allowed) && !(got === want)) {
      const where = typeof actual === "number" ? "" : `element ${index}: `;
      assert.fail(`${label}${where}${got} vs expected ${want} (difference ${error}, allowed ${allowed})`);
    }
  }
}
