/**
 * A GBK encoder built from the platform's GBK decoder (Deno ships decoders, no encoders).
 */

/** Two-byte GBK code of each BMP code point (lead << 8 | trail), 0 where GBK has none. */
let table: Uint16Array | undefined;

/**
 * Builds the reverse table once: decode every two-byte sequence (lead 0x81–0xFE, trail
 * 0x40–0xFE except 0x7F) with `new TextDecoder("gbk")` and keep the first sequence seen for each
 * character. Perf note: ~24k tiny decodes, a few tens of milliseconds, once per process.
 */
function reverseTable(): Uint16Array {
  if (table !== undefined) return table;
  const decoder = new TextDecoder("gbk", { fatal: true });
  const built = new Uint16Array(65536);
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let text: string;
      try {
        text = decoder.decode(pair);
      } catch {
        continue; // unassigned sequence
      }
      if (text.length !== 1) continue;
      const code = text.charCodeAt(0);
      if (code < 0x80 || built[code] !== 0) continue;
      built[code] = (lead << 8) | trail;
    }
  }
  table = built;
  return built;
}

/**
 * Encodes text as GBK: ASCII as single bytes, other characters as their two-byte GBK code. A
 * character GBK cannot represent is an error naming it and its position (never a silent `?`).
 *
 * @example
 * ```ts
 * import { encodeGbk } from "./gbk.ts";
 * encodeGbk("日线"); // Uint8Array [0xc8, 0xd5, 0xcf, 0xdf]
 * ```
 */
export function encodeGbk(text: string): Uint8Array {
  const codes = reverseTable();
  const bytes = new Uint8Array(text.length * 2);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      bytes[length++] = code;
      continue;
    }
    const gbk = codes[code];
    if (gbk === 0 || (code >= 0xd800 && code <= 0xdfff)) {
      const character = String.fromCodePoint(text.codePointAt(index)!);
      throw new RangeError(
        `encodeGbk: ${JSON.stringify(character)} (U+${
          text.codePointAt(index)!.toString(16).toUpperCase().padStart(4, "0")
        }) at index ${index} has no GBK code`,
      );
    }
    bytes[length++] = gbk >> 8;
    bytes[length++] = gbk & 0xff;
  }
  return bytes.slice(0, length);
}
