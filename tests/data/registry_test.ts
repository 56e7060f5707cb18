import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { ChecksumMismatchError, sha256Hex } from "../../lib/data/download.ts";
import {
  type DatasetFile,
  DatasetMissingError,
  loadRegistry,
  PROJECT_ROOT,
  type Registry,
  resolveDataset,
} from "../../lib/data/registry.ts";
import { buildRegistry, parseManifest, rawGithubUrl, registryToJson } from "../../lib/data/registry_build.ts";
import { PathEscapeError } from "../../lib/io/mod.ts";
import { hasMirror, mirrorDir } from "./_mirror.ts";
import { serveFolder } from "./_mirror_server.ts";

/** A temp mirror with two files and a registry naming them (URLs on `baseUrl`, default none). */
async function tinySetup(): Promise<
  { root: string; mirror: string; registry: (baseUrl?: string) => Registry }
> {
  const root = await Deno.makeTempDir({ prefix: "equilab_registry_" });
  const mirror = join(root, "mirror");
  const contents: Record<string, string> = {
    "tdx/SZ#399006.txt": "399006 ChiNext\n2010/06/01\t986.02\n",
    "indices/a.csv": "date,close\n2020-01-02,1\n",
  };
  const files: DatasetFile[] = [];
  for (const [path, text] of Object.entries(contents)) {
    const bytes = new TextEncoder().encode(text);
    await Deno.mkdir(join(mirror, path, ".."), { recursive: true });
    await Deno.writeFile(join(mirror, path), bytes);
    files.push({
      path,
      sha256: await sha256Hex(bytes),
      bytes: bytes.length,
      licence: "test",
      description: path,
    });
  }
  const registry = (baseUrl?: string): Registry => ({
    version: 1,
    generatedFrom: { manifest: "test", manifestSha256: "0".repeat(64) },
    datasets: {
      tiny: {
        name: "tiny",
        description: "two files",
        licence: "test",
        files: files.map((file) => ({
          ...file,
          url: baseUrl ? baseUrl + file.path.split("/").map(encodeURIComponent).join("/") : undefined,
        })),
      },
    },
  });
  return { root, mirror, registry };
}

Deno.test("rawGithubUrl URL-encodes '#' as %23", () => {
  assert.equal(
    rawGithubUrl("lukas1421/stockDayData", "3187a08a58436ee4965b69edae53d75b7395fd31", "SH#000001.txt"),
    "https://raw.githubusercontent.com/lukas1421/stockDayData/3187a08a58436ee4965b69edae53d75b7395fd31/SH%23000001.txt",
  );
});

Deno.test("parseManifest names the row and column of a bad value", () => {
  const header = "path\tsha256\tbytes\trepository\tcommit\tupstream_path\n";
  assert.throws(
    () => parseManifest(header + `a.csv\t${"a".repeat(64)}\t12x\tr/x\t\tp\n`),
    /row 2, column bytes: bad value 12x/,
  );
  assert.throws(() => parseManifest("path\tsha\n"), /row 1: header/);
  assert.equal(parseManifest(header + `a.csv\t${"a".repeat(64)}\t12\tr/x\t\tp\n`)[0].bytes, 12);
});

