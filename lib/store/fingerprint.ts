/**
 * Fingerprints of experiment units: a hash of what decides a unit's numbers — its resolved settings,
 * the sha256 of every data file it reads, its study's numerics version and its dependencies'
 * fingerprints — and of nothing else (not the git commit: a refactor that leaves the numbers alone
 * must not invalidate the store).
 */

/**
 * JSON with object keys sorted at every level, so equal values always give equal text. Typed arrays
 * become arrays; `undefined` members are left out (as JSON.stringify does); a non-finite number is
 * written as the string `"Infinity"`, `"-Infinity"` or `"NaN"` (settings use Infinity for "unlimited");
 * a function or a symbol is an error.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./fingerprint.ts";
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, "value");
}

function write(value: unknown, where: string): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return write(Array.from(value as unknown as ArrayLike<number>), where);
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => write(item, `${where}[${index}]`)).join(",")}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${
      entries.map(([key, item]) => `${JSON.stringify(key)}:${write(item, `${where}.${key}`)}`).join(",")
    }}`;
  }
  throw new TypeError(`canonicalJson: ${where} is a ${typeof value}, which JSON cannot hold`);
}

/**
 * Lower-case hex SHA-256 of text (UTF-8) or bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./fingerprint.ts";
 * await sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export async function sha256Hex(content: string | Uint8Array): Promise<string> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What a fingerprint covers. */
export interface FingerprintArgs {
  /** The unit's resolved settings: every option that decides its numbers (seed included). */
  settings: unknown;
  /** The data files it reads: path inside the data set → sha256. */
  dataFiles: Readonly<Record<string, string>>;
  /** The study's numerics version, bumped by the code whenever a change alters what units compute. */
  numericsVersion: number;
  /** Fingerprints of the units it depends on, by unit id. Default none. */
  dependencies?: Readonly<Record<string, string>>;
}

/**
 * A unit's fingerprint: the first 16 hex digits of the SHA-256 of the canonical JSON of `args`.
 *
 * @example
 * ```ts
 * import { unitFingerprint } from "./fingerprint.ts";
 * const fingerprint = await unitFingerprint({ settings: { epochs: 10, seed: 1 }, dataFiles: {}, numericsVersion: 1 });
 * fingerprint.length; // 16
 * ```
 */
export async function unitFingerprint(args: FingerprintArgs): Promise<string> {
  if (!Number.isInteger(args.numericsVersion) || args.numericsVersion < 1) {
    throw new RangeError(
      `unitFingerprint: numericsVersion must be an integer ≥ 1, got ${args.numericsVersion}`,
    );
  }
  const text = canonicalJson({
    settings: args.settings,
    dataFiles: args.dataFiles,
    numericsVersion: args.numericsVersion,
    dependencies: args.dependencies ?? {},
  });
  return (await sha256Hex(text)).slice(0, 16);
}
