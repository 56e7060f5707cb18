/**
 * Spearman's rank correlation: do two orderings agree? Used by the hybrid study's fidelity check (do
 * configurations rank the same when trained the affordable way and the seed's way?).
 */
import { studentTCdf } from "./student_t.ts";

/** The result of {@link spearmanCorrelation}. */
export interface SpearmanResult {
  /** ρ: Pearson's correlation of the ranks (ties get their average rank), in [−1, 1]. */
  rho: number;
  /** Pairs. */
  n: number;
  /**
   * One-sided p of "the orderings agree" (ρ > 0): exact over all n! pairings for n ≤ 8, else Student's t
   * on n − 2 degrees of freedom (as `scipy.stats.spearmanr(…, alternative="greater")`).
   */
  pValueGreater: number;
  /** How `pValueGreater` was computed. */
  method: "exact permutation" | "t approximation";
}

/** Average ranks, 1-based (ties share the mean of their positions). */
function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, index) => index).sort((a, b) =>
    values[a] - values[b]
  );
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let position = start; position <= end; position++) out[order[position]] = rank;
    start = end + 1;
  }
  return out;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let meanX = 0, meanY = 0;
  for (let index = 0; index < n; index++) {
    meanX += x[index] / n;
    meanY += y[index] / n;
  }
  let xy = 0, xx = 0, yy = 0;
  for (let index = 0; index < n; index++) {
    xy += (x[index] - meanX) * (y[index] - meanY);
    xx += (x[index] - meanX) ** 2;
    yy += (y[index] - meanY) ** 2;
  }
  return xy / Math.sqrt(xx * yy);
}

/** Calls `visit` with every permutation of `items` (Heap's algorithm, in place). */
function eachPermutation(items: number[], visit: (permutation: readonly number[]) => void): void {
  const counters = new Array(items.length).fill(0);
  visit(items);
  for (let index = 1; index < items.length;) {
    if (counters[index] < index) {
      const swap = index % 2 === 0 ? 0 : counters[index];
      [items[swap], items[index]] = [items[index], items[swap]];
      visit(items);
      counters[index]++;
      index = 1;
    } else {
      counters[index] = 0;
      index++;
    }
  }
}

/**
 * Spearman's ρ of paired values, with a one-sided p-value of agreement.
 *
 * @example
 * ```ts
 * import { spearmanCorrelation } from "./spearman.ts";
 * const result = spearmanCorrelation([0.3, 0.1, 0.5, 0.2, 0.4], [0.31, 0.12, 0.45, 0.25, 0.5]);
 * result.rho; // 0.9
 * result.pValueGreater; // 5 / 120: the identity and the four adjacent swaps do as well
 * ```
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): SpearmanResult {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`spearmanCorrelation: ${n} x values but ${y.length} y values`);
  if (n < 3) throw new RangeError(`spearmanCorrelation: needs at least 3 pairs, got ${n}`);
  for (const [name, values] of [["x", x], ["y", y]] as const) {
    for (let index = 0; index < n; index++) {
      if (!Number.isFinite(values[index])) {
        throw new RangeError(`spearmanCorrelation: ${name}[${index}] is ${values[index]}`);
      }
    }
  }
  const rankX = ranks(x), rankY = ranks(y);
  const rho = pearson(rankX, rankY);
  if (!Number.isFinite(rho)) {
    throw new RangeError("spearmanCorrelation: one side has no spread (every value tied)");
  }
  if (n <= 8) {
    let atLeast = 0, total = 0;
    const tolerance = 1e-12;
    eachPermutation(Array.from(rankY), (permuted) => {
      total++;
      if (pearson(rankX, permuted) >= rho - tolerance) atLeast++;
    });
    return { rho, n, pValueGreater: atLeast / total, method: "exact permutation" };
  }
  const degrees = n - 2;
  const t = rho >= 1 ? Infinity : rho * Math.sqrt(degrees / (1 - rho * rho));
  return {
    rho,
    n,
    pValueGreater: t === Infinity ? 0 : 1 - studentTCdf(t, degrees),
    method: "t approximation",
  };
}