Deno.test("resolveDataset: the local folder comes first, then the mirror (relative to the project root)", async () => {
  const { root, mirror, registry } = await tinySetup();
  try {
    const local = join(root, "local");
    await Deno.mkdir(join(local, "indices"), { recursive: true });
    await Deno.copyFile(join(mirror, "indices/a.csv"), join(local, "indices/a.csv"));
    const resolved = await resolveDataset("tiny", {
      registry: registry(),
      localDir: local,
      mirrorDir: relative(PROJECT_ROOT, mirror), // relative: resolved from the project root
      cacheDir: join(root, "cache"),
      download: false,
    });
    assert.deepEqual(resolved.files.map((file) => [file.path, file.source]), [
      ["tdx/SZ#399006.txt", "mirror"],
      ["indices/a.csv", "local"],
    ]);
    assert.equal(resolved.pathOf("tdx/SZ#399006.txt"), join(mirror, "tdx/SZ#399006.txt"));
    assert.equal(resolved.pathOf("indices/a.csv"), join(local, "indices/a.csv"));
    assert.throws(() => resolved.pathOf("nope"), /no resolved file nope/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: a changed local or mirror file is an error, by sha256 and by size", async () => {
  const { root, mirror, registry } = await tinySetup();
  try {
    const path = join(mirror, "indices/a.csv");
    const original = await Deno.readFile(path);
    const tampered = original.slice();
    tampered[0] ^= 1;
    await Deno.writeFile(path, tampered);
    const args = { registry: registry(), localDir: join(root, "none"), mirrorDir: mirror, download: false };
    await assert.rejects(
      resolveDataset("tiny", { ...args, cacheDir: join(root, "cache") }),
      (error: unknown) => error instanceof ChecksumMismatchError && error.location === path,
    );
    // Size-only verification lets a same-size change through (documented trade-off) …
    const sizeOnly = await resolveDataset("tiny", { ...args, cacheDir: join(root, "cache"), verify: "size" });
    assert.equal(sizeOnly.files.length, 2);
    // … but never a size change.
    await Deno.writeFile(path, original.subarray(1));
    await assert.rejects(
      resolveDataset("tiny", { ...args, cacheDir: join(root, "cache"), verify: "size" }),
      /checksum mismatch, expected \d+ bytes/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: missing files give an error naming them and both ways to supply them", async () => {
  const { root, registry } = await tinySetup();
  try {
    await assert.rejects(
      resolveDataset("tiny", {
        registry: registry(),
        localDir: join(root, "none"),
        mirrorDir: null,
        cacheDir: join(root, "cache"),
        download: false,
      }),
      (error: unknown) => {
        assert.ok(error instanceof DatasetMissingError);
        assert.deepEqual(error.missing, ["tdx/SZ#399006.txt", "indices/a.csv"]);
        assert.match(error.message, /2 of 2 files missing: tdx\/SZ#399006.txt, indices\/a.csv/);
        assert.match(error.message, /EQUILAB_DATA_MIRROR/);
        assert.match(error.message, /download them/);
        return true;
      },
    );
    await assert.rejects(
      resolveDataset("nope", { registry: registry() }),
      /unknown data set "nope"; the registry has: tiny/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: downloads into the cache, verifies, then reads the cache next time", async () => {
  const { root, mirror, registry } = await tinySetup();
  const server = serveFolder(mirror);
  try {
    const cacheDir = join(root, "cache");
    const args = { localDir: join(root, "none"), mirrorDir: null, cacheDir, timeoutMs: 2000, retries: 0 };
    const first = await resolveDataset("tiny", { ...args, registry: registry(server.url) });
    assert.deepEqual(first.files.map((file) => file.source), ["download", "download"]);
    assert.deepEqual(
      await Deno.readFile(first.pathOf("tdx/SZ#399006.txt")),
      await Deno.readFile(join(mirror, "tdx/SZ#399006.txt")),
    );
    const second = await resolveDataset("tiny", { ...args, registry: registry(server.url) });
    assert.deepEqual(second.files.map((file) => file.source), ["cache", "cache"]);
    assert.equal(server.hits.size, 2);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: a corrupted download fails its checksum; a 404 and a stall are reported missing", async () => {
  const { root, mirror, registry } = await tinySetup();
  const server = serveFolder(mirror);
  try {
    const args = { localDir: join(root, "none"), mirrorDir: null, cacheDir: join(root, "cache"), retries: 0 };
    await assert.rejects(
      resolveDataset("tiny", { ...args, registry: registry(server.url + "corrupt/") }),
      ChecksumMismatchError,
    );
    await assert.rejects(
      resolveDataset("tiny", { ...args, registry: registry(server.url + "gone/") }),
      (error: unknown) => error instanceof DatasetMissingError && /HTTP 404/.test(error.message),
    );
    await assert.rejects(
      resolveDataset("tiny", { ...args, timeoutMs: 100, registry: registry(server.url + "stall/") }),
      (error: unknown) =>
        error instanceof DatasetMissingError && /timed out after 100 ms/.test(error.message),
    );
    // Nothing half-written was left in the cache.
    const left: string[] = [];
    const walk = async (folder: string) => {
      for await (const entry of Deno.readDir(folder)) {
        if (entry.isDirectory) await walk(join(folder, entry.name));
        else left.push(entry.name);
      }
    };
    await walk(join(root, "cache")).catch(() => {});
    assert.deepEqual(left, []);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: after a network failure the remaining downloads are not tried", async () => {
  const { root, mirror, registry } = await tinySetup();
  const server = serveFolder(mirror);
  try {
    await assert.rejects(
      resolveDataset("tiny", {
        registry: registry(server.url + "stall/"),
        localDir: join(root, "none"),
        mirrorDir: null,
        cacheDir: join(root, "cache"),
        concurrency: 1,
        retries: 0,
        timeoutMs: 100,
      }),
      (error: unknown) =>
        error instanceof DatasetMissingError && error.missing.length === 2 &&
        /not tried after a network failure/.test(error.message),
    );
    assert.equal([...server.hits.values()].reduce((sum, hits) => sum + hits, 0), 1);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("resolveDataset: the mirror defaults to $EQUILAB_DATA_MIRROR, relative to the project root", async () => {
  const { root, mirror, registry } = await tinySetup();
  const saved = Deno.env.get("EQUILAB_DATA_MIRROR");
  try {
    Deno.env.set("EQUILAB_DATA_MIRROR", relative(PROJECT_ROOT, mirror));
    const resolved = await resolveDataset("tiny", {
      registry: registry(),
      localDir: join(root, "none"),
      cacheDir: join(root, "cache"),
      download: false,
    });
    assert.deepEqual(resolved.files.map((file) => file.source), ["mirror", "mirror"]);
    assert.equal(resolved.pathOf("indices/a.csv"), join(mirror, "indices/a.csv"));
  } finally {
    if (saved === undefined) Deno.env.delete("EQUILAB_DATA_MIRROR");
    else Deno.env.set("EQUILAB_DATA_MIRROR", saved);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "data/datasets.json is up to date with the mirror's MANIFEST.tsv",
  ignore: !hasMirror,
  fn: async () => {
    const folder = mirrorDir()!;
    const built = await buildRegistry(await Deno.readTextFile(join(folder, "MANIFEST.tsv")), {
      mirrorDir: folder,
    });
    assert.equal(await Deno.readTextFile(join(PROJECT_ROOT, "data", "datasets.json")), registryToJson(built));
    const registry = await loadRegistry();
    const counts = Object.fromEntries(
      Object.values(registry.datasets).map((set) => [set.name, set.files.length]),
    );
    assert.equal(counts["equinet-319"], 320);
    for (
      const name of [
        "chinext-399006",
        "chinext-399006-163",
        "chinext300-399012",
        "csi300-000300",
        "sse-000001",
        "tdx-samples",
        "fundamentals-100",
        "macro-cn",
      ]
    ) assert.ok(counts[name] >= 1, name);
    assert.equal(
      registry.datasets["fundamentals-100"].files.filter((f) => f.path.includes("/daily/")).length,
      100,
    );
  },
});

Deno.test({
  name:
    "resolveDataset: the real tdx-samples resolve from the mirror, and download from it over HTTP with real checksums",
  ignore: !hasMirror,
  fn: async () => {
    const folder = mirrorDir()!;
    const registry = await loadRegistry();
    const fromMirror = await resolveDataset("tdx-samples", { registry, mirrorDir: folder, download: false });
    assert.equal(fromMirror.files.length, 12);
    assert.ok(fromMirror.files.every((file) => file.source === "mirror" || file.source === "local"));

    // Point the real registry's URLs at a loopback server over the mirror (never a real remote).
    const server = serveFolder(folder);
    const root = await Deno.makeTempDir({ prefix: "equilab_registry_real_" });
    try {
      const set = registry.datasets["tdx-samples"];
      assert.ok(set.files.every((file) => file.url?.startsWith("https://raw.githubusercontent.com/")));
      const local: Registry = {
        ...registry,
        datasets: {
          "tdx-samples": {
            ...set,
            files: set.files.map((file) => ({ ...file, url: server.url + file.path.replace("#", "%23") })),
          },
        },
      };
      const downloaded = await resolveDataset("tdx-samples", {
        registry: local,
        localDir: join(root, "none"),
        mirrorDir: null,
        cacheDir: join(root, "cache"),
        select: (file) => file.bytes < 150_000,
        timeoutMs: 5000,
      });
      assert.ok(downloaded.files.length >= 5);
      assert.ok(downloaded.files.every((file) => file.source === "download"));
    } finally {
      await server.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("registry paths must be relative, normalised and inside the data folder", async () => {
  const { root, registry } = await tinySetup();
  try {
    const registryFile = join(root, "datasets.json");
    const bad = ["../outside.csv", "/etc/passwd", "indices/../../outside.csv", "a//b.csv", "C:/x.csv"];
    for (const path of bad) {
      const entries = registry();
      entries.datasets.tiny.files[1].path = path;
      // Loaded from a file: the message names the file, the data set, the entry and the path.
      await Deno.writeTextFile(registryFile, JSON.stringify(entries));
      await assert.rejects(() => loadRegistry(registryFile), (error: unknown) => {
        assert.ok(error instanceof PathEscapeError, `expected PathEscapeError, got ${error}`);
        assert.equal(error.path, path);
        assert.ok(
          error.message.startsWith(`${registryFile}: data set tiny, file 2: path ${JSON.stringify(path)}`),
        );
        return true;
      });
      // Passed in directly (never loaded): refused before anything is read or downloaded.
      const cache = join(root, "cache");
      await assert.rejects(
        () =>
          resolveDataset("tiny", {
            registry: {
              ...entries,
              datasets: {
                tiny: {
                  ...entries.datasets.tiny,
                  files: entries.datasets.tiny.files.map((file) => ({
                    ...file,
                    url: "http://127.0.0.1:9/x",
                  })),
                },
              },
            },
            projectRoot: root,
            mirrorDir: null,
            cacheDir: cache,
            retries: 0,
          }),
        (error: unknown) => {
          assert.ok(error instanceof PathEscapeError, `expected PathEscapeError, got ${error}`);
          assert.ok(
            error.message.includes(`data set tiny, file 2: path ${JSON.stringify(path)}`),
            error.message,
          );
          return true;
        },
      );
      await assert.rejects(() => Deno.stat(cache), Deno.errors.NotFound, "nothing was written");
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("parseManifest refuses a path with .. or an absolute path, naming the row", () => {
  const header = "path\tsha256\tbytes\trepository\tcommit\tupstream_path\n";
  const row = (path: string) => `${path}\t${"a".repeat(64)}\t10\tx/y\t\tp\n`;
  assert.equal(parseManifest(header + row("equinet/a.xlsx"))[0].path, "equinet/a.xlsx");
  assert.throws(
    () => parseManifest(header + row("equinet/a.xlsx") + row("../../etc/cron.d/x"), "MANIFEST.tsv"),
    (error: unknown) => {
      assert.ok(error instanceof PathEscapeError);
      assert.equal(
        error.message,
        `MANIFEST.tsv, row 3, column path: path "../../etc/cron.d/x" climbs out of its folder (a ".." segment); every path must be relative to the data folder`,
      );
      return true;
    },
  );
  assert.throws(
    () => parseManifest(header + row("/abs/a.csv")),
    /row 2, column path: path "\/abs\/a\.csv" is absolute/,
  );
});
