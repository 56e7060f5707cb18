// Archives whose headers lie are refused quickly and in bounded memory: an xlsx worksheet part that
// declares 1 KiB but inflates to 1 GiB, and a .csv.gz that inflates to 1 GiB, each built here from about
// 1 MB of DEFLATE. Each case runs in a child process (tests/data/_zip_bomb_child.ts) so that its resident
// memory is measured alone; the 2 s bound is the and is timed around the call only (the fixed
// code takes ~0.1 s; the old one took 4-13 s and 3.1 GB).
import assert from "node:assert/strict";
import { join } from "node:path";
import { lyingXlsx, zerosDeflate } from "./_zip_bomb.ts";

const MIB = 1024 * 1024;
/** The part limit (maxUnpackedBytes) the children run with; memory growth must stay under it. */
const PART_LIMIT = 64 * MIB;
const CHILD = new URL("./_zip_bomb_child.ts", import.meta.url).pathname;

interface ChildReport {
  milliseconds: number;
  rssBefore: number;
  rssAfter: number;
  peakRss: number | null;
  growth: number;
  error: { name: string; message: string; firstProblem?: string } | null;
}

async function openInChild(mode: string, file: string): Promise<ChildReport> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, mode, file, String(PART_LIMIT)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.ok(output.success, `child ${mode} failed:\n${new TextDecoder().decode(output.stderr)}`);
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

/** The call took < 2 s and resident memory grew by less than `bound` bytes (default: the part limit). */
function assertBounded(report: ChildReport, what: string, bound = PART_LIMIT): void {
  assert.ok(
    report.milliseconds < 2000,
    `${what}: refused after ${report.milliseconds.toFixed(0)} ms (≥ 2 s)`,
  );
  assert.ok(
    report.growth < bound,
    `${what}: resident memory grew by ${(report.growth / MIB).toFixed(1)} MiB, more than ${
      (bound / MIB).toFixed(0)
    } MiB`,
  );
  console.log(
    `${what}: ${report.milliseconds.toFixed(0)} ms, +${(report.growth / MIB).toFixed(1)} MiB resident`,
  );
}

/** A gzip member around a raw DEFLATE stream (CRC and size left 0: unpacking must stop long before them). */
function gzipAround(deflate: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + deflate.length + 8);
  out.set([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]);
  out.set(deflate, 10);
  return out;
}

Deno.test("an xlsx whose worksheet declares 1 KiB but inflates to 1 GiB is refused in < 2 s, memory bounded", async () => {
  const folder = await Deno.makeTempDir({ prefix: "equilab-bomb-" });
  try {
    const file = join(folder, "bomb_000001.xlsx");
    const bomb = lyingXlsx(1024, 1024);
    assert.ok(bomb.length < 2 * MIB, `the bomb is ${bomb.length} bytes on disk`);
    await Deno.writeFile(file, bomb);
    for (const mode of ["xlsx-sync", "xlsx-async"]) {
      const report = await openInChild(mode, file);
      assert.equal(report.error?.name, "XlsxUnpackLimitError", `${mode}: ${JSON.stringify(report.error)}`);
      assert.match(
        report.error!.message,
        /part "xl\/worksheets\/sheet1\.xml" unpacks to more than its declared 1024 bytes/,
      );
      assertBounded(report, mode);
    }
    const loaded = await openInChild("load", file);
    assert.equal(loaded.error?.name, "DataLoadError");
    assert.match(
      loaded.error!.firstProblem!,
      /bomb_000001\.xlsx: part "xl\/worksheets\/sheet1\.xml" unpacks to more than its declared 1024 bytes/,
    );
    assertBounded(loaded, "loadBars");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a .csv.gz that inflates to 1 GiB is refused at the part limit in < 2 s, memory near the limit", async () => {
  const folder = await Deno.makeTempDir({ prefix: "equilab-bomb-" });
  try {
    const file = join(folder, "bomb.csv.gz");
    await Deno.writeFile(file, gzipAround(zerosDeflate(1024)));
    const report = await openInChild("load", file);
    assert.equal(report.error?.name, "DataLoadError");
    assert.match(
      report.error!.firstProblem!,
      /bomb\.csv\.gz: the gzip data unpacks to more than the limit of 67108864 bytes/,
    );
    // No declared size here: what is unpacked is kept up to the limit itself, so the bound is the limit plus
    // one step's output and the stream's buffers (32 MiB); before the fix the whole 1 GiB was unpacked.
    assertBounded(report, "loadBars .csv.gz", PART_LIMIT + 32 * MIB);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
