/**
 * `deno task predict` on real files: market rows paired as the checkpoint records (EquiNet's
 * suspended stocks re-paired by date; position pairing refused where stock rows end before market
 * rows), random-context models on short files, `--market INDEX_FILE` for TDX and CSV files, and the
 * missing released model. The models are tiny ones trained here on real EquiNet stocks.
 */
import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { selectBackend } from "../../lib/backend/mod.ts";
import { DailyBars, type DailyBarsData, loadBars, resolveDataset } from "../../lib/data/mod.ts";
import { EquiNetWindows, latestWindows } from "../../lib/features/mod.ts";
import { type EquiNetConfig, evaluationSets, runEquiNetSeed } from "../../lib/experiments/mod.ts";
import { loadEquiNetUniverse } from "../../lib/features/mod.ts";
import {
  type EquiNetPredictor,
  loadEquiNetPredictor,
  predictBars,
  predictFile,
  RELEASED_MODEL_FOLDER,
} from "../../lib/predict/mod.ts";
import { hasMirror, mirrorDir } from "../data/_mirror.ts";

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

/** Rows `from..to` (exclusive) of loaded bars, as a file holding only those rows would load. */
function sliceRows(bars: DailyBars, from: number, to: number): DailyBars {
  const data = bars.toData();
  const optional: DailyBarsData["optional"] = {};
  for (const [name, column] of Object.entries(data.optional)) {
    if (column) optional[name as keyof DailyBarsData["optional"]] = column.slice(from, to);
  }
  return new DailyBars({
    dates: data.dates.slice(from, to),
    open: data.open.slice(from, to),
    high: data.high.slice(from, to),
    low: data.low.slice(from, to),
    close: data.close.slice(from, to),
    volume: data.volume.slice(from, to),
    optional,
  }, bars.meta);
}

const SUSPENDED = "000972"; // its stock rows lag the market rows until 2025-01-13, 31 rows before its end
const CALENDAR_STOCK = "000008"; // no suspensions: its dates are the market rows' dates

/** A tiny corrected, random-context (20..100 days) model trained on 20 real stocks, market rows by date. */
async function trainDateModel(root: string): Promise<string> {
  const { stocks } = await loadEquiNetUniverse({ alignMarket: "date" });
  const chosen = [...stocks.slice(0, 19), stocks.find((stock) => stock.code === SUSPENDED)!];
  const windows = new EquiNetWindows(chosen, {
    mode: "corrected",
    context: "random",
    minContextDays: 20,
    maxContextDays: 100,
    validationDateShare: 0.1,
    testDateShare: 0.2,
  });
  const config: EquiNetConfig = {
    id: "pairing-test",
    windows: windows.args,
    model: { dModel: 8, heads: 2, layers: 1 },
    epochs: 1,
    windowsPerEpoch: 40,
    batchSize: 20,
    evaluationWindows: 30,
  };
  const folder = join(root, "date-model");
  await runEquiNetSeed(windows, config, evaluationSets(windows, config), {
    seed: 5,
    checkpointFolder: folder,
    alignMarket: "date",
  });
  return join(folder, "best");
}

/** A copy of a checkpoint with its metadata changed (as a position-paired or an older checkpoint would read). */
async function withMetadata(
  from: string,
  to: string,
  change: (metadata: Record<string, unknown>) => void,
): Promise<string> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
  const modelJson = JSON.parse(await Deno.readTextFile(join(to, "model.json")));
  change(modelJson.userDefinedMetadata);
  await Deno.writeTextFile(join(to, "model.json"), JSON.stringify(modelJson));
  return to;
}

async function equinetFile(code: string): Promise<string> {
  const set = await resolveDataset("equinet-319", {
    mirrorDir: mirrorDir(),
    download: false,
    select: (file) => file.path.endsWith(`processed_${code}.xlsx`),
  });
  return set.files[0].localPath;
}

async function probabilitiesOf(
  predictor: EquiNetPredictor,
  stock: Parameters<typeof latestWindows>[0][number],
) {
  const batch = latestWindows([stock], { mode: "corrected", contextDays: 100, padToDays: 100 });
  return Array.from(await predictor.model.predictProbabilities(batch));
}

