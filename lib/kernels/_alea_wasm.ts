/**
 * tfjs's seeded uniform stream (seedrandom's Alea, behind `tf.randomUniform(shape, 0, 1, "float32",
 * seed)`) turned into an inverted-dropout mask in a small WebAssembly module (assembled here, no
 * binary). For `dropoutMask`: bit for bit the values of the op-by-op draw, several times faster.
 *
 * Why it is exact: Alea is a lag-3 multiply-with-carry generator on multiples of 2⁻³²; in integers,
 * T = 2091639·S₀ + C, (S₀, S₁, S₂) ← (S₁, S₂, T mod 2³²), C ← ⌊T / 2³²⌋, output S₂ / 2³². seedrandom
 * computes the same in float64 without rounding (every intermediate is below 2⁵³), and tfjs stores
 * the output as float32 (round to nearest even), an f32 conversion then an exact scaling by 2⁻³². The
 * mask is tf.dropout's float32 formula floor(u + keep) / keep, i.e. fround(u + keep) ≥ 1 ? fround(1 /
 * keep) : 0. Every step of that is monotone in the integer output S₂, so the test is S₂ ≥ a threshold,
 * found once per mask by bisection over the same float32 arithmetic ({@link keepThreshold}).
 *
 * Perf note: the JS generator's serial chain (float multiply-add, truncation, subtraction per value,
 * plus three calls in tfjs) costs ~10 ns per value; in i64 the carry chain is an add and a shift, and
 * the integer threshold replaces four float operations per value (~5 → ~2.5 ns a value with the copy).
 *
 * @module
 */
import { MODULE_HEADER, name, section, unsignedLeb, vector } from "./_wasm_encoding.ts";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

function f32Const(value: number): number[] {
  return [0x43, ...new Uint8Array(new Float32Array([value]).buffer)];
}

/**
 * aleaMask(out, count, s0, s1, s2, threshold, kept): `count` float32 mask values at byte address `out`,
 * `kept` where the generator's integer output is ≥ `threshold`, else 0.
 */
function assemble(): Uint8Array<ArrayBuffer> {
  const [out, count, s0In, s1In, s2In, thresholdIn, kept] = [0, 1, 2, 3, 4, 5, 6];
  const [s0, s1, s2, carry, t, threshold, end] = [7, 8, 9, 10, 11, 12, 13];
  const get = (local: number) => [0x20, local];
  const set = (local: number) => [0x21, local];
  const code = [
    ...get(s0In),
    0xb1, // i64.trunc_f64_u
    ...set(s0),
    ...get(s1In),
    0xb1,
    ...set(s1),
    ...get(s2In),
    0xb1,
    ...set(s2),
    ...get(thresholdIn),
    0xb1,
    ...set(threshold),
    0x42,
    1, // i64.const 1
    ...set(carry),
    ...get(out),
    ...get(count),
    0x41,
    2, // i32.const 2
    0x74, // i32.shl
    0x6a, // i32.add
    ...set(end),
    0x02,
    0x40, // block
    ...get(out),
    ...get(end),
    0x4f, // i32.ge_u
    0x0d,
    0, // br_if 0 (no values)
    0x03,
    0x40, // loop
    // T = 2091639 · S0 + C
    0x42,
    ...[0xf7, 0xd4, 0xff, 0x00], // i64.const 2091639 (signed LEB128)
    ...get(s0),
    0x7e, // i64.mul
    ...get(carry),
    0x7c, // i64.add
    ...set(t),
    ...get(s1),
    ...set(s0),
    ...get(s2),
    ...set(s1),
    ...get(t),
    0x42,
    ...[0xff, 0xff, 0xff, 0xff, 0x0f], // i64.const 0xffffffff
    0x83, // i64.and
    ...set(s2),
    ...get(t),
    0x42,
    32, // i64.const 32
    0x88, // i64.shr_u
    ...set(carry),
    // store(out, S2 ≥ threshold ? kept : 0)
    ...get(out),
    ...get(kept),
    ...f32Const(0),
    ...get(s2),
    ...get(threshold),
    0x5a, // i64.ge_u
    0x1b, // select
    0x38,
    2,
    0, // f32.store align=4 offset=0
    ...get(out),
    0x41,
    4,
    0x6a,
    0x22,
    out, // local.tee out
    ...get(end),
    0x49, // i32.lt_u
    0x0d,
    0, // br_if 0 (loop)
    0x0b, // end loop
    0x0b, // end block
  ];
  const body = [...vector([[6, I64], [1, I32]]), ...code, 0x0b];
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, vector([[0x60, ...vector([I32, I32, F64, F64, F64, F64, F32].map((type) => [type])), 0]])),
    ...section(3, vector([unsignedLeb(0)])),
    ...section(5, vector([[0x00, ...unsignedLeb(1)]])),
    ...section(7, vector([[...name("aleaMask"), 0x00, 0x00], [...name("memory"), 0x02, 0x00]])),
    ...section(10, vector([[...unsignedLeb(body.length), ...body]])),
  ]);
}

