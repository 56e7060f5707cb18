/** Seeded weight initialisers drawn from lib/random (identical on every backend). */
import type { Random } from "../random/mod.ts";

/** Glorot (Xavier) uniform: U(−a, a), a = √(6 / (fanIn + fanOut)). */
export function glorotUniform(random: Random, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let index = 0; index < values.length; index++) values[index] = (2 * random.uniform() - 1) * limit;
  return values;
}
