import assert from "node:assert/strict";
import {
  canonicalJson,
  ResultsStore,
  sha256Hex,
  type UnitDefinition,
  unitFingerprint,
} from "../../lib/store/mod.ts";

Deno.test("canonicalJson: sorted keys at every level, typed arrays as arrays, undefined left out, Infinity named", () => {
  assert.equal(
    canonicalJson({ b: 1, a: [2, { d: 3, c: undefined, e: "x" }] }),
    '{"a":[2,{"d":3,"e":"x"}],"b":1}',
  );
  assert.equal(canonicalJson({ v: Float32Array.from([0.5, 1]) }), '{"v":[0.5,1]}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.equal(
    canonicalJson({ days: [5, 20, Infinity], rate: NaN }),
    '{"days":[5,20,"Infinity"],"rate":"NaN"}',
  );
  assert.notEqual(canonicalJson({ days: [Infinity] }), canonicalJson({ days: [-Infinity] }));
  assert.throws(() => canonicalJson({ run: () => 1 }), /value\.run is a function/);
});

Deno.test("sha256Hex matches the FIPS 180-2 test vector", async () => {
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

Deno.test("unitFingerprint changes with a setting, a data file, the numerics version or a dependency, and only then", async () => {
  const base = {
    settings: { epochs: 200, seed: 1, model: { hiddenSize: 2 } },
    dataFiles: { "indices/399006_chinext.csv": "0b5b40" },
    numericsVersion: 1,
  };
  const fingerprint = await unitFingerprint(base);
  assert.match(fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(await unitFingerprint(structuredClone(base)), fingerprint);
  assert.equal(
    await unitFingerprint({ ...base, settings: { model: { hiddenSize: 2 }, seed: 1, epochs: 200 } }),
    fingerprint,
    "key order is not a change",
  );
  const changed = [
    { ...base, settings: { ...base.settings, seed: 2 } },
    { ...base, settings: { ...base.settings, model: { hiddenSize: 3 } } },
    { ...base, dataFiles: { "indices/399006_chinext.csv": "0b5b41" } },
    { ...base, dataFiles: { ...base.dataFiles, "indices/other.csv": "aa" } },
    { ...base, numericsVersion: 2 },
    { ...base, dependencies: { "study/search/best": "0123456789abcdef" } },
  ];
  const fingerprints = await Promise.all(changed.map((args) => unitFingerprint(args)));
  for (const [index, other] of fingerprints.entries()) assert.notEqual(other, fingerprint, `change ${index}`);
  assert.equal(new Set(fingerprints).size, changed.length);
  await assert.rejects(
    () => unitFingerprint({ ...base, numericsVersion: 0 }),
    /numericsVersion must be an integer ≥ 1/,
  );
});

Deno.test("a unit's fingerprint ignores its code: another run function, kind or estimate gives the same one", async () => {
  const store = new ResultsStore(await Deno.makeTempDir());
  const unit = (run: UnitDefinition["run"], estimateSeconds: number, kind: string): UnitDefinition => ({
    id: "study/experiment/unit",
    kind,
    settings: { seed: 1 },
    data: [{ dataset: "d", path: "a.csv", sha256: "ff" }],
    numericsVersion: 3,
    estimateSeconds,
    run,
  });
  const [a] = await store.status([unit(() => Promise.resolve(1), 1, "k1")]);
  const [b] = await store.status([unit(async () => await Promise.resolve(2), 99, "k2")]);
  assert.equal(a.fingerprint, b.fingerprint);
  assert.equal(
    a.fingerprint,
    await unitFingerprint({ settings: { seed: 1 }, dataFiles: { "a.csv": "ff" }, numericsVersion: 3 }),
  );
});
