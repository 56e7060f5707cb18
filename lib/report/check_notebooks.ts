/**
 * `deno task check` (second half): type-checks notebook code. `deno check` cannot read `.ipynb`, so
 * each notebook's code cells are written, in order, to a temporary `.ts` module beside the notebook
 * (so relative imports resolve) and checked; the module is always removed afterwards.
 */
import { basename, dirname, join } from "node:path";
import { listNotebooks } from "./runner.ts";

/** The code of a notebook's code cells, joined as one module, with cell markers. */
export function notebookToModule(notebookJson: string, name = "notebook"): string {
  const notebook = JSON.parse(notebookJson) as { cells: { cell_type: string; source: string | string[] }[] };
  const parts: string[] = [`// Code cells of ${name}, extracted for type checking.`];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    parts.push(`// --- cell ${index + 1}\n${source}`);
  });
  // A module (not a script), so top-level await and imports are allowed and names stay local.
  parts.push("export {};");
  return parts.join("\n\n") + "\n";
}

/** Type-checks the given notebooks; returns the number that failed. */
export async function checkNotebooks(paths: string[]): Promise<number> {
  let failures = 0;
  for (const path of paths) {
    const module = join(
      dirname(path),
      `.check_${basename(path, ".ipynb")}_${crypto.randomUUID().slice(0, 8)}.ts`,
    );
    await Deno.writeTextFile(module, notebookToModule(await Deno.readTextFile(path), basename(path)));
    try {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["check", "--quiet", module],
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      const text = new TextDecoder().decode(output.stderr).replaceAll(
        module,
        basename(path) + " (extracted)",
      );
      if (output.success) console.log(`ok   ${basename(path)}`);
      else {
        failures++;
        console.log(`FAIL ${basename(path)}\n${text}`);
      }
    } finally {
      await Deno.remove(module).catch(() => {});
    }
  }
  return failures;
}

if (import.meta.main) {
  const paths = Deno.args.length > 0 ? Deno.args : listNotebooks();
  const failures = await checkNotebooks(paths);
  Deno.exit(failures > 0 ? 1 : 0);
}
