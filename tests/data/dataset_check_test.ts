import assert from "node:assert/strict";
import { join } from "node:path";
import { checkDataset, resolveDataset, sha256Hex } from "../../lib/data/mod.ts";
import type { Registry } from "../../lib/data/mod.ts";

const header = "date,open,high,low,close,volume\n";
function rows(count: number, brokenRow?: number): string {
  let text = header;
  for (let day = 0; day < count; day++) {
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    const low = day === brokenRow ? 12 : 9;
    text += `${date},10,11,${low},10.5,1000\n`;
  }
  return text;
}

async function fixture(files: Record<string, string>): Promise<{ mirror: string; registry: Registry }> {
  const mirror = await Deno.makeTempDir();
  const entries = [];
  for (const [path, text] of Object.entries(files)) {
    const bytes = new TextEncoder().encode(text);
    await Deno.mkdir(join(mirror, path, ".."), { recursive: true });
    await Deno.writeFile(join(mirror, path), bytes);
    entries.push({
      path,
      sha256: await sha256Hex(bytes),
      bytes: bytes.length,
      licence: "test",
      description: "test",
    });
  }
  const registry = {
    version: 1,
    generatedFrom: "test",
    datasets: { "test-set": { name: "test-set", description: "test", licence: "test", files: entries } },
  } as unknown as Registry;
  return { mirror, registry };
}

Deno.test("checkDataset sums up valid bar files and reports the invalid one in full", async () => {
  const { mirror, registry } = await fixture({
    "set/a.csv": rows(70),
    "set/b.csv": rows(80, 5),
    "set/LICENSE": "MIT",
  });
  const resolved = await resolveDataset("test-set", { registry, mirrorDir: mirror, download: false });
  const summary = await checkDataset(resolved);
  assert.equal(summary.files, 3);
  assert.equal(summary.source, "mirror");
  assert.equal(summary.barFiles, 2);
  assert.equal(summary.valid, 1);
  assert.equal(summary.rows, 70);
  assert.equal(summary.first, "2024-01-01");
  assert.equal(summary.last, "2024-03-10");
  const bad = summary.reports.find((report) => !report.ok)!;
  assert.ok(bad.file.endsWith("b.csv"));
  // row 7 as a spreadsheet shows it: header is row 1, the 6th data row (index 5) is row 7.
  assert.ok(bad.errors.some((error) => error.row === 7), JSON.stringify(bad.errors.slice(0, 2)));
});
