/**
 * `deno task jupyter`: starts JupyterLab (or the classic notebook) with the project's Deno
 * kernelspec on `JUPYTER_PATH`, in the `notebooks/` folder.
 */
import { dirname, join } from "node:path";
import { projectRoot } from "./plotly_bundle.ts";

const root = projectRoot();
const environment = {
  JUPYTER_PATH: join(root, "lib", "report", "jupyter"),
  PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`,
};
for (const app of ["lab", "notebook"]) {
  const probe = await new Deno.Command(`jupyter-${app}`, {
    args: ["--version"],
    stdout: "null",
    stderr: "null",
  })
    .output().catch(() => undefined);
  if (!probe?.success) continue;
  try {
    const child = new Deno.Command("jupyter", {
      args: [app, ...Deno.args],
      cwd: join(root, "notebooks"),
      env: environment,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    const status = await child.status;
    Deno.exit(status.code);
  } catch {
    // try the next app
  }
}
console.error(
  "JupyterLab is not installed: install it with `pip install jupyterlab` (or Debian's `jupyter-notebook`), then run `deno task jupyter` again.",
);
Deno.exit(2);
