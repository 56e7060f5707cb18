// Shared helpers for the data tests: build inputs in temp folders (no binary fixtures committed).
import { DataError } from "../../lib/data/mod.ts";

/** `count` consecutive calendar days from 2024-01-01, "YYYY-MM-DD". */
export function days(count: number, start = Date.UTC(2024, 0, 1)): string[] {
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Rows of plausible bars: [date, open, high, low, close, volume, amount]. */
export function barRows(count: number): (string | number)[][] {
  return days(count).map((date, i) => {
    const base = 10 + (i % 7) * 0.1;
    return [
      date,
      base,
      +(base + 0.5).toFixed(2),
      +(base - 0.5).toFixed(2),
      +(base + 0.2).toFixed(2),
      1000 + i,
      10_000 + i,
    ];
  });
}

/** CSV text with the standard English header and `count` valid rows, then `edit` applied to the lines. */
export function csvText(count: number, edit: (lines: string[]) => void = () => {}): string {
  const lines = ["date,open,high,low,close,volume,amount", ...barRows(count).map((row) => row.join(","))];
  edit(lines);
  return lines.join("\n") + "\n";
}

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempFolder(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix: "equilab-data-" });
  return { path, cleanup: () => Deno.remove(path, { recursive: true }) };
}

/** Writes text or bytes to `folder/name` and returns the path. */
export async function writeIn(folder: string, name: string, content: string | Uint8Array): Promise<string> {
  const path = `${folder}/${name}`;
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

const GBK: Record<string, number[]> = {
  "日": [0xc8, 0xd5],
  "期": [0xc6, 0xda],
  "开": [0xbf, 0xaa],
  "盘": [0xc5, 0xcc],
  "最": [0xd7, 0xee],
  "高": [0xb8, 0xdf],
  "低": [0xb5, 0xcd],
  "收": [0xca, 0xd5],
  "成": [0xb3, 0xc9],
  "交": [0xbd, 0xbb],
  "量": [0xc1, 0xbf],
  "额": [0xb6, 0xee],
  "数": [0xca, 0xfd],
  "据": [0xbe, 0xdd],
  "来": [0xc0, 0xb4],
  "源": [0xd4, 0xb4],
  "通": [0xcd, 0xa8],
  "达": [0xb4, 0xef],
  "信": [0xd0, 0xc5],
  "线": [0xcf, 0xdf],
  "前": [0xc7, 0xb0],
  "复": [0xb8, 0xb4],
  "权": [0xc8, 0xa8],
  "后": [0xba, 0xf3],
  "不": [0xb2, 0xbb],
  "测": [0xb2, 0xe2],
  "试": [0xca, 0xd4],
  "股": [0xb9, 0xc9],
  "票": [0xc6, 0xb1],
  "周": [0xd6, 0xdc],
  "指": [0xd6, 0xb8],
};

/** Encodes text as GBK (ASCII plus the Chinese characters TDX files use in these tests). */
export function gbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (GBK[char]) out.push(...GBK[char]);
    else throw new Error(`gbk(): no table entry for ${char}`);
  }
  return new Uint8Array(out);
}

/** A TDX export (GBK) with `count` rows; `edit` may change the lines before encoding. */
export function tdxBytes(
  count: number,
  options: { title?: string; edit?: (lines: string[]) => void } = {},
): Uint8Array {
  const lines = [
    options.title ?? "600000 测试股票 日线 前复权",
    "      日期\t    开盘\t    最高\t    最低\t    收盘\t    成交量\t    成交额",
    ...barRows(count).map((row) =>
      [String(row[0]).replaceAll("-", "/"), ...row.slice(1).map(String)].join("\t")
    ),
    "数据来源:通达信",
  ];
  options.edit?.(lines);
  return gbk(lines.join("\r\n") + "\r\n");
}

/** The mirror folder of real data, or undefined (with the reason) when absent. */
export function mirrorFolder(): string | undefined {
  const fromEnv = Deno.env.get("EQUILAB_DATA_MIRROR");
  const candidates = fromEnv ? [fromEnv] : [new URL("../../../shared/data", import.meta.url).pathname];
  for (const candidate of candidates) {
    try {
      if (Deno.statSync(candidate).isDirectory) return candidate.replace(/\/+$/, "");
    } catch {
      // not there
    }
  }
  if (Deno.env.get("CI") === "true") {
    throw new Error(`real-data mirror missing (EQUILAB_DATA_MIRROR or ../shared/data); CI requires it`);
  }
  return undefined;
}

/** Asserts that one of the errors matches every given field; returns it. */
export function findError(
  errors: DataError[],
  expected: { row?: number | null; column?: string | null; value?: string | null; message: RegExp },
): DataError {
  const match = errors.find((error) =>
    (expected.row === undefined || error.row === expected.row) &&
    (expected.column === undefined || error.column === expected.column) &&
    (expected.value === undefined || error.value === expected.value) &&
    expected.message.test(error.message)
  );
  if (!match) {
    throw new Error(
      `no error like ${JSON.stringify({ ...expected, message: String(expected.message) })}; got:\n` +
        errors.map((error) => "  " + error.message).join("\n"),
    );
  }
  return match;
}
