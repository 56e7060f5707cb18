// Tiny XML helpers for the parts of an xlsx workbook we read. Not a general XML parser: it handles the
// well-formed, namespace-light markup spreadsheet programs write. Private to lib/data/xlsx.
import { XlsxError } from "./errors.ts";

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes XML character references and the OOXML `_xHHHH_` escapes. */
export function decodeText(text: string): string {
  let out = text;
  if (out.includes("&")) {
    out = out.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
      if (body[0] === "#") {
        const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return NAMED_ENTITIES[body] ?? whole;
    });
  }
  if (out.includes("_x")) {
    out = out.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return out;
}

/** Escapes text for use in XML content or a double-quoted attribute. */
export function escapeText(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

/**
 * The value of attribute `name` in one tag's text (e.g. `<c r="A1" t="s">`), or undefined.
 * Perf: called for every cell on short strings; indexOf, no regex unless the tag spans lines.
 */
export function attributeOf(tag: string, name: string): string | undefined {
  const needle = " " + name + '="';
  let at = tag.indexOf(needle);
  if (at < 0) {
    if (!/[\t\n\r]/.test(tag)) return undefined;
    const match = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag);
    return match ? match[1] : undefined;
  }
  at += needle.length;
  const close = tag.indexOf('"', at);
  if (close < 0) throw new XlsxError(`malformed XML: unterminated attribute ${name}`);
  return tag.slice(at, close);
}

/** Every opening tag `<name ...>` (or self-closing) in xml, as attribute records. */
export function tagsNamed(xml: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const pattern = new RegExp(`<(?:[A-Za-z0-9_]+:)?${name}(?=[\\s/>])([^>]*)>`, "g");
  for (const match of xml.matchAll(pattern)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1].matchAll(/([A-Za-z0-9_:]+)\s*=\s*"([^"]*)"/g)) {
      attributes[attribute[1]] = decodeText(attribute[2]);
    }
    out.push(attributes);
  }
  return out;
}

/** Concatenated text of every `<t>` element in a fragment, skipping phonetic runs (`<rPh>`). */
export function textRuns(fragment: string): string {
  let body = fragment;
  if (body.includes("<rPh")) body = body.replace(/<rPh[\s\S]*?<\/rPh>/g, "");
  let out = "";
  let p = 0;
  while (true) {
    const open = body.indexOf("<t", p);
    if (open < 0) break;
    const after = body.charCodeAt(open + 2);
    // "<t>" or "<t xml:space=...>" but not "<tag...>".
    if (after !== 62 /* > */ && after !== 32 /* space */ && after !== 47 /* / */) {
      p = open + 2;
      continue;
    }
    const gt = body.indexOf(">", open);
    if (gt < 0) throw new XlsxError("malformed XML: unterminated <t> tag");
    if (body.charCodeAt(gt - 1) === 47) { // <t/>
      p = gt + 1;
      continue;
    }
    const close = body.indexOf("</t>", gt);
    if (close < 0) throw new XlsxError("malformed XML: <t> without </t>");
    out += body.slice(gt + 1, close);
    p = close + 4;
  }
  return decodeText(out);
}
