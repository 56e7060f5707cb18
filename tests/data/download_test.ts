import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ChecksumMismatchError,
  DownloadError,
  downloadVerified,
  sha256Hex,
  verifyBytes,
} from "../../lib/data/download.ts";
import { serveFolder } from "./_mirror_server.ts";

async function fixture(): Promise<
  { folder: string; bytes: Uint8Array; expected: { sha256: string; bytes: number } }
> {
  const folder = await Deno.makeTempDir({ prefix: "equilab_download_" });
  const bytes = new Uint8Array(5000);
  for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 31 + 7) & 0xff;
  await Deno.mkdir(join(folder, "sub"), { recursive: true });
  await Deno.writeFile(join(folder, "sub", "SH#000001.txt"), bytes);
  return { folder, bytes, expected: { sha256: await sha256Hex(bytes), bytes: bytes.length } };
}

async function listFiles(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

const fast = { timeoutMs: 300, retries: 1, backoffMs: 10 };

Deno.test("sha256Hex matches the FIPS 180-2 test vector", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("verifyBytes rejects a wrong size and a wrong hash", async () => {
  const bytes = new TextEncoder().encode("abc");
  const sha256 = await sha256Hex(bytes);
  await verifyBytes(bytes, { sha256, bytes: 3 }, "x");
  await assert.rejects(
    verifyBytes(bytes, { sha256, bytes: 4 }, "x"),
    /x: checksum mismatch, expected 4 bytes/,
  );
  await assert.rejects(
    verifyBytes(bytes, { sha256: "0".repeat(64), bytes: 3 }, "x"),
    ChecksumMismatchError,
  );
});

Deno.test("downloadVerified: fetches, verifies and renames into place (a '#' in the name is %23)", async () => {
  const { folder, bytes, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    const target = join(folder, "out", "a.txt");
    await downloadVerified(`${server.url}sub/SH%23000001.txt`, target, expected, fast);
    assert.deepEqual(await Deno.readFile(target), bytes);
    assert.deepEqual(await listFiles(join(folder, "out")), ["a.txt"]);
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("downloadVerified: a corrupted file fails its checksum, is not retried, leaves nothing", async () => {
  const { folder, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    const target = join(folder, "out", "a.txt");
    await assert.rejects(
      downloadVerified(`${server.url}corrupt/sub/SH%23000001.txt`, target, expected, fast),
      (error: unknown) => error instanceof ChecksumMismatchError && /expected sha256/.test(error.message),
    );
    assert.deepEqual(await listFiles(join(folder, "out")), []);
    assert.equal(server.hits.get("/corrupt/sub/SH#000001.txt"), 1);
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("downloadVerified: a 404 fails at once with the status", async () => {
  const { folder, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    await assert.rejects(
      downloadVerified(`${server.url}nope.csv`, join(folder, "out", "a.txt"), expected, fast),
      (error: unknown) =>
        error instanceof DownloadError && error.status === 404 && /HTTP 404/.test(error.message),
    );
    assert.equal(server.hits.get("/nope.csv"), 1);
    assert.deepEqual(await listFiles(join(folder, "out")), []);
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("downloadVerified: a server that never answers times out, retries, then gives up", async () => {
  const { folder, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    const started = performance.now();
    await assert.rejects(
      downloadVerified(`${server.url}stall/sub/SH%23000001.txt`, join(folder, "out", "a.txt"), expected, {
        timeoutMs: 150,
        retries: 1,
        backoffMs: 10,
      }),
      /timed out after 150 ms \(gave up after 2 attempts\)/,
    );
    // Bounded: two 150 ms attempts, not the 60 s default.
    assert.ok(performance.now() - started < 5000);
    assert.equal(server.hits.get("/stall/sub/SH#000001.txt"), 2);
    assert.deepEqual(await listFiles(join(folder, "out")), []);
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("downloadVerified: a body that stalls half-way times out too", async () => {
  const { folder, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    await assert.rejects(
      downloadVerified(
        `${server.url}stall-body/sub/SH%23000001.txt`,
        join(folder, "out", "a.txt"),
        expected,
        {
          timeoutMs: 150,
          retries: 0,
        },
      ),
      /timed out after 150 ms/,
    );
    assert.deepEqual(await listFiles(join(folder, "out")), []);
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("downloadVerified: transient 503s are retried with backoff until the file comes", async () => {
  const { folder, bytes, expected } = await fixture();
  const server = serveFolder(folder);
  try {
    const target = join(folder, "out", "a.txt");
    await downloadVerified(`${server.url}flaky/2/sub/SH%23000001.txt`, target, expected, {
      timeoutMs: 1000,
      retries: 2,
      backoffMs: 5,
    });
    assert.deepEqual(await Deno.readFile(target), bytes);
    assert.equal(server.hits.get("/flaky/2/sub/SH#000001.txt"), 3);
    await assert.rejects(
      downloadVerified(`${server.url}flaky/5/sub/SH%23000001.txt`, target + "2", expected, {
        retries: 1,
        backoffMs: 5,
      }),
      /HTTP 503.*gave up after 2 attempts/,
    );
  } finally {
    await server.close();
    await Deno.remove(folder, { recursive: true });
  }
});
