/**
 * Adam's per-value update in WebAssembly SIMD, for `lib/train`'s Adam on backends whose tensors read
 * synchronously.
 *
 * @module
 */
import { type AdamUpdateSettings, aligned, type SimdKernels, simdWorkspace } from "./_simd.ts";

export type { AdamUpdateSettings };

/**
 * Adam's moments for a fixed list of variable sizes, kept in a WebAssembly memory of their own, and the
 * update run there four lanes at a time. Each operation is the float32 operation of `lib/train`'s host
 * loop, in its order (f32x4 +, −, ×, ÷ and √ are IEEE float32 per lane), so the weights and moments are
 * the same bits. Perf note: the host loop costs ~16 ns a value (0.29 ms a step for the paper LSTM's
 * 18,000 weights, 13 ms for the d128 Transformer's 800,000); this one ~1-2 ns with its copies.
 *
 * @example
 * ```ts
 * import { AdamUpdater } from "./adam_update.ts";
 * const updater = AdamUpdater.create([3])!; // one variable of 3 values (null without WebAssembly SIMD)
 * const next = updater.update(0, new Float32Array([1, 2, 3]), new Float32Array([0.1, 0.1, 0.1]), {
 *   beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: Math.fround(0.001),
 *   rootCorrection2: Math.fround(Math.sqrt(0.001)), epsilon: Math.fround(1e-8), rate: 0.01, weightDecay: 0,
 * }); // ≈ [0.999, 1.999, 2.999]; updater.first[0] ≈ [0.01, 0.01, 0.01]
 * ```
 */
export class AdamUpdater {
  /** First moments, one view per variable (live: the updates write them). */
  readonly first: Float32Array[];
  /** Second moments, one view per variable. */
  readonly second: Float32Array[];
  #simd: SimdKernels;
  #memory: Float32Array;
  #sizes: readonly number[];
  #firstAt: number[];
  #secondAt: number[];
  #valueAt: number;
  #gradientAt: number;

  private constructor(simd: SimdKernels, sizes: readonly number[]) {
    this.#simd = simd;
    this.#sizes = sizes;
    // Every region rounded up to whole vectors (the last lanes of a variable update padding only).
    let at = 0;
    this.#firstAt = [];
    this.#secondAt = [];
    for (const size of sizes) {
      this.#firstAt.push(at);
      at += aligned(size);
      this.#secondAt.push(at);
      at += aligned(size);
    }
    const largest = Math.max(0, ...sizes.map(aligned));
    this.#valueAt = at;
    this.#gradientAt = at + largest;
    // Reserved once: the memory never grows afterwards, so the views stay valid.
    this.#memory = simd.reserve(this.#gradientAt + largest);
    this.first = sizes.map((size, index) =>
      this.#memory.subarray(this.#firstAt[index], this.#firstAt[index] + size)
    );
    this.second = sizes.map((size, index) =>
      this.#memory.subarray(this.#secondAt[index], this.#secondAt[index] + size)
    );
  }

  /** An updater with zero moments, or null where WebAssembly SIMD is unavailable. */
  static create(sizes: readonly number[]): AdamUpdater | null {
    const simd = simdWorkspace();
    return simd ? new AdamUpdater(simd, sizes) : null;
  }

  /**
   * One step for variable `index`: updates its moments and returns its new values — a view, valid until
   * the next call (copy it to keep it).
   */
  update(
    index: number,
    value: ArrayLike<number>,
    gradient: ArrayLike<number>,
    settings: AdamUpdateSettings,
  ): Float32Array {
    const size = this.#sizes[index];
    if (value.length !== size || gradient.length !== size) {
      throw new RangeError(
        `AdamUpdater: variable ${index} has ${size} values; got ${value.length} values and ${gradient.length} gradients`,
      );
    }
    const memory = this.#memory;
    memory.set(value, this.#valueAt);
    memory.set(gradient, this.#gradientAt);
    this.#simd.adamUpdate(
      this.#valueAt,
      this.#gradientAt,
      this.#firstAt[index],
      this.#secondAt[index],
      aligned(size),
      settings,
    );
    return memory.subarray(this.#valueAt, this.#valueAt + size);
  }
}
