import assert from "node:assert/strict";
import { deflateSync, gzipSync } from "fflate";
import {
  inflateBounded,
  inflateBoundedAsync,
  InflateDataError,
  InflateLimitError,
} from "../../lib/io/mod.ts";
import { zerosDeflate } from "../data/_zip_bomb.ts";

const text = new TextEncoder().encode("date,close\n".repeat(5000)); // 55,000 bytes: several input slices

Deno.test("inflateBounded / inflateBoundedAsync give back exactly what was deflated", async () => {
  const packed = deflateSync(text);
  assert.deepEqual(inflateBounded(packed, { what: "a", maxBytes: 1e6, declaredBytes: text.length }), text);
  assert.deepEqual(inflateBounded(packed, { what: "a", maxBytes: 1e6 }), text);
  assert.deepEqual(
    await inflateBoundedAsync(packed, { what: "a", maxBytes: 1e6, declaredBytes: text.length }),
    text,
  );
  assert.deepEqual(
    await inflateBoundedAsync(gzipSync(text), { what: "a", maxBytes: 1e6, format: "gzip" }),
    text,
  );
});

Deno.test("output past the declared size or the limit stops with InflateLimitError naming the cap", async () => {
  const bomb = zerosDeflate(64); // 64 MiB of zeros from ~66 KB
  for (const run of [inflateBounded, inflateBoundedAsync]) {
    await assert.rejects(
      async () => await run(bomb, { what: 'part "x"', maxBytes: 1e9, declaredBytes: 1000 }),
      (error) => {
        assert.ok(error instanceof InflateLimitError);
        assert.equal(error.limitKind, "declared");
        assert.equal(error.limit, 1000);
        assert.ok(error.unpackedAtLeast < 16 * 1024 * 1024, `stopped after ${error.unpackedAtLeast} bytes`);
        assert.match(error.message, /part "x" unpacks to more than its declared 1000 bytes/);
        return true;
      },
    );
    await assert.rejects(async () => await run(bomb, { what: "b", maxBytes: 2_000_000 }), (error) => {
      assert.ok(error instanceof InflateLimitError);
      assert.equal(error.limitKind, "limit");
      assert.match(error.message, /b unpacks to more than the limit of 2000000 bytes/);
      return true;
    });
  }
  // A declared size above the limit is refused before unpacking anything.
  assert.throws(
    () => inflateBounded(bomb, { what: "c", maxBytes: 10, declaredBytes: 11 }),
    InflateLimitError,
  );
});

Deno.test("damaged, short and impossible streams are InflateDataErrors", async () => {
  const packed = deflateSync(text);
  for (const run of [inflateBounded, inflateBoundedAsync]) {
    await assert.rejects(
      async () => await run(packed.subarray(0, packed.length - 20), { what: "cut", maxBytes: 1e6 }),
      InflateDataError,
    );
    await assert.rejects(
      async () => await run(packed, { what: "short", maxBytes: 1e6, declaredBytes: text.length + 5 }),
      /short is truncated \(unpacks to 55000 of 55005 bytes\)/,
    );
  }
  assert.throws(
    () => inflateBounded(new Uint8Array(10), { what: "tiny", maxBytes: 1e9, declaredBytes: 100_000_000 }),
    /tiny declares 100000000 bytes, more than 10 compressed bytes can hold/,
  );
});
