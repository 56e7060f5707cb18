import { writeFileAtomic } from "../io/mod.ts";
import { sha256Hex } from "./download.ts";
import type { FileResult } from "./_read.ts";
import { type BarsMetadata, type DailyBarsData, OPTIONAL_COLUMNS, type OptionalColumn } from "./types.ts";

/**
 * A compact binary cache of validated bars, one file per source file (and per loader options), under a
 * gitignored folder (default `data/cache/bars` in the project). An entry is used only while the source's
 * size and modification time match; when only the time changed, the source's SHA-256 decides (a `touch`
 * does not force a re-parse; an edit does). Only valid files are cached; invalid ones are re-read so that
 * their errors are always reported fresh.
 *
 * Layout: "EQLBARS1", u32 header length, JSON header (source stamp, metadata, row count, columns), padding to
 * 8 bytes, then dates as u32 YYYYMMDD and Float64 columns, little-endian.
 *
 * @example
 * ```ts
 * import { BarsCache, loadFolder } from "./mod.ts";
 * const cache = new BarsCache("data/cache/bars");
 * const folder = await loadFolder("../shared/data/equinet", { cache }); // second run reads the cache
 * ```
 */
export class BarsCache {
  /** The folder holding cache entries. */
  readonly folder: string;

  /** A cache in `folder` (created on first write). Default: the project's `data/cache/bars`. */
  constructor(folder: string = defaultCacheFolder()) {
    this.folder = folder.replace(/\/+$/, "");
  }

  /** The cache entry path for a source file and the options that shape its result. */
  entryPath(sourcePath: string, optionsKey: string, extension = "bars"): string {
    const absolute = sourcePath.startsWith("/") ? sourcePath : `${Deno.cwd()}/${sourcePath}`;
    return `${this.folder}/${nameHash(`${VERSION}\n${absolute}\n${optionsKey}`)}.${extension}`;
  }

  /** A cached result for the source, or undefined when there is none or it is stale. */
  async get(sourcePath: string, optionsKey: string): Promise<FileResult | undefined> {
    return (await this.getEntry(sourcePath, optionsKey))?.result;
  }

  /** Like {@link get}, also returning the entry's bytes (for packing). */
  async getEntry(
    sourcePath: string,
    optionsKey: string,
  ): Promise<{ result: FileResult; bytes: Uint8Array } | undefined> {
    const path = this.entryPath(sourcePath, optionsKey);
    let bytes: Uint8Array;
    let info: Deno.FileInfo;
    try {
      [bytes, info] = await Promise.all([Deno.readFile(path), Deno.stat(sourcePath)]);
    } catch {
      return undefined;
    }
    const entry = decodeEntry(bytes);
    if (entry === undefined) return undefined;
    const stamp = entry.header.source;
    if (stamp.size !== info.size) return undefined;
    if (stamp.mtimeMs !== (info.mtime?.getTime() ?? 0)) {
      // Only the time changed: trust the content hash, then refresh the stamp.
      const hash = await sha256Hex(await Deno.readFile(sourcePath));
      if (hash !== stamp.sha256) return undefined;
      entry.header.source.mtimeMs = info.mtime?.getTime() ?? 0;
      bytes = encodeEntry(entry.header, entry.data);
      await writeFileAtomic(path, bytes);
    }
    return { result: toResult(sourcePath, entry), bytes };
  }

  /**
   * The result stored in one packed entry when the source's size and time still match, else undefined (the
   * caller then falls back to {@link getEntry}, which also checks the content hash).
   */
  fromPackedEntry(bytes: Uint8Array, sourcePath: string, info: Deno.FileInfo): FileResult | undefined {
    const entry = decodeEntry(bytes);
    if (entry === undefined) return undefined;
    const stamp = entry.header.source;
    if (stamp.size !== info.size || stamp.mtimeMs !== (info.mtime?.getTime() ?? 0)) return undefined;
    return toResult(sourcePath, entry);
  }

