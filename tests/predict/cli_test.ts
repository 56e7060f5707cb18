import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { join } from "node:path";
import { selectBackend } from "../../lib/backend/mod.ts";
import { loadFolder } from "../../lib/data/mod.ts";
import { equiNetStock, EquiNetWindows, latestWindows } from "../../lib/features/mod.ts";
import { type EquiNetConfig, evaluationSets, runEquiNetSeed } from "../../lib/experiments/mod.ts";
import { loadEquiNetPredictor, predictFile } from "../../lib/predict/mod.ts";
import { randomWalkMarket, writeMarket } from "../../lib/synthetic/mod.ts";
import { writeTensorFolder } from "../../lib/train/mod.ts";

await selectBackend("cpu");

const cli = new URL("../../lib/predict/cli.ts", import.meta.url).pathname;

async function predictCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    env: { EQUILAB_BACKEND: "cpu" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("deno task predict: a model trained here predicts each file's latest window", async () => {
  const root = await Deno.makeTempDir({ prefix: "predict-test-" });
  try {
    const market = randomWalkMarket({ seed: 4, stockCount: 5, days: 140 });
    const files = await writeMarket(market, join(root, "data"), { format: "equinet-xlsx" });
    const loaded = await loadFolder(join(root, "data"));
    const stocks = [...loaded.tables].map(([code, bars]) => equiNetStock(bars.toData(), code));
    const windows = new EquiNetWindows(stocks, {
      mode: "corrected",
      contextDays: 20,
      validationDateShare: 0.15,
    });
    const config: EquiNetConfig = {
      id: "predict-test",
      windows: windows.args,
      model: { dModel: 8, heads: 2, layers: 1 },
      epochs: 2,
      windowsPerEpoch: 40,
      batchSize: 20,
      evaluationWindows: 30,
    };
    const checkpoints = join(root, "run");
    await runEquiNetSeed(windows, config, evaluationSets(windows, config), {
      seed: 3,
      checkpointFolder: checkpoints,
    });

    // The run folder (best/ used) and --json: one object per line, one line per file.
    const result = await predictCli(["--model", checkpoints, files[0], files[1], "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    const predictor = await loadEquiNetPredictor(join(checkpoints, "best"));
    for (const [index, line] of lines.entries()) {
      assert.equal(line.date, market.stocks[index].dates.at(-1));
      assert.equal(line.contextDays, 20);
      assertClose(line.up + line.down + line.flat, 1, { absolute: 1e-5 });
      assert.match(line.formatted, /^涨 \d+% · 跌 \d+% · 稳 \d+%$/);
      const direct = await predictFile(predictor, files[index]);
      assert.ok(Math.abs(direct.up - line.up) < 1e-6 && Math.abs(direct.down - line.down) < 1e-6);
    }
    predictor.model.dispose();

    // Plain output: code, date, formatted probabilities.
    const plain = await predictCli(["--model", join(checkpoints, "best"), files[2]]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout.trim(), /^\d{6} {2}\d{4}-\d{2}-\d{2} {2}涨 \d+% · 跌 \d+% · 稳 \d+%$/);

    // A bad file: its data-layer error (file, row, column, value), exit 1; good files still predicted.
    const bad = join(root, "bad.csv");
    await Deno.writeTextFile(
      bad,
      "date,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10,x,9,10,100\n",
    );
    const withBad = await predictCli(["--model", checkpoints, bad, files[0], "--json"]);
    assert.equal(withBad.code, 1);
    const [badLine, goodLine] = withBad.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(badLine.file, bad);
    assert.match(badLine.error, /bad\.csv/);
    assert.match(badLine.error, /row 3/);
    assert.equal(goodLine.code, market.stocks[0].code);

    // A file without EquiNet's market columns: a clear message naming the file.
    const csvFiles = await writeMarket(market, join(root, "csv"), { format: "csv" });
    const noMarket = await predictCli(["--model", checkpoints, csvFiles[1]]);
    assert.equal(noMarket.code, 1);
    assert.match(noMarket.stderr, /no marketvolume, marketlimit, marketrange column .*--market INDEX_FILE/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task predict: missing or incompatible checkpoint is one clear line, exit 2", async () => {
  const root = await Deno.makeTempDir({ prefix: "predict-test-" });
  try {
    const missing = await predictCli(["--model", join(root, "nothing"), "a.xlsx"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
    assert.match(missing.stderr, /^predict: no checkpoint at .*nothing/);

    await writeTensorFolder(
      join(root, "other"),
      [{ name: "w", shape: [1], values: Float32Array.from([1]) }],
      {
        model: { dModel: 8 },
      },
    );
    const other = await predictCli(["--model", join(root, "other"), "a.xlsx"]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^predict: .*other: not an EquiNet checkpoint/);

    // A crafted checkpoint whose model.json points its weights outside its folder: refused, naming
    // model.json and the path, before anything outside is read.
    await writeTensorFolder(join(root, "crafted"), [{
      name: "w",
      shape: [1],
      values: Float32Array.from([1]),
    }]);
    const craftedJson = join(root, "crafted", "model.json");
    const crafted = JSON.parse(await Deno.readTextFile(craftedJson));
    crafted.weightsManifest[0].paths = ["../../elsewhere/weights.bin"];
    await Deno.writeTextFile(craftedJson, JSON.stringify(crafted));
    const escaping = await predictCli(["--model", join(root, "crafted"), "a.xlsx"]);
    assert.equal(escaping.code, 2);
    assert.equal(escaping.stderr.trim().split("\n").length, 1);
    assert.ok(
      escaping.stderr.includes(
        `${craftedJson}: weightsManifest[0].paths: path "../../elsewhere/weights.bin"`,
      ),
    );
    assert.match(escaping.stderr, /climbs out of its folder/);

    const usage = await predictCli(["--model", join(root, "other")]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /no files to predict/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("latestWindows builds the newest window exactly as the sampler builds training windows", () => {
  const market = randomWalkMarket({ seed: 9, stockCount: 1, days: 80 });
  const bars = market.stocks[0];
  const index = market.index;
  const stock = {
    code: bars.code,
    dates: bars.dates,
    start: bars.open,
    max: bars.high,
    min: bars.low,
    end: bars.close,
    volume: bars.volume,
    marketvolume: index.volume,
    marketlimit: index.close.map((close, day) => close / index.open[day] - 1),
    marketrange: index.high.map((high, day) => high - index.low[day]),
  };
  const endIndex = 60;
  const truncated = {
    ...stock,
    dates: stock.dates.slice(0, endIndex + 1),
    ...Object.fromEntries(
      (["start", "max", "min", "end", "volume", "marketvolume", "marketlimit", "marketrange"] as const)
        .map((column) => [column, stock[column].slice(0, endIndex + 1)]),
    ),
  } as typeof stock;
  const windows = new EquiNetWindows([stock], { mode: "corrected", contextDays: 25 });
  const trained = windows.batch([{ stockIndex: 0, endIndex, contextDays: 25 }]);
  const latest = latestWindows([truncated], { mode: "corrected", contextDays: 25 });
  assert.deepEqual(latest.inputs, trained.inputs);
  assert.deepEqual(latest.mask, trained.mask);
  assert.equal(latest.labels[0], -1);
  // A shorter window padded as evaluation batches of a random-context model pad it.
  const paddedTrained = windows.batch([{ stockIndex: 0, endIndex, contextDays: 25 }], { padToDays: 40 });
  const paddedLatest = latestWindows([truncated], { mode: "corrected", contextDays: 25, padToDays: 40 });
  assert.equal(paddedLatest.steps, 40);
  assert.deepEqual(paddedLatest.inputs, paddedTrained.inputs);
  assert.deepEqual(paddedLatest.mask, paddedTrained.mask);
  assert.throws(() => latestWindows([truncated], { contextDays: 25, padToDays: 24 }), /padToDays must be/);
  assert.throws(
    () => latestWindows([truncated], { contextDays: 62 }),
    /stock .*: 61 rows, the model needs a 62-day window/,
  );
});
