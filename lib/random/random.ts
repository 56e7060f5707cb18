/**
 * A small, fast, seeded generator (sfc32: 128-bit state, passes PractRand to 2^40+ bytes).
 * Seeds are hashed with splitmix32 so nearby seeds give unrelated streams.
 */

/** The full internal state of a {@link Random}: save it to resume a stream exactly. */
export interface RandomState {
  /** Four 32-bit unsigned integers. */
  words: [number, number, number, number];
  /** A cached second normal deviate from the Box-Muller pair, or null. */
  spareNormal: number | null;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a label, used by {@link Random.fork}. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index++) {
    hash ^= label.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A seeded pseudo-random stream.
 *
 * @example
 * ```ts
 * import { Random } from "./random.ts";
 * const a = new Random(7), b = new Random(7);
 * console.assert(a.uniform() === b.uniform());
 * ```
 */
export class Random {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;
  #spareNormal: number | null = null;
  /** The seed this stream was created from (forks record their derived seed). */
  readonly seed: number;

  /** @param seed any finite number; it is reduced to a 32-bit integer. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Random seed must be finite, got ${seed}`);
    this.seed = Math.trunc(seed) >>> 0;
    const mix = splitmix32(this.seed);
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    for (let index = 0; index < 12; index++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Integer uniform in [0, count), unbiased (rejection sampling). */
  int(count: number): number {
    if (!Number.isInteger(count) || count <= 0 || count > 2 ** 32) {
      throw new RangeError(`int(count) needs an integer in 1..2^32, got ${count}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % count);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % count;
  }

  /** Integer uniform in [low, high] (both inclusive). */
  intBetween(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  /** Standard normal deviate (Box-Muller, the pair's second value is cached). */
  normal(mean = 0, standardDeviation = 1): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return mean + standardDeviation * spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * v);
  }

  /** Student-t deviate with `degreesOfFreedom` (fat tails), scaled to unit variance when df > 2. */
  studentT(degreesOfFreedom: number): number {
    const z = this.normal();
    let chiSquare = 0;
    for (let index = 0; index < degreesOfFreedom; index++) chiSquare += this.normal() ** 2;
    const t = z / Math.sqrt(chiSquare / degreesOfFreedom);
    return degreesOfFreedom > 2 ? t * Math.sqrt((degreesOfFreedom - 2) / degreesOfFreedom) : t;
  }

  /** True with probability `probability`. */
  bernoulli(probability: number): boolean {
    return this.uniform() < probability;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(index + 1);
      const swap = items[index];
      items[index] = items[other];
      items[other] = swap;
    }
    return items;
  }

  /** One element of `items`, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("choice() of an empty list");
    return items[this.int(items.length)];
  }

  /** `count` distinct indices from [0, population), in draw order. */
  sampleIndices(population: number, count: number): number[] {
    if (count > population) {
      throw new RangeError(`cannot draw ${count} distinct indices from ${population}`);
    }
    const chosen = new Map<number, number>();
    const result: number[] = [];
    for (let index = 0; index < count; index++) {
      const pick = index + this.int(population - index);
      const atPick = chosen.get(pick) ?? pick;
      chosen.set(pick, chosen.get(index) ?? index);
      result.push(atPick);
    }
    return result;
  }

  /**
   * An independent child stream derived from this stream's seed and a label. Forking does not
   * advance this stream, so adding a fork never changes other draws.
   */
  fork(label: string): Random {
    return new Random((this.seed ^ hashLabel(label)) >>> 0);
  }

  /**
   * A 31-bit integer seed for libraries that take one (TensorFlow.js initialisers and dropout).
   * Advances this stream.
   */
  nextSeed(): number {
    return this.nextUint32() >>> 1;
  }

  /** A copy of the internal state, to save with a checkpoint. */
  getState(): RandomState {
    return { words: [this.#a, this.#b, this.#c, this.#d], spareNormal: this.#spareNormal };
  }

  /** Restores a state saved by {@link getState}. */
  setState(state: RandomState): void {
    const [a, b, c, d] = state.words;
    this.#a = a >>> 0;
    this.#b = b >>> 0;
    this.#c = c >>> 0;
    this.#d = d >>> 0;
    this.#spareNormal = state.spareNormal;
  }
}

/**
 * Creates a seeded stream.
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * const order = createRandom(1).shuffle([1, 2, 3, 4]);
 * ```
 */
export function createRandom(seed: number): Random {
  return new Random(seed);
}