  /**
   * All entries of a folder load in one file (name → entry bytes): a warm folder load then costs one read
   * plus a stat per source instead of two reads per source.
   */
  async getPack(folder: string, optionsKey: string): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(this.entryPath(folder + "/", optionsKey, "pack"));
    } catch {
      return out;
    }
    if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== PACK_MAGIC) return out;
    const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    let index: [string, number, number][];
    try {
      index = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
    } catch {
      return out;
    }
    for (const [name, offset, length] of index) {
      if (offset + length <= bytes.length) out.set(name, bytes.subarray(offset, offset + length));
    }
    return out;
  }

  /** Writes a folder's pack (temp file, then rename). */
  async setPack(folder: string, optionsKey: string, entries: Map<string, Uint8Array>): Promise<void> {
    const index: [string, number, number][] = [];
    let probe = JSON.stringify([...entries.keys()].map((name) => [name, 0, 0]));
    // Offsets depend on the index length; reserve room for the digits, then lay entries out 8-aligned.
    probe += " ".repeat(entries.size * 24);
    let offset = Math.ceil((12 + new TextEncoder().encode(probe).length) / 8) * 8;
    for (const [name, bytes] of entries) {
      index.push([name, offset, bytes.length]);
      offset = Math.ceil((offset + bytes.length) / 8) * 8;
    }
    const json = new TextEncoder().encode(JSON.stringify(index));
    const out = new Uint8Array(offset);
    out.set(new TextEncoder().encode(PACK_MAGIC), 0);
    new DataView(out.buffer).setUint32(8, json.length, true);
    out.set(json, 12);
    const values = [...entries.values()];
    index.forEach(([, at], k) => out.set(values[k], at));
    await Deno.mkdir(this.folder, { recursive: true });
    await writeFileAtomic(this.entryPath(folder + "/", optionsKey, "pack"), out);
  }

  /**
   * Stores a valid result (invalid ones are not cached) and returns the entry's bytes. Writes a temp file,
   * then renames it.
   */
  async set(
    sourcePath: string,
    optionsKey: string,
    result: FileResult,
    sourceBytes?: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    if (!result.ok || result.data === undefined) return undefined;
    const info = await Deno.stat(sourcePath);
    const source = sourceBytes ?? await Deno.readFile(sourcePath);
    const header: EntryHeader = {
      version: VERSION,
      source: { size: info.size, mtimeMs: info.mtime?.getTime() ?? 0, sha256: await sha256Hex(source) },
      meta: { ...result.meta, warnings: [...result.meta.warnings] },
      rows: result.data.dates.length,
      optional: OPTIONAL_COLUMNS.filter((name) => result.data!.optional[name] !== undefined),
    };
    await Deno.mkdir(this.folder, { recursive: true });
    const bytes = encodeEntry(header, result.data);
    await writeFileAtomic(this.entryPath(sourcePath, optionsKey), bytes);
    return bytes;
  }

  /** Deletes every cache entry. */
  async clear(): Promise<void> {
    try {
      for await (const entry of Deno.readDir(this.folder)) {
        if (entry.isFile && (entry.name.endsWith(".bars") || entry.name.endsWith(".pack"))) {
          await Deno.remove(`${this.folder}/${entry.name}`);
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

const VERSION = 1;
const MAGIC = "EQLBARS1";
const PACK_MAGIC = "EQLPACK1";

/** A 64-bit FNV-1a hash as 16 hex digits (file names only; not a security boundary). */
function nameHash(text: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

function toResult(sourcePath: string, entry: { header: EntryHeader; data: DailyBarsData }): FileResult {
  const meta = entry.header.meta;
  meta.file = sourcePath;
  return {
    file: sourcePath,
    format: meta.format,
    ok: true,
    rows: entry.data.dates.length,
    first: entry.data.dates[0],
    last: entry.data.dates[entry.data.dates.length - 1],
    code: meta.code,
    warnings: meta.warnings,
    errors: [],
    meta,
    data: entry.data,
  };
}

/** "YYYY-MM-DD" strings by packed YYYYMMDD (trading days recur across files). */
const dateText = new Map<number, string>();

interface EntryHeader {
  version: number;
  source: { size: number; mtimeMs: number; sha256: string };
  meta: BarsMetadata;
  rows: number;
  optional: OptionalColumn[];
}

/**
 * The project's `data/cache/bars` folder (gitignored).
 *
 * @example
 * ```ts
 * import { BarsCache, defaultCacheFolder } from "./mod.ts";
 * const cache = new BarsCache(defaultCacheFolder()); // <project>/data/cache/bars
 * ```
 */
export function defaultCacheFolder(): string {
  return new URL("../../data/cache/bars", import.meta.url).pathname;
}

function encodeEntry(header: EntryHeader, data: DailyBarsData): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const n = data.dates.length;
  const headerEnd = 12 + json.length;
  const datesAt = Math.ceil(headerEnd / 8) * 8;
  const columnsAt = Math.ceil((datesAt + 4 * n) / 8) * 8;
  const columns = [
    data.open,
    data.high,
    data.low,
    data.close,
    data.volume,
    ...header.optional.map((name) => data.optional[name]!),
  ];
  const out = new Uint8Array(columnsAt + columns.length * 8 * n);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const dates = new Uint32Array(out.buffer, datesAt, n);
  for (let i = 0; i < n; i++) {
    const d = data.dates[i];
    dates[i] = Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
  }
  columns.forEach((column, c) => new Float64Array(out.buffer, columnsAt + c * 8 * n, n).set(column));
  return out;
}

function decodeEntry(bytes: Uint8Array): { header: EntryHeader; data: DailyBarsData } | undefined {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(8, true);
  let header: EntryHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
  } catch {
    return undefined;
  }
  if (header.version !== VERSION) return undefined;
  const n = header.rows;
  const datesAt = Math.ceil((12 + jsonLength) / 8) * 8;
  const columnsAt = Math.ceil((datesAt + 4 * n) / 8) * 8;
  const count = 5 + header.optional.length;
  if (bytes.length !== columnsAt + count * 8 * n) return undefined;
  // Copy into an aligned buffer (Deno.readFile gives offset 0, but be safe) and slice views from it.
  const buffer = bytes.byteOffset % 8 === 0 ? bytes.buffer : bytes.slice().buffer;
  const base = bytes.byteOffset % 8 === 0 ? bytes.byteOffset : 0;
  const packed = new Uint32Array(buffer, base + datesAt, n);
  const dates: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = packed[i];
    let text = dateText.get(x);
    if (text === undefined) {
      const month = Math.floor(x / 100) % 100;
      const day = x % 100;
      text = `${Math.floor(x / 10000)}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
      dateText.set(x, text);
    }
    dates[i] = text;
  }
  const column = (c: number) => new Float64Array(buffer, base + columnsAt + c * 8 * n, n);
  const optional: DailyBarsData["optional"] = {};
  header.optional.forEach((name, k) => optional[name] = column(5 + k));
  return {
    header,
    data: {
      dates,
      open: column(0),
      high: column(1),
      low: column(2),
      close: column(3),
      volume: column(4),
      optional,
    },
  };
}
