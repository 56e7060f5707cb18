/**
 * CPython's `random` module, bit for bit, for replaying Python code's draws (EquiNet's published
 * split: `random.seed(42)` then `random.sample(files, 31)`). Not a general-purpose generator: use
 * `createRandom` (./random.ts) for EquiLab's own draws.
 *
 * Porting note (checked against CPython's Lib/random.py and Modules/_randommodule.c):
 * - Generator: MT19937. `random.seed(n)` for an int n ≥ 0 seeds with `init_by_array`, the key
 *   being n's 32-bit words, least significant first (at least one word, so seed 0 is the key [0]).
 *   Python takes abs() of a negative int; this port accepts only n ≥ 0.
 * - `random()`: (a·2^26 + b) / 2^53 with a = next >>> 5, b = next >>> 6.
 * - `getrandbits(k)`: k ≤ 32 is next >>> (32 − k); longer values take 32-bit words least
 *   significant first, the last word shifted down to the bits still needed. Here k ≤ 53.
 * - `_randbelow(n)`: `_randbelow_with_getrandbits`, k = n.bit_length(), draw getrandbits(k) until
 *   it is < n (a power of two n wastes half its draws: that is CPython's behaviour, kept).
 * - `sample(population, k)`: setsize = 21, plus 4 ** ceil(log(3k, 4)) when k > 5; n ≤ setsize:
 *   pool method (j = randbelow(n − i), pool[j] taken, pool[n − i − 1] moved into it); otherwise
 *   set method (j = randbelow(n), redrawn while already selected).
 * - Versions: this algorithm is the one of CPython 3.2 to 3.13 (3.2 introduced `_randbelow`;
 *   2.x and 3.0/3.1 used int(random() · n), which picks other items). The fixture
 *   (tests/fixtures/python_random/) gives identical output under 3.6, 3.7, 3.8, 3.9, 3.10, 3.11,
 *   3.12 and 3.13; 2.7 gives the same random()/getrandbits() but other samples. Later changes that
 *   do not alter the draws: 3.9 added `counts=` (not ported), getrandbits(0) returning 0 and the
 *   deprecation of set populations, which 3.11 rejects.
 *
 * @example
 * ```ts
 * import { PythonRandom } from "./python_random.ts";
 * const random = new PythonRandom(42);
 * random.random(); // 0.6394267984578837, as Python's random.seed(42); random.random()
 * new PythonRandom(42).sample([..."abcdefghij"], 3); // ["b", "a", "e"], as random.sample
 * ```
 * @module
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The 32-bit words of a non-negative integer, least significant first, at least one. */
function seedKey(seed: number | bigint): number[] {
  let value: bigint;
  if (typeof seed === "bigint") {
    value = seed;
  } else {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`PythonRandom: seed must be a safe integer or a bigint, got ${seed}`);
    }
    value = BigInt(seed);
  }
  if (value < 0n) throw new RangeError(`PythonRandom: seed must be >= 0, got ${seed}`);
  const key: number[] = [];
  do {
    key.push(Number(value & 0xffffffffn));
    value >>= 32n;
  } while (value > 0n);
  return key;
}

/** Python's int.bit_length() for a positive safe integer. */
function bitLength(n: number): number {
  let bits = 0;
  while (n >= 1) {
    n = Math.floor(n / 2);
    bits++;
  }
  return bits;
}

/**
 * CPython's `random.Random` (MT19937) seeded as `random.seed(seed)` with a non-negative int.
 * See the module's porting note; the purpose is compatibility with Python code, nothing else
 * (EquiLab's own draws use `createRandom` from ./random.ts).
 *
 * @example
 * ```ts
 * import { PythonRandom } from "./python_random.ts";
 * const random = new PythonRandom(42);
 * random.getrandbits(32); // 2746317213, as Python's random.seed(42); random.getrandbits(32)
 * ```
 */
export class PythonRandom {
  #state = new Uint32Array(N);
  #index = N + 1;

  /** @param seed a non-negative integer, as given to Python's `random.seed`. */
  constructor(seed: number | bigint) {
    this.#initByArray(seedKey(seed));
  }

  #initGenrand(seed: number): void {
    const mt = this.#state;
    mt[0] = seed >>> 0;
    for (let index = 1; index < N; index++) {
      const previous = mt[index - 1] ^ (mt[index - 1] >>> 30);
      mt[index] = (Math.imul(1812433253, previous) + index) >>> 0;
    }
    this.#index = N;
  }

  #initByArray(key: number[]): void {
    const mt = this.#state;
    this.#initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let count = Math.max(N, key.length); count > 0; count--) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(previous, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let count = N - 1; count > 0; count--) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(previous, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32-bit output of MT19937 (CPython's genrand_uint32). */
  #next(): number {
    const mt = this.#state;
    if (this.#index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.#index = 0;
    }
    let y = mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Python's `random()`: a float in [0, 1) with 53 random bits.
   *
   * @example
   * ```ts
   * import { PythonRandom } from "./python_random.ts";
   * new PythonRandom(42).random(); // 0.6394267984578837
   * ```
   */
  random(): number {
    const a = this.#next() >>> 5;
    const b = this.#next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Python's `getrandbits(k)` for 0 ≤ k ≤ 53 (exact as a JavaScript number).
   *
   * @example
   * ```ts
   * import { PythonRandom } from "./python_random.ts";
   * new PythonRandom(42).getrandbits(32); // 2746317213
   * ```
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) {
      throw new RangeError(`PythonRandom.getrandbits: k must be an integer in 0..53, got ${k}`);
    }
    if (k === 0) return 0;
    if (k <= 32) return this.#next() >>> (32 - k);
    const low = this.#next();
    const high = this.#next() >>> (64 - k);
    return high * 4294967296 + low;
  }

  /**
   * Python's `_randbelow(n)` (`_randbelow_with_getrandbits`): an integer in [0, n), 1 ≤ n ≤ 2^53 − 1.
   *
   * @example
   * ```ts
   * import { PythonRandom } from "./python_random.ts";
   * new PythonRandom(42).randbelow(10); // as Python's random.seed(42); random._randbelow(10)
   * ```
   */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`PythonRandom.randbelow: n must be a positive safe integer, got ${n}`);
    }
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /**
   * Python 3's `random.sample(population, k)` (no `counts`): k distinct items, in selection order.
   *
   * @throws RangeError when k is not an integer in 0..population.length (Python's ValueError).
   * @example
   * ```ts
   * import { PythonRandom } from "./python_random.ts";
   * new PythonRandom(42).sample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3); // [1, 0, 4]
   * ```
   */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(
        `PythonRandom.sample: sample larger than population or is negative (k ${k}, n ${n})`,
      );
    }
    const result: T[] = new Array(k);
    let setsize = 21; // size of a small set minus size of an empty list (CPython's comment)
    // math.log(x, 4) is log(x) / log(4) in CPython; 3k is never a power of 4, so ceil is robust.
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = [...population];
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j];
      }
    }
    return result;
  }
}
