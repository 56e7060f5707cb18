/**
 * Bounded decompression for untrusted archives (xlsx parts, `.csv.gz` files): the compressed bytes are
 * fed to the inflater in small slices, so each step can produce at most about 1,032 × {@link INFLATE_SLICE_BYTES}
 * bytes (DEFLATE's largest ratio), and inflation stops as soon as the output passes its cap. A stream whose
 * header understates its size is refused after unpacking little more than the cap, in time and memory
 * proportional to the cap, never to what the stream would unpack to.
 */
import { Inflate } from "fflate";

/**
 * Compressed bytes given to the inflater per step: 8 KiB, so one step yields at most ~8.3 MiB.
 */
export const INFLATE_SLICE_BYTES = 8 * 1024;

/** DEFLATE's largest expansion: 258 bytes from as little as 2 bits, i.e. 1,032 bytes per input byte. */
const DEFLATE_MAX_RATIO = 1032;

/** The compressed formats {@link inflateBounded} and {@link inflateBoundedAsync} read. */
export type InflateFormat = "deflate-raw" | "gzip";

/**
 * Options of {@link inflateBounded} and {@link inflateBoundedAsync}.
 *
 * @example
 * ```ts
 * import type { InflateBoundedArgs } from "./inflate.ts";
 * const args: InflateBoundedArgs = { what: 'part "xl/worksheets/sheet1.xml"', maxBytes: 1 << 20, declaredBytes: 1000 };
 * ```
 */
export interface InflateBoundedArgs {
  /** What is being unpacked, for messages (e.g. `part "xl/worksheets/sheet1.xml"`). */
  what: string;
  /** Hard limit on the unpacked size, bytes. */
  maxBytes: number;
  /**
   * The size the container declares (a zip's central directory). When given, the output must be exactly
   * this long, and unpacking stops as soon as it passes it. Must not exceed `maxBytes`.
   */
  declaredBytes?: number;
  /** `"deflate-raw"` (zip members, the default) or `"gzip"` (only {@link inflateBoundedAsync}). */
  format?: InflateFormat;
}

/**
 * Compressed data that unpacks to more than it may: more than its declared size (`limitKind: "declared"`)
 * or more than the configured limit (`limitKind: "limit"`). Thrown as soon as the output passes the cap,
 * so `unpackedAtLeast` is how far unpacking got, not the full size.
 *
 * @example
 * ```ts
 * import { inflateBounded, InflateLimitError } from "./inflate.ts";
 * import { deflateSync } from "fflate";
 * try {
 *   inflateBounded(deflateSync(new Uint8Array(100_000)), { what: "a.bin", maxBytes: 1000 });
 * } catch (error) {
 *   if (error instanceof InflateLimitError) console.log(error.limit, error.limitKind); // 1000 "limit"
 * }
 * ```
 */
export class InflateLimitError extends Error {
  /** What was being unpacked. */
  readonly what: string;
  /** The cap that was passed, bytes. */
  readonly limit: number;
  /** Whether the cap was the declared size or the configured limit. */
  readonly limitKind: "declared" | "limit";
  /** Bytes unpacked when unpacking stopped (more than `limit`). */
  readonly unpackedAtLeast: number;

  /** The message names `what`, the cap and which cap it was. */
  constructor(what: string, limit: number, limitKind: "declared" | "limit", unpackedAtLeast: number) {
    super(
      limitKind === "declared"
        ? `${what} unpacks to more than its declared ${limit} bytes (stopped after ${unpackedAtLeast}; the archive lies about its size)`
        : `${what} unpacks to more than the limit of ${limit} bytes (stopped after ${unpackedAtLeast})`,
    );
    this.name = "InflateLimitError";
    this.what = what;
    this.limit = limit;
    this.limitKind = limitKind;
    this.unpackedAtLeast = unpackedAtLeast;
  }
}

/**
 * Compressed data that is damaged, truncated, or shorter than declared.
 *
 * @example
 * ```ts
 * import { inflateBounded, InflateDataError } from "./inflate.ts";
 * try {
 *   inflateBounded(new Uint8Array([0xff, 0xff]), { what: "a.bin", maxBytes: 1000 });
 * } catch (error) {
 *   if (error instanceof InflateDataError) console.log(error.message); // "a.bin cannot be unpacked (...)"
 * }
 * ```
 */
export class InflateDataError extends Error {
  /** What was being unpacked. */
  readonly what: string;
  /** The problem alone, without `what`. */
  readonly reason: string;
  /** The message names `what` and the reason. */
  constructor(what: string, reason: string) {
    super(`${what} ${reason}`);
    this.name = "InflateDataError";
    this.what = what;
    this.reason = reason;
  }
}

