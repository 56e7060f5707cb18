/**
 * Test helpers that build hostile archives without ever holding their unpacked size in memory: a raw
 * DEFLATE stream of zeros made by repeating one byte-aligned segment, and a zip whose central directory
 * and local headers declare whatever sizes the test wants.
 */
import { deflateRawSync } from "node:zlib";
import { constants } from "node:zlib";
import { strToU8, zipSync } from "fflate";

const MIB = 1024 * 1024;

/**
 * A raw DEFLATE stream that inflates to `mebibytes` MiB of zeros, about 1 KiB of stream per MiB: one
 * MiB of zeros deflated with a sync flush (so it ends byte-aligned and refers only to itself), repeated,
 * then a final empty fixed-Huffman block.
 *
 * @example
 * ```ts
 * const stream = zerosDeflate(1024); // ~1 MiB of DEFLATE → 1 GiB of zeros
 * ```
 */
export function zerosDeflate(mebibytes: number): Uint8Array {
  const segment = new Uint8Array(
    deflateRawSync(new Uint8Array(MIB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH }),
  );
  const out = new Uint8Array(segment.length * mebibytes + 2);
  for (let index = 0; index < mebibytes; index++) out.set(segment, index * segment.length);
  // BFINAL=1, BTYPE=01 (fixed Huffman), then end-of-block (7 zero bits): 0b011 + 7 zeros → 0x03 0x00.
  out.set([0x03, 0x00], segment.length * mebibytes);
  return out;
}

/** One member of {@link zipWithSizes}: already compressed bytes and the sizes its headers claim. */
export interface RawZipEntry {
  name: string;
  /** The stored bytes (raw DEFLATE for method 8). */
  data: Uint8Array;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  /** The uncompressed size the headers declare (may lie). */
  declaredSize: number;
  /** The CRC-32 the headers declare. Default 0. */
  crc?: number;
}

/**
 * A zip archive written by hand, so that each member's declared uncompressed size can lie.
 *
 * @example
 * ```ts
 * const zip = zipWithSizes([{ name: "a.txt", data: zerosDeflate(2), method: 8, declaredSize: 10 }]);
 * ```
 */
export function zipWithSizes(entries: RawZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, entry.method, true);
    lv.setUint32(14, entry.crc ?? 0, true);
    lv.setUint32(18, entry.data.length, true);
    lv.setUint32(22, entry.declaredSize, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, entry.method, true);
    cv.setUint32(16, entry.crc ?? 0, true);
    cv.setUint32(20, entry.data.length, true);
    cv.setUint32(24, entry.declaredSize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, entry.data);
    centrals.push(central);
    offset += local.length + entry.data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A valid-looking xlsx workbook whose worksheet part declares `declaredSize` bytes but inflates to
 * `mebibytes` MiB (zeros): the small parts are genuine, stored uncompressed.
 *
 * @example
 * ```ts
 * const bomb = lyingXlsx(1000, 1536); // declares 1,000 bytes, inflates to 1.5 GiB; ~1.5 MB on disk
 * ```
 */
export function lyingXlsx(declaredSize: number, mebibytes: number): Uint8Array {
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const stored = (name: string, text: string): RawZipEntry => {
    const data = strToU8(text);
    return { name, data, method: 0, declaredSize: data.length, crc: crcOf(name, data) };
  };
  return zipWithSizes([
    stored(
      "[Content_Types].xml",
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    ),
    stored(
      "_rels/.rels",
      `<Relationships xmlns="x"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    stored(
      "xl/workbook.xml",
      `<workbook xmlns:r="${rel}"><sheets><sheet name="prices" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    stored(
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="x"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    { name: "xl/worksheets/sheet1.xml", data: zerosDeflate(mebibytes), method: 8, declaredSize },
  ]);
}

/** CRC-32 of a stored member, taken from fflate's own zip writer. */
function crcOf(name: string, data: Uint8Array): number {
  const zip = zipSync({ [name]: [data, { level: 0 }] });
  return new DataView(zip.buffer).getUint32(14, true);
}
