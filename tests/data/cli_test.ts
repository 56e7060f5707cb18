// The data:check CLI as a user runs it: exit codes 0/1/2 and the JSON line shape.
import assert from "node:assert/strict";
import { parseCliArgs } from "../../lib/data/cli.ts";
import { csvText, mirrorFolder, tempFolder, writeIn } from "./_helpers.ts";

const CLI = new URL("../../lib/data/cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

const JSON_KEYS = ["file", "format", "ok", "rows", "first", "last", "code", "warnings", "errors"];

Deno.test("cli: valid files exit 0, one JSON object per line per file", async () => {
  const folder = await tempFolder();
  try {
    await writeIn(folder.path, "a_600000.csv", csvText(70));
    await writeIn(folder.path, "LICENSE", "MIT");
    const single = await writeIn(folder.path, "b_600001.csv", csvText(80));
    const { code, stdout } = await runCli(folder.path, single, "--json");
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 4, "LICENSE, a, b from the folder, then b again");
    const a = lines.find((line) => line.file.endsWith("a_600000.csv"));
    for (const key of JSON_KEYS) assert.ok(key in a, `missing ${key}`);
    assert.deepEqual(
      {
        ok: a.ok,
        rows: a.rows,
        first: a.first,
        last: a.last,
        code: a.code,
        format: a.format,
        errors: a.errors,
      },
      {
        ok: true,
        rows: 70,
        first: "2024-01-01",
        last: "2024-03-10",
        code: "600000",
        format: "csv",
        errors: [],
      },
    );
    const license = lines.find((line) => line.file.endsWith("LICENSE"));
    assert.equal(license.ok, true);
    assert.equal(license.format, "not-data");
    assert.match(license.warnings[0], /ignored: not a data file/);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("cli: an invalid file exits 1 and reports row, column, value and message", async () => {
  const folder = await tempFolder();
  try {
    const path = await writeIn(
      folder.path,
      "bad.csv",
      csvText(70, (lines) => lines[4] = "2024-01-04,10,9,11,10,1,1"),
    );
    const { code, stdout } = await runCli(path, "--json");
    assert.equal(code, 1);
    const line = JSON.parse(stdout.trim());
    assert.equal(line.ok, false);
    assert.deepEqual(line.errors, [{
      row: 5,
      column: "high",
      value: "9",
      message: "high 9 is below low 11 (low)",
    }]);
    const plain = await runCli(path);
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^FAIL .*bad\.csv .*row 5, column "high": high 9 is below low 11/);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("cli: --min-rows is honoured", async () => {
  const folder = await tempFolder();
  try {
    const path = await writeIn(folder.path, "short.csv", csvText(20));
    assert.equal((await runCli(path)).code, 1);
    assert.equal((await runCli(path, "--min-rows", "20")).code, 0);
    assert.equal((await runCli(path, "--min-rows=21")).code, 1);
  } finally {
    await folder.cleanup();
  }
});

Deno.test("cli: usage errors exit 2 (unknown option, nonexistent path, no path, bad --min-rows)", async () => {
  const unknown = await runCli("--frobnicate", ".");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --frobnicate/);
  const missing = await runCli("/nonexistent/folder/file.csv");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or folder: \/nonexistent\/folder\/file\.csv/);
  assert.equal((await runCli()).code, 2);
  assert.equal(typeof parseCliArgs(["a", "--min-rows", "x"]), "string");
  assert.deepEqual(parseCliArgs(["a", "--json", "--min-rows", "5"]), {
    paths: ["a"],
    json: true,
    minRows: 5,
    dropQuirkRows: false,
    help: false,
  });
});

const mirror = mirrorFolder();
Deno.test({
  name: "cli: the real tdx and indices folders are valid (with explained warnings)",
  ignore: mirror === undefined,
  fn: async () => {
    const { code, stdout } = await runCli(`${mirror}/tdx`, `${mirror}/indices`, "--json");
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 12 + 6);
    const sse = lines.find((line) => line.file.endsWith("SH#000001.txt"));
    assert.deepEqual([sse.rows, sse.first, sse.last], [6547, "1990-12-19", "2017-09-21"]);
    assert.match(sse.warnings[0], /16 index bars have high\/low contradicting open\/close/);
    const chinext = lines.find((line) => line.file.endsWith("399006_chinext.csv"));
    assert.deepEqual([chinext.rows, chinext.first, chinext.last], [2787, "2010-06-01", "2021-11-18"]);
    const csi300 = lines.find((line) => line.file.endsWith("000300_csi300_2018_2026.csv"));
    assert.deepEqual([csi300.rows, csi300.first, csi300.last], [1989, "2018-01-02", "2026-03-18"]);
  },
});

Deno.test("cli: a folder's subfolders are walked, each file reported by its path; --drop-quirk-rows lists quirk rows", async () => {
  const folder = await tempFolder();
  try {
    await Deno.mkdir(`${folder.path}/sub/deeper`, { recursive: true });
    await writeIn(folder.path, "a_600000.csv", csvText(70));
    await writeIn(`${folder.path}/sub`, "b_600001.csv", csvText(70));
    await writeIn(
      `${folder.path}/sub/deeper`,
      "c_600002.csv",
      csvText(70, (lines) => lines[5] = lines[5].replace(/,.*$/, ",null,null,null,null,null,null")),
    );
    const strict = await runCli(folder.path, "--json");
    assert.equal(strict.code, 1, "the null row fails its file");
    const lines = strict.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((line) => [line.file.slice(folder.path.length + 1), line.ok]), [
      ["a_600000.csv", true],
      ["sub/b_600001.csv", true],
      ["sub/deeper/c_600002.csv", false],
    ]);
    assert.equal(lines.some((line) => line.skipped), false, "no bare skipped line for a subfolder");
    assert.deepEqual(lines[2].errors[0].row, 6);
    const lenient = await runCli(folder.path, "--json", "--drop-quirk-rows");
    assert.equal(lenient.code, 0, lenient.stdout);
    const c = lenient.stdout.trim().split("\n").map((line) => JSON.parse(line))[2];
    assert.deepEqual(c.quirkRows.map((row: { row: number; quirk: string }) => [row.row, row.quirk]), [
      [6, "blank-row"],
    ]);
    const plain = await runCli(folder.path);
    assert.match(plain.stdout, /FAIL {2}\S*\/sub\/deeper\/c_600002\.csv .*row 6, column "open"/);
  } finally {
    await folder.cleanup();
  }
});