Deno.test({
  name: "predict pairs market rows as the checkpoint records, and takes short files down to minContextDays",
  ignore: !hasMirror,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "predict-pairing-" });
    let predictor: EquiNetPredictor | undefined;
    try {
      const checkpoint = await trainDateModel(root);
      const metadata =
        JSON.parse(await Deno.readTextFile(join(checkpoint, "model.json"))).userDefinedMetadata;
      assert.equal(metadata.alignMarket, "date");
      assert.equal(metadata.marketRows.dates.length, 420);
      assert.equal(metadata.marketRows.dates[0], "2023-06-26");
      predictor = await loadEquiNetPredictor(checkpoint);
      assert.deepEqual(predictor.warnings, []);
      assert.equal(predictor.windows.minContextDays, 20);
      assert.equal(predictor.windows.contextDays, 100);

      // 000972 by date: its stored market rows sit beside other days up to 2025-01-13 (31 rows before
      // its end, inside the 100-day window); re-paired, each day gets its own day's market row.
      const file = await equinetFile(SUSPENDED);
      const prediction = await predictFile(predictor, file);
      assert.equal(prediction.marketPairing, "date");
      assert.equal(prediction.rowsLeftOut, 10);
      assert.equal(prediction.date, "2025-03-19");
      assert.equal(prediction.contextDays, 100);
      assert.match(prediction.warnings.join("\n"), /market rows re-paired by date \(389 of 420 rows/);
      const { stocks: byDate } = await loadEquiNetUniverse({ alignMarket: "date" });
      const { stocks: byPosition } = await loadEquiNetUniverse({ alignMarket: "position" });
      const dated = byDate.find((stock) => stock.code === SUSPENDED)!;
      const calendarStock = byPosition.find((stock) => stock.code === CALENDAR_STOCK)!;
      // That day's market row: 2025-01-13's marketlimit is the calendar stock's value of 2025-01-13.
      const day = dated.dates.indexOf("2025-01-13");
      assert.equal(
        dated.marketlimit[day],
        calendarStock.marketlimit[calendarStock.dates.indexOf("2025-01-13")],
      );
      const expected = await probabilitiesOf(predictor, dated);
      const actual = [prediction.up, prediction.down, prediction.flat];
      actual.forEach((value, index) => assertClose(value, expected[index], { absolute: 1e-6 }));
      const positional = await probabilitiesOf(
        predictor,
        byPosition.find((stock) => stock.code === SUSPENDED)!,
      );
      assert.ok(
        actual.some((value, index) => Math.abs(value - positional[index]) > 1e-5),
        `date pairing ${actual} should differ from position pairing ${positional}`,
      );

      // Random context: 61 rows (≥ minContextDays 20, < maxContextDays 100) predicted on all 61, padded to
      // 100 as in training; 19 rows refused with the counts.
      const calendarBars = await loadBars(await equinetFile(CALENDAR_STOCK));
      const short = await predictBars(predictor, sliceRows(calendarBars, 420 - 61, 420));
      assert.equal(short.contextDays, 61);
      assert.equal(short.marketPairing, "date");
      const shortStock = byDate.find((stock) => stock.code === CALENDAR_STOCK)!;
      const padded = latestWindows(
        [
          {
            ...shortStock,
            dates: shortStock.dates.slice(-61),
            ...Object.fromEntries(
              ([
                "start",
                "max",
                "min",
                "end",
                "volume",
                "marketvolume",
                "marketlimit",
                "marketrange",
              ] as const)
                .map((column) => [column, shortStock[column].slice(-61)]),
            ),
          } as typeof shortStock,
        ],
        { contextDays: 61, padToDays: 100 },
      );
      const shortExpected = Array.from(await predictor.model.predictProbabilities(padded));
      assert.ok(
        Math.abs(short.up - shortExpected[0]) < 1e-6 && Math.abs(short.down - shortExpected[1]) < 1e-6,
      );
      await assert.rejects(
        () => predictBars(predictor!, sliceRows(calendarBars, 420 - 19, 420)),
        /processed_000008\.xlsx: 19 rows, the model needs at least 20 days \(trained on 20\.\.100-day windows\)/,
      );

      // The same weights, recorded as position-paired: 000972 as stored (its last row is on its day);
      // cut to its first 380 rows its stock rows end 2025-01-03 beside the market row of 2025-01-17: refused.
      const position = await loadEquiNetPredictor(
        await withMetadata(checkpoint, join(root, "position"), (meta) => (meta.alignMarket = "position")),
      );
      try {
        const stored = await predictFile(position, file);
        assert.equal(stored.marketPairing, "position");
        assert.equal(stored.rowsLeftOut, 0);
        const suspendedBars = await loadBars(file);
        const cut = sliceRows(suspendedBars, 0, 380);
        await assert.rejects(
          () => predictBars(position, cut),
          new RegExp(
            `processed_000972\\.xlsx: the stock rows end on ${
              cut.dates[379]
            } but the market rows beside them ` +
              `end on ${calendarBars.dates[379]}`,
          ),
        );
      } finally {
        position.model.dispose();
      }

      // An older checkpoint (no pairing recorded): position assumed, said in a warning line.
      const older = await withMetadata(checkpoint, join(root, "older"), (meta) => {
        delete meta.alignMarket;
        delete meta.marketRows;
      });
      const plain = await predictCli(["--model", older, file]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(
        plain.stderr,
        /^predict: warning: .*does not record how its training stocks' market columns were paired .*pairing by position assumed/m,
      );
      assert.match(plain.stdout.trim(), /^000972 {2}2025-03-19 {2}涨 \d+% · 跌 \d+% · 稳 \d+%$/);

      // --market: a TDX .txt and a plain CSV, market columns rebuilt by date from the SSE index; the
      // CSV's rows after the index ends (2021-11-18) are left out and counted.
      const tdx = (await resolveDataset("tdx-samples", {
        mirrorDir: mirrorDir(),
        download: false,
        select: (entry) => entry.path.endsWith("SZ#300418.txt"),
      })).files[0].localPath;
      const csv = (await resolveDataset("fundamentals-100", {
        mirrorDir: mirrorDir(),
        download: false,
        select: (entry) => entry.path.endsWith("daily/sh.600036.csv"),
      })).files[0].localPath;
      const sse =
        (await resolveDataset("sse-000001", { mirrorDir: mirrorDir(), download: false })).files[0].localPath;
      const withoutIndex = await predictCli(["--model", checkpoint, tdx]);
      assert.equal(withoutIndex.code, 1);
      assert.match(
        withoutIndex.stderr,
        /SZ#300418\.txt: no marketvolume, marketlimit, marketrange column .*--market INDEX_FILE/,
      );
      const indexed = await predictCli(["--model", checkpoint, "--market", sse, tdx, csv, "--json"]);
      assert.equal(indexed.code, 0, indexed.stdout + indexed.stderr);
      const [tdxLine, csvLine] = indexed.stdout.trim().split("\n").map((line) => JSON.parse(line));
      const csvBars = await loadBars(csv);
      const csvLeftOut = csvBars.dates.filter((date) => date > "2021-11-18").length;
      assert.equal(tdxLine.marketPairing, "index");
      assert.equal(tdxLine.date, "2017-09-21");
      assert.equal(tdxLine.contextDays, 100);
      assert.match(
        tdxLine.warnings[0],
        /market columns built from the index 000001_sse\.csv by date; 0 of 583 rows left out/,
      );
      assert.equal(csvLine.marketPairing, "index");
      assert.equal(csvLine.date, "2021-11-18");
      assert.equal(csvLine.rowsLeftOut, csvLeftOut);
      assert.ok(csvLeftOut > 300);
      assert.match(
        csvLine.warnings[0],
        new RegExp(
          `${csvLeftOut} of 2688 rows left out \\(dates missing from the index: 2021-11-19\\.\\.2023-06-30\\)`,
        ),
      );
      // Plain output says it too, on stderr.
      const plainIndexed = await predictCli(["--model", checkpoint, "--market", sse, csv]);
      assert.equal(plainIndexed.code, 0, plainIndexed.stderr);
      assert.match(
        plainIndexed.stderr,
        new RegExp(`predict: warning: .*sh\\.600036\\.csv: .*${csvLeftOut} of 2688 rows left out`),
      );
      // An unreadable index: exit 2 naming it.
      const badIndex = await predictCli(["--model", checkpoint, "--market", join(root, "missing.csv"), csv]);
      assert.equal(badIndex.code, 2);
      assert.match(badIndex.stderr, /^predict: --market .*missing\.csv/);
    } finally {
      predictor?.model.dispose();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "predict without --model: the released model, or how to produce it (exit 2)",
  ignore: existsSync(RELEASED_MODEL_FOLDER),
  async fn() {
    const result = await predictCli(["a.xlsx"]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.ok(result.stderr.includes(`no released model at ${RELEASED_MODEL_FOLDER}`));
    assert.match(result.stderr, /deno task release-model/);
  },
});

Deno.test({
  name:
    "predict without --model uses the released model (its card names the corrected unit): one 涨/跌/稳 line for an EquiNet file",
  ignore: !existsSync(RELEASED_MODEL_FOLDER) || !hasMirror,
  async fn() {
    const card = JSON.parse(await Deno.readTextFile(join(RELEASED_MODEL_FOLDER, "card.json")));
    assert.equal(card.unit.id.startsWith("equinet/corrected/corrected/seed-"), true);
    const file = await equinetFile(CALENDAR_STOCK);
    const result = await predictCli([file, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const prediction = JSON.parse(result.stdout.trim());
    assert.equal(prediction.code, CALENDAR_STOCK);
    assert.equal(prediction.date, "2025-03-19");
    assertClose(prediction.up + prediction.down + prediction.flat, 1, { absolute: 1e-5 });
    assert.match(prediction.formatted, /^涨 \d+% · 跌 \d+% · 稳 \d+%$/);
  },
});
