// Byte sniffing and text decoding shared by the readers. Private to lib/data.

/** What a file's first bytes say it is. */
export type ByteKind =
  | "empty"
  | "zip"
  | "gzip"
  | "png"
  | "jpeg"
  | "pdf"
  | "ole"
  | "utf16"
  | "binary"
  | "text";

const KIND_NAMES: Record<ByteKind, string> = {
  empty: "an empty file (0 bytes)",
  zip: "a zip archive (an xlsx workbook?)",
  gzip: "a gzip-compressed file",
  png: "a PNG image",
  jpeg: "a JPEG image",
  pdf: "a PDF document",
  ole: "an old binary .xls workbook (or another OLE file)",
  utf16: "UTF-16 text",
  binary: "binary data",
  text: "text",
};

/** A human description of a byte kind, e.g. "a PNG image". */
export function describeKind(kind: ByteKind): string {
  return KIND_NAMES[kind];
}

/** Classifies bytes by signature; "binary" when NUL or other control bytes appear early on. */
export function sniffBytes(bytes: Uint8Array): ByteKind {
  if (bytes.length === 0) return "empty";
  const has = (...signature: number[]) => signature.every((value, i) => bytes[i] === value);
  if (has(0x50, 0x4b, 0x03, 0x04) || has(0x50, 0x4b, 0x05, 0x06)) return "zip";
  if (has(0x1f, 0x8b)) return "gzip";
  if (has(0x89, 0x50, 0x4e, 0x47)) return "png";
  if (has(0xff, 0xd8, 0xff)) return "jpeg";
  if (has(0x25, 0x50, 0x44, 0x46)) return "pdf";
  if (has(0xd0, 0xcf, 0x11, 0xe0)) return "ole";
  if (has(0xff, 0xfe) || has(0xfe, 0xff)) return "utf16";
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const x = bytes[i];
    if (x === 0) return bytes.length > 1 && (bytes[1] === 0 || bytes[0] === 0) ? "utf16" : "binary";
    if (x < 9 || (x > 13 && x < 32 && x !== 27)) return "binary";
  }
  return "text";
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const strictGbk = new TextDecoder("gbk", { fatal: true });

/**
 * Decodes text as UTF-8 (BOM stripped) or, when that fails, as GBK/GB18030 (Chinese portals and TDX).
 * Returns undefined when the bytes are neither.
 */
export function decodeText(bytes: Uint8Array, prefer: "utf-8" | "gbk" = "utf-8"):
  | { text: string; encoding: "utf-8" | "gbk" }
  | undefined {
  const order: ("utf-8" | "gbk")[] = prefer === "gbk" ? ["gbk", "utf-8"] : ["utf-8", "gbk"];
  for (const encoding of order) {
    try {
      const text = (encoding === "utf-8" ? strictUtf8 : strictGbk).decode(bytes);
      return { text: text.replace(/^\uFEFF/, ""), encoding };
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

/** A 6-digit security code and exchange from a file name such as `SH#600016.txt` or `sz.000002.csv`. */
export function codeFromFileName(name: string): { code?: string; exchange?: string } {
  const base = name.replace(/^.*[\\/]/, "");
  const prefixed = /(?:^|[^A-Za-z])(SH|SZ|BJ)[#._-]?(\d{6})(?!\d)/i.exec(base);
  if (prefixed) return { code: prefixed[2], exchange: prefixed[1].toUpperCase() };
  const plain = /(?:^|\D)(\d{6})(?!\d)/.exec(base);
  return plain ? { code: plain[1] } : {};
}

/** A 6-digit code and exchange from a code cell: "sh.600036", "'399006", "600036.SH", "000001.XSHE". */
export function parseCode(text: string): { code?: string; exchange?: string } {
  const value = text.trim().replace(/^'/, "");
  let match = /^(sh|sz|bj)[.#]?(\d{6})$/i.exec(value);
  if (match) return { code: match[2], exchange: match[1].toUpperCase() };
  match = /^(\d{6})\.(SH|SZ|BJ|XSHG|XSHE)$/i.exec(value);
  if (match) {
    const exchange = match[2].toUpperCase();
    return { code: match[1], exchange: exchange === "XSHG" ? "SH" : exchange === "XSHE" ? "SZ" : exchange };
  }
  match = /^(\d{1,6})$/.exec(value);
  if (match) return { code: match[1].padStart(6, "0") };
  return { code: value === "" ? undefined : value };
}
