/** `selectUnits`: a selection brings the units it names and, transitively, what they depend on. */
import assert from "node:assert/strict";
import { selectUnits, type UnitDefinition } from "../../lib/store/mod.ts";

function unit(id: string, dependencies: string[] = []): UnitDefinition {
  return {
    id,
    kind: id.split("/").slice(0, 2).join("/"),
    settings: {},
    data: [],
    numericsVersion: 1,
    dependencies,
    estimateSeconds: 1,
    run: () => Promise.resolve({}),
  };
}

const definitions = [
  unit("study/search/trial-0"),
  unit("study/search/trial-1"),
  unit("study/pick/best", ["study/search/trial-0", "study/search/trial-1"]),
  unit("study/model/seed-1", ["study/pick/best"]),
  unit("study/model/seed-2", ["study/pick/best"]),
  unit("other/fast/unit-0"),
];

Deno.test("selectUnits: empty selection is every unit, in order", () => {
  assert.deepEqual(selectUnits(definitions, []).map((d) => d.id), definitions.map((d) => d.id));
});

Deno.test("selectUnits: a prefix brings its units' dependencies transitively, in definition order", () => {
  assert.deepEqual(selectUnits(definitions, ["study/model/seed-2"]).map((d) => d.id), [
    "study/search/trial-0",
    "study/search/trial-1",
    "study/pick/best",
    "study/model/seed-2",
  ]);
  assert.deepEqual(selectUnits(definitions, ["other", "study/search/trial-1"]).map((d) => d.id), [
    "study/search/trial-1",
    "other/fast/unit-0",
  ]);
});

Deno.test("selectUnits: a prefix matches whole path segments only, and one matching nothing is an error", () => {
  assert.throws(() => selectUnits(definitions, ["study/mod"]), /no unit matches "study\/mod"/);
});