/**
 * Fills a mask of `count` values from seedrandom Alea's state (S₀, S₁, S₂ as integers below 2³²): each
 * value `kept` where fround(u + keep) ≥ 1 for the stream's float32 uniform u, else 0. Returns a view of
 * the module's memory, valid until the next call (copy it to keep it).
 */
export type AleaMask = (
  count: number,
  state: [number, number, number],
  keep: number,
  kept: number,
) => Float32Array;

/**
 * The least integer generator output S (0 ≤ S < 2³²) whose float32 uniform u = fround(S) · 2⁻³² passes
 * tf.dropout's test fround(u + keep) ≥ 1 (2³² where none does): the test is monotone in S, so S ≥ this
 * threshold is the same test. `keep` is a float32 value; float32 sums are computed in float64 and
 * rounded, which is exact for one addition.
 */
export function keepThreshold(keep: number): number {
  const passes = (output: number) => Math.fround(Math.fround(output) * 2 ** -32 + keep) >= 1;
  let low = 0, high = 2 ** 32; // passes(high) by convention; the answer lies in [low, high]
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (passes(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

let cached: AleaMask | null | undefined;

/** The module's mask filler, or null where WebAssembly is unavailable. */
export function aleaMask(): AleaMask | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (typeof WebAssembly === "undefined") return null;
  const bytes = assemble();
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const exported = instance.exports as {
    memory: WebAssembly.Memory;
    aleaMask: (
      out: number,
      count: number,
      s0: number,
      s1: number,
      s2: number,
      threshold: number,
      kept: number,
    ) => void;
  };
  cached = (count, state, keep, kept) => {
    const bytes = count * 4;
    const current = exported.memory.buffer.byteLength;
    if (bytes > current) exported.memory.grow(Math.ceil((bytes - current) / 65536));
    exported.aleaMask(0, count, state[0], state[1], state[2], keepThreshold(keep), kept);
    return new Float32Array(exported.memory.buffer, 0, count);
  };
  return cached;
}

/**
 * seedrandom Alea's initial state for `seed` (as `seedrandom.alea(seed)` seeds it: Baagoe's Mash over
 * " " three times, then the seed three times), as integers S = s · 2³².
 */
export function aleaSeedState(seed: string): [number, number, number] {
  let n = 0xefc8249d;
  const mash = (data: string): number => {
    for (let index = 0; index < data.length; index++) {
      n += data.charCodeAt(index);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
  let s0 = mash(" "), s1 = mash(" "), s2 = mash(" ");
  s0 -= mash(seed);
  if (s0 < 0) s0 += 1;
  s1 -= mash(seed);
  if (s1 < 0) s1 += 1;
  s2 -= mash(seed);
  if (s2 < 0) s2 += 1;
  return [s0 * 4294967296, s1 * 4294967296, s2 * 4294967296];
}
