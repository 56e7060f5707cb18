/**
 * Verified HTTPS download of one file: timeout, retries with backoff, temp file, sha256, rename.
 */
import { writeFileAtomic } from "../io/mod.ts";

/** Options of {@link downloadVerified}. */
export interface DownloadArgs {
  /** Limit for one attempt, headers and whole body together, in milliseconds. Default 60,000. */
  timeoutMs?: number;
  /** Extra attempts after the first one fails for a transient reason. Default 3. */
  retries?: number;
  /** Wait before the first retry in milliseconds; doubled before each further retry. Default 500. */
  backoffMs?: number;
}

/** What a downloaded file must be. */
export interface ExpectedFile {
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  /** Exact size in bytes. */
  bytes: number;
}

/** A download that failed for good (after retries where a retry could help). */
export class DownloadError extends Error {
  /** The URL that failed. */
  readonly url: string;
  /** HTTP status when the server answered, else undefined. */
  readonly status?: number;
  /** Whether another attempt could succeed (network error, timeout, 5xx, 408, 429). */
  readonly transient: boolean;
  constructor(url: string, message: string, args: { status?: number; transient: boolean }) {
    super(message);
    this.name = "DownloadError";
    this.url = url;
    this.status = args.status;
    this.transient = args.transient;
  }
}

/** A file whose size or SHA-256 differs from the registry's: always an error, never a warning. */
export class ChecksumMismatchError extends Error {
  /** The file (local path or URL) that was checked. */
  readonly location: string;
  /** What the registry expects: "sha256 <hex>" or "<n> bytes". */
  readonly expected: string;
  /** What was found. */
  readonly actual: string;
  constructor(location: string, expected: string, actual: string, hint = "") {
    super(`${location}: checksum mismatch, expected ${expected}, got ${actual}${hint ? `. ${hint}` : ""}`);
    this.name = "ChecksumMismatchError";
    this.location = location;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Lower-case hex SHA-256 of some bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./download.ts";
 * await sha256Hex(new TextEncoder().encode("abc")); // "ba7816bf…"
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (let index = 0; index < digest.length; index++) hex += digest[index].toString(16).padStart(2, "0");
  return hex;
}

/**
 * Checks size, then SHA-256, of bytes against what the registry expects; throws
 * {@link ChecksumMismatchError} naming `location` on any difference.
 *
 * @example
 * ```ts
 * import { sha256Hex, verifyBytes } from "./download.ts";
 * const bytes = new TextEncoder().encode("abc");
 * await verifyBytes(bytes, { bytes: 3, sha256: await sha256Hex(bytes) }, "abc.txt");
 * ```
 */
export async function verifyBytes(
  bytes: Uint8Array,
  expected: ExpectedFile,
  location: string,
): Promise<void> {
  if (bytes.length !== expected.bytes) {
    throw new ChecksumMismatchError(location, `${expected.bytes} bytes`, `${bytes.length} bytes`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected.sha256) {
    throw new ChecksumMismatchError(location, `sha256 ${expected.sha256}`, `sha256 ${actual}`);
  }
}

/**
 * Downloads `url` to `destination` and verifies it: each attempt has `timeoutMs` for headers and
 * body; transient failures (network error, timeout, HTTP 5xx/408/429) are retried after
 * `backoffMs`, 2×, 4×…; a 404 or other 4xx fails at once; the body goes to a temp file beside
 * the destination, is checked against `expected` (size and SHA-256) and only then renamed into
 * place, so a failure never leaves a half-written or unverified file. A mismatch throws
 * {@link ChecksumMismatchError} and is not retried (the server has other bytes than the registry).
 *
 * @example
 * ```ts ignore
 * import { downloadVerified } from "./download.ts";
 * await downloadVerified("https://example.org/a.csv", "data/cache/a.csv", { sha256: "…", bytes: 120 });
 * ```
 */
export async function downloadVerified(
  url: string,
  destination: string,
  expected: ExpectedFile,
  args: DownloadArgs = {},
): Promise<void> {
  const timeoutMs = args.timeoutMs ?? 60_000;
  const retries = args.retries ?? 3;
  const backoffMs = args.backoffMs ?? 500;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`retries must be an integer >= 0, got ${retries}`);
  }
  let lastError: DownloadError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
    let bytes: Uint8Array;
    try {
      bytes = await fetchOnce(url, timeoutMs, expected.bytes);
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      lastError = error;
      if (!error.transient) throw error;
      continue;
    }
    await verifyBytes(bytes, expected, url);
    await writeAtomically(destination, bytes);
    return;
  }
  throw new DownloadError(
    url,
    `${lastError?.message ?? url} (gave up after ${retries + 1} attempts)`,
    { status: lastError?.status, transient: true },
  );
}

/** Writes bytes to a temp file beside `destination`, then renames it into place. */
export function writeAtomically(destination: string, bytes: Uint8Array): Promise<void> {
  return writeFileAtomic(destination, bytes);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** One GET with a timeout covering headers and body; reads at most `maxBytes` + 1 bytes. */
async function fetchOnce(url: string, timeoutMs: number, maxBytes: number): Promise<Uint8Array> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch (error) {
      throw networkError(url, error, timedOut, timeoutMs);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const status = response.status;
      const transient = status >= 500 || status === 408 || status === 429;
      throw new DownloadError(url, `${url}: HTTP ${status} ${response.statusText}`.trim(), {
        status,
        transient,
      });
    }
    if (response.body === null) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        total += value.length;
        // A server sending more than the registry's size cannot be right: stop early (the size
        // check then reports the mismatch) instead of filling memory.
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          break;
        }
      }
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw networkError(url, error, timedOut, timeoutMs);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

function networkError(url: string, error: unknown, timedOut: boolean, timeoutMs: number): DownloadError {
  if (timedOut) return new DownloadError(url, `${url}: timed out after ${timeoutMs} ms`, { transient: true });
  const reason = error instanceof Error ? error.message : String(error);
  return new DownloadError(url, `${url}: ${reason}`, { transient: true });
}
