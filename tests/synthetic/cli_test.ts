import assert from "node:assert/strict";
import { parseSyntheticArgs } from "../../lib/synthetic/cli.ts";

Deno.test("parseSyntheticArgs: defaults, values and errors that name the flag", () => {
  const options = parseSyntheticArgs([
    "--out",
    "x",
    "--format",
    "tdx",
    "--seed",
    "3",
    "--kind",
    "random-walk",
  ]);
  assert.deepEqual(options, {
    out: "x",
    format: "tdx",
    kind: "random-walk",
    seed: 3,
    stocks: 20,
    days: 500,
    suspensions: 0,
    headers: "english",
    encoding: "utf-8",
  });
  assert.throws(() => parseSyntheticArgs(["--format", "tdx"]), /--out FOLDER is required/);
  assert.throws(
    () => parseSyntheticArgs(["--out", "x", "--format", "pdf"]),
    /--format must be one of csv, tdx, equinet-xlsx, got pdf/,
  );
  assert.throws(
    () => parseSyntheticArgs(["--out", "x", "--seed", "abc"]),
    /--seed must be a number, got abc/,
  );
  assert.throws(() => parseSyntheticArgs(["--out", "x", "--colour", "red"]), /unknown argument --colour/);
  assert.throws(() => parseSyntheticArgs(["--out"]), /--out needs a value/);
});
