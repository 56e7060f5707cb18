/**
 * `deno task release-model`: the released EquiNet model that `deno task predict` uses by default.
 * Reads the results store, picks the corrected reference's best seed (by the configuration's own
 * best-checkpoint rule on validation, `selectBy`: the best validation score of its chosen checkpoint;
 * ties: the lowest seed), retrains exactly that unit (same configuration,
 * windows and seed: training is deterministic), checks that the retrained run's test-set report
 * equals the stored one (accuracy and points; otherwise nothing is released), and writes
 * `out/models/equinet/`: the `best/` checkpoint files, `card.json` and `card.md` (data set, split
 * dates, settings, test metrics beside the stored baselines, seed, unit fingerprint, numerics
 * version, git commit). The folder is written beside its place and renamed into it.
 * `EQUILAB_QUICK=1`: the quick store and settings, output in `out/quick/models/equinet/`.
 *
 * @example
 * ```sh
 * deno task release-model
 * EQUILAB_QUICK=1 deno task release-model
 * ```
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClassificationReport } from "../eval/mod.ts";
import type { ResultsStore, UnitDefinition } from "../store/mod.ts";
import { gitCommit, writeJsonAtomic } from "./_private.ts";
import {
  equiNetBackend,
  equiNetSettingWindows,
  type EquiNetUnitResult,
  equiNetUnits,
} from "./equinet_units.ts";
import { resultsStoreOf } from "./store_location.ts";
import { COLLAPSE_SHARE, collapsedClass } from "./equinet_configs.ts";
import type { EquiNetConfig } from "./equinet.ts";
import { writeFileAtomic } from "../io/mod.ts";

/** Options of {@link releaseEquiNetModel}. */
export interface ReleaseArgs {
  /** Quick settings and store. Default: `EQUILAB_QUICK=1`. */
  quick?: boolean;
  /** The results store to pick the seed from. Default: `resultsStoreOf(quick).store`. */
  store?: ResultsStore;
  /** The release folder. Default `out/models/equinet/` (quick: `out/quick/models/equinet/`). */
  outputFolder?: string;
  /** Progress lines (retraining takes minutes at full settings). Default: none. */
  onProgress?: (message: string) => void;
}

/** A model's or baseline's test-set metrics in the card. */
export interface CardMetrics {
  /** Share of windows classified right. */
  accuracy: number;
  /** 积分制 points, as the classification report scores them. */
  points: number;
  /** Shares of the predicted classes [涨, 跌, 稳]. */
  predictedShares: number[];
}

/** What `card.json` holds. */
export interface ModelCard {
  /** What the model is. */
  model: string;
  /** The unit it reproduces, its fingerprint and numerics version, and its seed. */
  unit: { id: string; fingerprint: string; numericsVersion: number; seed: number; bestEpoch: number };
  /** The training data. */
  data: { dataset: string; files: number; stocks: number };
  /** Date ranges of the segments (a window's last day from `fromDate`, label closes until `toDate`). */
  split: Record<string, { fromDate: string; toDate: string }>;
  /** Model, windows, schedule and market pairing. */
  settings: {
    model: Record<string, unknown>;
    windows: Record<string, unknown>;
    schedule: Record<string, unknown>;
    alignMarket: "position" | "date";
  };
  /** Test-set metrics of the released checkpoint and of the stored baselines (same evaluation windows). */
  test: {
    windows: number;
    labelShares: number[];
    model: CardMetrics;
    baselines: Record<string, CardMetrics>;
  };
  /**
   * Every stored seed's chosen checkpoint on validation: the selection rule's score (how the seed was
   * picked: higher is better; the negated cross-entropy for "loss"), and its 积分制 points.
   */
  validationBySeed: Record<string, { rule: string; score: number; points: number }>;
  /** Backend of the retraining run, and of the stored unit. */
  backend: { release: string; stored: string };
  /** Git commit of the code that released it. */
  git: { commit: string | null; dirty: boolean | null };
  /** ISO time of the release. */
  releasedAt: string;
}

