import assert from "node:assert/strict";
import { join } from "node:path";
import { notebookParameters, PARAMETERS } from "../../lib/report/mod.ts";
import { projectRoot } from "../../lib/report/plotly_bundle.ts";

function withEnvironment(values: Record<string, string | undefined>, run: () => void): void {
  const before = Object.fromEntries(Object.keys(values).map((key) => [key, Deno.env.get(key)]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) Deno.env.delete(key);
      else Deno.env.set(key, value);
    }
  };
  apply(values);
  try {
    run();
  } finally {
    apply(before);
  }
}

Deno.test("notebookParameters: defaults, EQUILAB_SEEDS and EQUILAB_RESUME, and a clear error for bad values", () => {
  withEnvironment({
    EQUILAB_QUICK: undefined,
    EQUILAB_SEEDS: undefined,
    EQUILAB_RESUME: undefined,
    EQUILAB_CONFIGS: undefined,
    EQUILAB_FROM_STORE: undefined,
    EQUILAB_UNIVERSE: undefined,
    EQUILAB_MARKET_INDEX: undefined,
    EQUILAB_DROP_QUIRK_ROWS: undefined,
  }, () => {
    assert.deepEqual(notebookParameters(), {
      quick: false,
      seeds: 5,
      backend: Deno.env.get("EQUILAB_BACKEND") || undefined,
      resume: false,
      fromStore: false,
      dropQuirkRows: false,
    });
  });
  withEnvironment({ EQUILAB_FROM_STORE: "1" }, () => assert.equal(notebookParameters().fromStore, true));
  withEnvironment({ EQUILAB_FROM_STORE: "true" }, () => {
    assert.throws(() => notebookParameters(), /EQUILAB_FROM_STORE="true" must be 0 or 1/);
  });
  withEnvironment({ EQUILAB_QUICK: "1", EQUILAB_SEEDS: "3", EQUILAB_RESUME: "1" }, () => {
    const parameters = notebookParameters();
    assert.equal(parameters.quick, true);
    assert.equal(parameters.seeds, 3);
    assert.equal(parameters.resume, true);
  });
  withEnvironment({ EQUILAB_RESUME: "yes" }, () => {
    assert.throws(() => notebookParameters(), /EQUILAB_RESUME="yes" must be 0 or 1/);
  });
  withEnvironment({ EQUILAB_CONFIGS: " focal-loss, published-d24-h4 " }, () => {
    assert.deepEqual(notebookParameters().configs, ["focal-loss", "published-d24-h4"]);
  });
  withEnvironment({ EQUILAB_CONFIGS: "focal-loss,,multi-task" }, () => {
    assert.throws(() => notebookParameters(), /EQUILAB_CONFIGS="focal-loss,,multi-task" has an empty entry/);
  });
  withEnvironment({ EQUILAB_SEEDS: "0" }, () => {
    assert.throws(() => notebookParameters(), /EQUILAB_SEEDS="0" must be a positive integer/);
  });
});

Deno.test("README's parameter table lists every parameter EquiLab reads", async () => {
  const readme = await Deno.readTextFile(join(projectRoot(), "README.md"));
  for (const { variable } of PARAMETERS) assert.ok(readme.includes(`| \`${variable}\``), variable);
});

Deno.test("notebookParameters: EQUILAB_UNIVERSE, EQUILAB_MARKET_INDEX (absolute or from the project root) and EQUILAB_DROP_QUIRK_ROWS", async () => {
  const folder = await Deno.makeTempDir({ prefix: "equilab-parameters-" });
  try {
    const index = join(folder, "sse.csv");
    await Deno.writeTextFile(index, "date,open,high,low,close,volume\n");
    withEnvironment(
      { EQUILAB_UNIVERSE: folder, EQUILAB_MARKET_INDEX: index, EQUILAB_DROP_QUIRK_ROWS: "1" },
      () => {
        const parameters = notebookParameters();
        assert.equal(parameters.universe, folder);
        assert.equal(parameters.marketIndex, index);
        assert.equal(parameters.dropQuirkRows, true);
      },
    );
    withEnvironment({ EQUILAB_UNIVERSE: "lib/data", EQUILAB_MARKET_INDEX: "README.md" }, () => {
      const parameters = notebookParameters();
      assert.equal(parameters.universe, join(projectRoot(), "lib/data"), "relative to the project root");
      assert.equal(parameters.marketIndex, join(projectRoot(), "README.md"));
    });
    withEnvironment({ EQUILAB_UNIVERSE: join(folder, "missing") }, () => {
      assert.throws(() => notebookParameters(), /EQUILAB_UNIVERSE=".*missing": cannot read .*give a folder/);
    });
    withEnvironment({ EQUILAB_UNIVERSE: index }, () => {
      assert.throws(() => notebookParameters(), /EQUILAB_UNIVERSE=".*sse.csv": .* is not a folder/);
    });
    withEnvironment({ EQUILAB_MARKET_INDEX: folder }, () => {
      assert.throws(() => notebookParameters(), /EQUILAB_MARKET_INDEX=.* is not a file/);
    });
    withEnvironment({ EQUILAB_DROP_QUIRK_ROWS: "yes" }, () => {
      assert.throws(() => notebookParameters(), /EQUILAB_DROP_QUIRK_ROWS="yes" must be 0 or 1/);
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
