/**
 * The import structure of lib/: data flows one way (load → validate → features → model → train → metrics →
 * experiments → report), so every folder sits on a layer and imports only folders of lower layers. A new
 * folder needs a place here; an import that points up a layer (or in a circle) fails with the file and line.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";

const LIB = fileURLToPath(new URL("../lib/", import.meta.url));

/** The table of lib/README.md: each folder's layer and the folders it says it imports. */
async function readmeLayers(): Promise<Map<string, { layer: number; imports: string }>> {
  const text = await Deno.readTextFile(join(LIB, "README.md"));
  const layers = new Map<string, { layer: number; imports: string }>();
  for (const match of text.matchAll(/^\| `([a-z_]+)\/` +\| (\d+) +\|[^|]*\| ([^|]*?) +\|$/gm)) {
    layers.set(match[1], { layer: Number(match[2]), imports: match[3] });
  }
  return layers;
}

/** A cross-folder import of one source line: `from "../x/…"` or `import("../x/…")`, outside comments. */
const IMPORT = /(?:from\s+|import\(\s*)"\.\.\/([a-z_]+)\//g;

async function* sourceFiles(folder: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

interface Edge {
  from: string;
  to: string;
  where: string;
}

async function folderImports(): Promise<Edge[]> {
  const edges: Edge[] = [];
  for await (const entry of Deno.readDir(LIB)) {
    if (!entry.isDirectory) continue;
    for await (const file of sourceFiles(join(LIB, entry.name))) {
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((line, index) => {
        const code = line.trimStart();
        if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) return;
        // Only a direct child of lib/<folder>/ resolves "../x/" to lib/x/.
        if (relative(join(LIB, entry.name), file).includes("/")) return;
        for (const match of code.matchAll(IMPORT)) {
          if (match[1] !== entry.name) {
            edges.push({ from: entry.name, to: match[1], where: `${relative(LIB, file)}:${index + 1}` });
          }
        }
      });
    }
  }
  return edges;
}

Deno.test("every lib folder has a line in lib/README.md's table, with what it imports today", async () => {
  const layers = await readmeLayers();
  const folders: string[] = [];
  for await (const entry of Deno.readDir(LIB)) if (entry.isDirectory) folders.push(entry.name);
  assert.deepEqual(
    folders.filter((folder) => !layers.has(folder)).sort(),
    [],
    "folders missing from lib/README.md",
  );
  const edges = await folderImports();
  for (const folder of folders) {
    const stated = layers.get(folder)!.imports;
    if (stated === "everything below") continue;
    const actual = [...new Set(edges.filter((edge) => edge.from === folder).map((edge) => edge.to))].sort();
    assert.equal(
      stated,
      actual.length === 0 ? "—" : actual.join(", "),
      `lib/README.md's imports of ${folder}/`,
    );
  }
});

Deno.test("lib folders import only lower layers of lib/README.md (no import points up, none goes in a circle)", async () => {
  const layers = await readmeLayers();
  const LAYERS = Object.fromEntries([...layers].map(([folder, { layer }]) => [folder, layer]));
  const edges = await folderImports();
  assert.ok(
    edges.length > 50,
    `found only ${edges.length} cross-folder imports: is the pattern still right?`,
  );
  const upward = edges.filter((edge) => !(LAYERS[edge.to] < LAYERS[edge.from]));
  assert.deepEqual(
    upward.map((edge) =>
      `${edge.where}: ${edge.from} (layer ${LAYERS[edge.from]}) imports ${edge.to} (layer ${LAYERS[edge.to]})`
    ),
    [],
  );
});

Deno.test("the import scan sees imports and ignores comments", () => {
  const seen = (line: string) => [...line.matchAll(IMPORT)].map((match) => match[1]);
  assert.deepEqual(seen('import { tf } from "../backend/mod.ts";'), ["backend"]);
  assert.deepEqual(seen('export type X = import("../features/mod.ts").WindowBatch;'), ["features"]);
  assert.deepEqual(seen('import { a } from "./local.ts";'), []);
});

Deno.test("each folder's mod.ts says its layer and imports as lib/README.md's table does", async () => {
  const layers = await readmeLayers();
  for (const [folder, { layer, imports }] of layers) {
    const text = await Deno.readTextFile(join(LIB, folder, "mod.ts"));
    const header = text.slice(0, text.indexOf("*/"));
    const said = header.match(/Layer (\d+) of the flow in lib\/README\.md: imports ([^.]*)\./);
    assert.ok(
      said,
      `lib/${folder}/mod.ts: its JSDoc does not say its layer ("Layer N of the flow in lib/README.md")`,
    );
    assert.equal(Number(said[1]), layer, `lib/${folder}/mod.ts says layer ${said[1]}, the table ${layer}`);
    const expected = imports.trim() === "—"
      ? "no other lib folder"
      : imports.trim() === "everything below"
      ? "every folder below it"
      : imports.trim();
    assert.equal(
      said[2].replace(/\s+/g, " ").replace(/ \*/g, "").trim(),
      expected,
      `lib/${folder}/mod.ts imports`,
    );
  }
});