const SEED_UNIT = /^equinet\/corrected\/corrected\/seed-(\d+)$/;

function metricsOf(report: ClassificationReport): CardMetrics {
  return { accuracy: report.accuracy, points: report.points, predictedShares: [...report.predictedShares] };
}

/**
 * Picks the best stored seed of the corrected reference, retrains it, checks it against the store
 * and writes the release folder with its card. Returns the folder and the card.
 *
 * @throws Error when the store holds no current corrected seed or baselines, or when the retrained
 * test-set accuracy or points differ from the stored ones (both numbers in the message).
 * @example
 * ```ts ignore
 * import { releaseEquiNetModel } from "./equinet_release.ts";
 * const { folder, card } = await releaseEquiNetModel({ quick: true });
 * console.log(folder, card.test.model.accuracy);
 * ```
 */
export async function releaseEquiNetModel(
  args: ReleaseArgs = {},
): Promise<{ folder: string; card: ModelCard }> {
  const quick = args.quick ?? Deno.env.get("EQUILAB_QUICK") === "1";
  const store = args.store ?? resultsStoreOf(quick).store;
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const folder = args.outputFolder ?? join(root, quick ? "out/quick/models/equinet" : "out/models/equinet");
  const progress = args.onProgress ?? (() => {});
  const definitions = (await equiNetUnits({ quick })).filter((unit) =>
    SEED_UNIT.test(unit.id) || unit.id === "equinet/corrected/baselines"
  );
  const statuses = await store.status(definitions);
  const seeds = statuses.filter((status) => status.state === "done" && SEED_UNIT.test(status.definition.id));
  const baselines = statuses.find((status) => status.definition.id === "equinet/corrected/baselines");
  if (seeds.length === 0 || baselines?.state !== "done") {
    throw new Error(
      `release: ${store.root} holds no current ${
        seeds.length === 0 ? "equinet/corrected/corrected/seed-N unit" : "equinet/corrected/baselines unit"
      }` +
        ` (stale or missing: ${
          statuses.filter((status) => status.state !== "done").map((status) => status.definition.id).join(
            ", ",
          ) || "none"
        }); ` +
        `compute them first (deno task experiments${quick ? " with EQUILAB_QUICK=1" : ""})`,
    );
  }
  const runOf = (status: typeof seeds[number]) => {
    const result = status.stored!.result as EquiNetUnitResult;
    if (result.kind !== "seed") {
      throw new Error(`release: ${store.pathOf(status.definition.id)} is not a seed result`);
    }
    return result.run;
  };
  const rule = (seeds[0].definition.settings.config as EquiNetConfig).selectBy ?? "points";
  // The selection score of the chosen checkpoint, as training computed it on the validation sample.
  const validationScore = (status: typeof seeds[number]) => {
    const run = runOf(status);
    return run.history[run.bestEpoch - 1]?.score ?? -Infinity;
  };
  const validationPoints = (status: typeof seeds[number]) => runOf(status).reports.validation.best.points;
  const seedOf = (status: typeof seeds[number]) => Number(status.definition.settings.seed);
  const chosen =
    [...seeds].sort((a, b) => validationScore(b) - validationScore(a) || seedOf(a) - seedOf(b))[0];
  const definition = chosen.definition as UnitDefinition<EquiNetUnitResult>;
  const stored = (chosen.stored!.result as Extract<EquiNetUnitResult, { kind: "seed" }>).run;
  const seed = seedOf(chosen);
  progress(
    `release: ${definition.id} (validation ${rule} score ${validationScore(chosen)}, points ${
      validationPoints(chosen)
    }), retraining`,
  );

  // The code that trains the model is the code checked out now (read before training, which takes minutes).
  const git = await gitCommit();
  const work = join(dirname(folder), `.${basename(folder)}.tmp-${crypto.randomUUID().slice(0, 8)}`);
  await Deno.mkdir(work, { recursive: true });
  try {
    const checkpointFolder = join(work, "run");
    const result = await definition.run({
      checkpointFolder,
      shouldStop: () => false,
      progress: (message) => progress(`release: ${definition.id}: ${message}`),
      dependencies: new Map(),
    });
    if (result.kind !== "seed") throw new Error(`release: ${definition.id} did not return a seed run`);
    const retrained = result.run.reports.test.best;
    const expected = stored.reports.test.best;
    if (retrained.accuracy !== expected.accuracy || retrained.points !== expected.points) {
      throw new Error(
        `release: retrained ${definition.id} does not reproduce its stored test report: accuracy ` +
          `${retrained.accuracy} vs stored ${expected.accuracy}, points ${retrained.points} vs stored ` +
          `${expected.points} (backend now ${await equiNetBackend()}, stored ${
            chosen.stored!.backend
          }); nothing released`,
      );
    }
    for await (const entry of Deno.readDir(join(checkpointFolder, "best"))) {
      await Deno.copyFile(join(checkpointFolder, "best", entry.name), join(work, entry.name));
    }
    await Deno.remove(checkpointFolder, { recursive: true });

    const windows = await equiNetSettingWindows("corrected");
    const config = definition.settings.config as EquiNetConfig;
    const baselineResult = baselines.stored!.result as Extract<EquiNetUnitResult, { kind: "baselines" }>;
    const baselineMetrics: Record<string, CardMetrics> = Object.fromEntries(
      Object.entries(baselineResult.baselines.test).map(([name, report]) => [name, metricsOf(report)]),
    );
    if (baselineResult.logistic?.reports.test) {
      baselineMetrics.logistic = metricsOf(baselineResult.logistic.reports.test);
    }
    const card: ModelCard = {
      model:
        "EquiNet Transformer classifier, corrected pipeline (涨 up / 跌 down / 稳 flat over the next days)",
      unit: {
        id: definition.id,
        fingerprint: chosen.fingerprint!,
        numericsVersion: definition.numericsVersion,
        seed,
        bestEpoch: result.run.bestEpoch,
      },
      data: {
        dataset: definition.data[0]?.dataset ?? "",
        files: definition.data.filter((file) => file.path.endsWith(".xlsx")).length,
        stocks: windows.stocks.length,
      },
      split: Object.fromEntries(
        [...windows.segments].map((
          [name, segment],
        ) => [name, { fromDate: segment.fromDate, toDate: segment.toDate }]),
      ),
      settings: {
        model: { ...config.model, seed },
        windows: { ...windows.args, testStartDate: windows.args.testStartDate ?? null },
        schedule: {
          epochs: config.epochs,
          windowsPerEpoch: config.windowsPerEpoch ?? 1000,
          batchSize: config.batchSize ?? 50,
          evaluationWindows: config.evaluationWindows ?? 1000,
          learningRate: config.learningRate ?? 1e-3,
          stepEpochs: config.stepEpochs ?? 10,
          selectBy: config.selectBy ?? "points",
        },
        alignMarket: definition.settings.alignMarket as "position" | "date",
      },
      test: {
        windows: retrained.count,
        labelShares: baselineResult.labelShares.test,
        model: metricsOf(retrained),
        baselines: baselineMetrics,
      },
      validationBySeed: Object.fromEntries(
        seeds.map((status) => [
          String(seedOf(status)),
          { rule, score: validationScore(status), points: validationPoints(status) },
        ]),
      ),
      backend: { release: await equiNetBackend(), stored: chosen.stored!.backend },
      git,
      releasedAt: new Date().toISOString(),
    };
    await writeJsonAtomic(join(work, "card.json"), card);
    await writeFileAtomic(join(work, "card.md"), cardMarkdown(card));
    const previous = `${work}.previous`;
    const hadPrevious = await Deno.stat(folder).then(() => true, () => false);
    if (hadPrevious) await Deno.rename(folder, previous);
    await Deno.rename(work, folder);
    if (hadPrevious) await Deno.remove(previous, { recursive: true });
    progress(`release: wrote ${folder}`);
    return { folder, card };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const shares = (values: readonly number[]) =>
  `涨 ${percent(values[0])} · 跌 ${percent(values[1])} · 稳 ${percent(values[2])}`;

function selectionWords(card: ModelCard): string {
  const rule = String(card.settings.schedule.selectBy ?? "points");
  return rule === "loss" ? "lowest validation cross-entropy" : `highest validation ${rule}`;
}

function formatScore(rule: string, score: number): string {
  return rule === "loss"
    ? `loss ${(-score).toFixed(4)}`
    : rule === "accuracy"
    ? score.toFixed(3)
    : String(score);
}

/**
 * The human-readable model card (`card.md`) of a release.
 *
 * @example
 * ```ts ignore
 * import { cardMarkdown } from "./equinet_release.ts";
 * await Deno.writeTextFile("card.md", cardMarkdown(card));
 * ```
 */
export function cardMarkdown(card: ModelCard): string {
  const rows = [
    `| this model (seed ${card.unit.seed}) | ${
      card.test.model.accuracy.toFixed(3)
    } | ${card.test.model.points} | ${shares(card.test.model.predictedShares)} |`,
    ...Object.entries(card.test.baselines).map(([name, metrics]) =>
      `| ${name} | ${metrics.accuracy.toFixed(3)} | ${metrics.points} | ${shares(metrics.predictedShares)} |`
    ),
  ];
  return [
    `# EquiNet released model`,
    ``,
    `${card.model}. \`deno task predict FILE...\` uses this folder by default.`,
    ``,
    `- Unit: \`${card.unit.id}\`, fingerprint \`${card.unit.fingerprint}\`, numerics version ${card.unit.numericsVersion}`,
    `- Seed ${card.unit.seed}: the best of the stored seeds on validation by the selection rule (${
      selectionWords(card)
    }): ${
      Object.entries(card.validationBySeed).map(([seed, entry]) =>
        `seed ${seed}: ${formatScore(entry.rule, entry.score)} (${entry.points} points)`
      ).join(", ")
    }; best epoch ${card.unit.bestEpoch}`,
    `- Data: ${card.data.dataset}, ${card.data.files} files (${card.data.stocks} stocks); market columns paired by ${card.settings.alignMarket}`,
    `- Split: ${
      Object.entries(card.split).map(([name, range]) => `${name} ${range.fromDate}..${range.toDate}`).join(
        "; ",
      )
    }`,
    `- Model: \`${JSON.stringify(card.settings.model)}\``,
    `- Windows: \`${JSON.stringify(card.settings.windows)}\``,
    `- Schedule: \`${JSON.stringify(card.settings.schedule)}\``,
    `- Backend: ${card.backend.release} (stored unit: ${card.backend.stored}); git ${
      card.git.commit ?? "unknown"
    }${card.git.dirty ? " (modified)" : ""}; released ${card.releasedAt}`,
    ``,
    `## Test set (${card.test.windows} windows; labels ${shares(card.test.labelShares)})`,
    ``,
    `| predictor | accuracy | points (积分制) | predicted classes |`,
    `| --- | --- | --- | --- |`,
    ...rows,
    ``,
    ...readingNote(card.test.model.predictedShares),
  ].join("\n");
}

/** What a reader should take from the model's predicted-class shares on the test set. */
function readingNote(predictedShares: readonly number[]): string[] {
  const collapsed = collapsedClass(predictedShares);
  if (!collapsed) return [];
  return [
    `**Read with care:** this model answers ${collapsed} for ${
      (Math.max(...predictedShares) * 100).toFixed(1)
    }% of the test windows (≥ ${
      COLLAPSE_SHARE * 100
    }%: it has collapsed to one class), so its accuracy and points ` +
    `are those of the always-${collapsed} baseline above. Its probabilities show how the corrected pipeline ` +
    `works end to end; they are no trading signal (notebooks 05 and 06 say why).`,
    ``,
  ];
}

if (import.meta.main) {
  try {
    const { folder, card } = await releaseEquiNetModel({ onProgress: (message) => console.error(message) });
    console.log(
      `${folder}: seed ${card.unit.seed}, test accuracy ${card.test.model.accuracy}, points ${card.test.model.points}`,
    );
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