/** The cap and which kind it is; throws at once when the declared size cannot be right. */
function capOf(
  compressedBytes: number,
  args: InflateBoundedArgs,
): { cap: number; kind: "declared" | "limit" } {
  const { declaredBytes, maxBytes, what } = args;
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be >= 0, got ${maxBytes}`);
  if (declaredBytes === undefined) return { cap: maxBytes, kind: "limit" };
  if (declaredBytes > maxBytes) {
    throw new InflateLimitError(what, maxBytes, "limit", declaredBytes);
  }
  // Fewer compressed bytes than the declared size can need is a damaged header, found without unpacking.
  if (compressedBytes > 0 && declaredBytes > compressedBytes * DEFLATE_MAX_RATIO + 1024) {
    throw new InflateDataError(
      what,
      `declares ${declaredBytes} bytes, more than ${compressedBytes} compressed bytes can hold (damaged header)`,
    );
  }
  return { cap: declaredBytes, kind: "declared" };
}

/** Collects output chunks, refusing the one that passes the cap. */
class Sink {
  #chunks: Uint8Array[] = [];
  #buffer: Uint8Array | undefined;
  length = 0;
  constructor(readonly what: string, readonly cap: number, readonly kind: "declared" | "limit") {
    // With a declared size (already checked against the limit), the output goes straight into place.
    if (kind === "declared") this.#buffer = new Uint8Array(cap);
  }
  push(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.cap) {
      throw new InflateLimitError(this.what, this.cap, this.kind, this.length + chunk.length);
    }
    if (this.#buffer) this.#buffer.set(chunk, this.length);
    else this.#chunks.push(chunk); // fflate and DecompressionStream hand out fresh arrays
    this.length += chunk.length;
  }
  finish(): Uint8Array {
    if (this.kind === "declared" && this.length < this.cap) {
      throw new InflateDataError(this.what, `is truncated (unpacks to ${this.length} of ${this.cap} bytes)`);
    }
    if (this.#buffer) return this.#buffer;
    if (this.#chunks.length === 1) return this.#chunks[0];
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/**
 * Inflates raw DEFLATE data (a zip member) with fflate's streaming `Inflate`, {@link INFLATE_SLICE_BYTES} of
 * input at a time, stopping as soon as the output passes `declaredBytes` or `maxBytes`: memory stays within
 * the cap plus one step's output. Throws {@link InflateLimitError} for too much output and
 * {@link InflateDataError} for damaged or short data.
 *
 * @example
 * ```ts
 * import { inflateBounded } from "./inflate.ts";
 * import { deflateSync } from "fflate";
 * const packed = deflateSync(new TextEncoder().encode("hello"));
 * inflateBounded(packed, { what: "greeting", maxBytes: 1024, declaredBytes: 5 }); // the 5 bytes of "hello"
 * ```
 */
export function inflateBounded(compressed: Uint8Array, args: InflateBoundedArgs): Uint8Array {
  if ((args.format ?? "deflate-raw") !== "deflate-raw") {
    throw new RangeError(`inflateBounded reads raw DEFLATE only; use inflateBoundedAsync for ${args.format}`);
  }
  const { cap, kind } = capOf(compressed.length, args);
  const sink = new Sink(args.what, cap, kind);
  // fflate throws "unexpected EOF" when the last slice ends before the stream's final block does.
  const inflater = new Inflate((chunk) => {
    if (chunk.length > 0) sink.push(chunk);
  });
  try {
    if (compressed.length === 0) inflater.push(compressed, true);
    for (let offset = 0; offset < compressed.length; offset += INFLATE_SLICE_BYTES) {
      const end = Math.min(compressed.length, offset + INFLATE_SLICE_BYTES);
      inflater.push(compressed.subarray(offset, end), end === compressed.length);
    }
  } catch (error) {
    if (error instanceof InflateLimitError) throw error;
    throw new InflateDataError(args.what, `cannot be unpacked (${(error as Error).message})`);
  }
  return sink.finish();
}

/**
 * Like {@link inflateBounded}, but with the runtime's native `DecompressionStream` (several times faster than
 * fflate; also reads `"gzip"`, checking its CRC), fed {@link INFLATE_SLICE_BYTES} at a time so that each
 * output chunk stays small and the stream is cancelled as soon as the output passes its cap. Raw DEFLATE
 * goes to {@link inflateBounded} where `DecompressionStream` is missing or no size is declared (the native
 * stream does not report raw DEFLATE cut short).
 *
 * @example
 * ```ts
 * import { inflateBoundedAsync } from "./inflate.ts";
 * import { gzipSync } from "fflate";
 * const packed = gzipSync(new TextEncoder().encode("date,close\n"));
 * const text = await inflateBoundedAsync(packed, { what: "a.csv.gz", maxBytes: 1 << 20, format: "gzip" });
 * ```
 */
export async function inflateBoundedAsync(
  compressed: Uint8Array,
  args: InflateBoundedArgs,
): Promise<Uint8Array> {
  const format = args.format ?? "deflate-raw";
  // The native "deflate-raw" stream does not report data cut short; only a declared size (checked by the
  // sink) or fflate finds that, so raw DEFLATE without a declared size goes to fflate.
  if (
    format === "deflate-raw" &&
    (typeof DecompressionStream === "undefined" || args.declaredBytes === undefined)
  ) {
    return inflateBounded(compressed, args);
  }
  const { cap, kind } = capOf(compressed.length, args);
  const sink = new Sink(args.what, cap, kind);
  let offset = 0;
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (offset >= compressed.length) {
        controller.close();
        return;
      }
      const end = Math.min(compressed.length, offset + INFLATE_SLICE_BYTES);
      controller.enqueue(compressed.slice(offset, end) as Uint8Array<ArrayBuffer>);
      offset = end;
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new DecompressionStream(format)).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      sink.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof InflateLimitError) throw error;
    throw new InflateDataError(args.what, `cannot be unpacked (${(error as Error).message})`);
  }
  return sink.finish();
}
