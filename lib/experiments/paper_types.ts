/**
 * The types of the ChiNext LSTM paper's runners (lib/experiments/paper.ts): its data, configurations,
 * settings, per-seed and per-experiment results.
 */
import type { OhlcvColumns } from "../data/mod.ts";
import type { RegressionMetrics } from "../eval/mod.ts";
import type { ScalerKind } from "../features/mod.ts";
import type { SeedSummary } from "./_private.ts";
import type { PaperInputSet, PaperReportedMape } from "./paper_reported.ts";

/** Daily bars as columns (the data loader's output): the shared OHLCV set plus the traded amount. */
export interface PriceColumns extends OhlcvColumns {
  /** Traded amount (turnover). */
  amount: Float64Array;
}

/** The series an experiment runs on. */
export interface PaperData {
  /** Every loaded day, including history before the study period (used for windows and pct change). */
  columns: PriceColumns;
  /** ISO dates (YYYY-MM-DD), ascending, one per row. Optional, but needed for the default study period. */
  dates?: readonly string[];
  /**
   * Index of the study period's first day: the first target day scored. Default: the paper's
   * 2012-07-02 when `dates` contains it. Earlier days only serve as window history.
   */
  studyFrom?: number;
  /** End of the study period (exclusive). Default: the day after 2020-11-06 when present, else all days. */
  studyEnd?: number;
}

/**
 * How to read the paper's "LSTM 单元数" (LSTM unit count, 2/7/14):
 * - `"hiddenSize"` (reading A): units = hidden state size, with `fixedWindowDays` days per window;
 * - `"windowDays"` (reading B): units = days per window (the paper's own discussion compares "2 days vs
 *   7 days vs 14 days"), with `fixedHiddenSize` hidden units.
 */
export type UnitReading = "hiddenSize" | "windowDays";

/** One configuration of the paper's sweeps. */
export interface PaperConfig {
  /** Stable id, e.g. `data2-e200-fb0.4-u2`. */
  id: string;
  /** Data1 (5 inputs) or Data2 (6 inputs, + pct change). */
  inputs: PaperInputSet;
  /** "Iterations", read as epochs. */
  epochs: number;
  /** Initial forget-gate bias. */
  forgetBias: number;
  /** The paper's "LSTM unit count"; meaning set by {@link UnitReading}. */
  units: number;
  /** The paper's published figures for this configuration (possibly several, see PAPER_REPORTED). */
  reported: PaperReportedMape[];
}

/** Settings shared by every run; {@link paperSettings} gives the full and the quick set. */
export interface PaperSettings {
  /** True for the smoke-test scale (`EQUILAB_QUICK=1`). */
  quick: boolean;
  /** One full training per seed. Full: 1..5. */
  seeds: number[];
  /** Cap on epochs (quick mode: 2). Full: null (the configuration's own). */
  maxEpochs: number | null;
  /** Reading A's window length. Full: 20 (the TensorFlow 1 tutorial's `time_step`). */
  fixedWindowDays: number;
  /** Reading B's hidden size. Full: 10 (the tutorial's `rnn_unit`). */
  fixedHiddenSize: number;
  /** Adam learning rate. Full: 0.01. */
  learningRate: number;
  /** Windows per step. Full: 64. */
  batchSize: number;
  /** Dropout on the LSTM output (the paper names dropout but no rate). Full: 0. */
  dropout: number;
  /** Scaling of inputs and target. Full: min-max (the paper's 归一化). */
  scalerKind: ScalerKind;
  /** "Out-of-sample as published": share of study days for training (the rest is the test). 0.8. */
  outOfSampleTrainShare: number;
  /** Honest twin: training share (0.7) … */
  honestTrainShare: number;
  /** … and validation share (0.1); the test is the last 20%. */
  honestValidationShare: number;
  /**
   * Honest twin's normalisation: `"trainScaler"` (default) scales every column with the training-only
   * scaler; `"lastClose"` expresses open/high/low/close relative to each window's last close and predicts
   * the next-day return (leak-free by construction, and no extrapolation beyond the training range).
   */
  honestNormalisation: "trainScaler" | "lastClose";
  /** Ridge baseline's L2 penalty on scaled inputs. 1e-4. */
  ridgeL2: number;
  /** Summaries folder. Default `out/summaries/paper` under the project root (quick runs: `out/quick/summaries/paper`). */
  outDir: string;
}

/** Progress of a running experiment, for a progress display. */
export interface PaperProgress {
  /** Which training: the published fit, its out-of-sample twin, or the honest next-day model. */
  phase: "asPublished" | "outOfSample" | "honest";
  /** The seed being trained. */
  seed: number;
  /** 0-based position of the seed. */
  seedIndex: number;
  /** Number of seeds. */
  seedCount: number;
  /** Epoch just finished (1-based). */
  epoch: number;
  /** Epochs of this training. */
  epochs: number;
  /** Its mean training loss. */
  loss: number;
}

/** Options of {@link runPaperExperiment} and {@link runHonestExperiment}. */
export interface RunOptions {
  /** How to read "LSTM unit count". Default `"hiddenSize"`. */
  reading?: UnitReading;
  /** Settings. Default `paperSettings()` (quick when `EQUILAB_QUICK=1`). */
  settings?: PaperSettings;
  /** Called after every epoch (awaited). */
  onProgress?: (progress: PaperProgress) => void | Promise<void>;
  /** Write the result JSON. Default true. */
  write?: boolean;
  /**
   * Folder for resumable training checkpoints (断点续训): each seed's trainings save under
   * `seed-N/<phase>/` and a rerun continues them. Default none.
   */
  checkpointFolder?: string;
  /** Polled after every epoch: true saves the checkpoints and throws `TrainingStopped`. Default never. */
  shouldStop?: () => boolean;
}

/** Predictions of one seed, for fit charts. */
export interface PredictionTrace {
  /** Target day indices. */
  targetDays: number[];
  /** Their dates, when known. */
  dates?: string[];
  /** Real closes. */
  actual: number[];
  /** Model predictions (de-normalised). */
  predicted: number[];
}

/** One seed of {@link runPaperExperiment}. */
export interface PaperSeedResult {
  /** The seed. */
  seed: number;
  /** As published: global scaling, trained on every study day, scored on the same days. */
  asPublished: { inSample: RegressionMetrics; loss: number[]; wallSeconds: number };
  /** Scaler and model fitted on the first 80% of days; scored on them and on the last 20%. */
  outOfSample: { inSample: RegressionMetrics; test: RegressionMetrics; loss: number[]; wallSeconds: number };
}

/** Provenance common to every result file. */
export interface RunProvenance {
  /** One line naming the TensorFlow.js backend and versions. */
  backend: string;
  /** Active backend name. */
  backendName: string;
  /** Git commit of the code (null when git is absent) and whether tracked files were modified. */
  git: { commit: string | null; dirty: boolean | null };
  /** Start time, ISO 8601. */
  createdAt: string;
  /** Wall time of the whole experiment in seconds. */
  wallSeconds: number;
  /** Where the JSON was written (null when not written). */
  path: string | null;
}

/** Study period actually used. */
export interface StudyPeriod {
  /** Index of the first scored day. */
  studyFrom: number;
  /** End index (exclusive). */
  studyEnd: number;
  /** Number of study days. */
  days: number;
  /** First study date, when dates were given. */
  firstDate?: string;
  /** Last study date. */
  lastDate?: string;
}

/** What {@link runPaperExperiment} returns and writes. */
export interface PaperExperimentResult extends RunProvenance {
  /** Always "paper". */
  kind: "paper";
  /** File stem, e.g. `data2-e200-fb0.4-u2-hiddenSize`. */
  experiment: string;
  /** The configuration. */
  config: PaperConfig;
  /** How "units" was read. */
  reading: UnitReading;
  /** The model shape used. */
  model: { windowDays: number; hiddenSize: number; epochs: number; featureNames: string[] };
  /** Settings used. */
  settings: PaperSettings;
  /** Days used. */
  period: StudyPeriod & { outOfSampleTestFrom: number; outOfSampleTestFirstDate?: string };
  /** Per-seed metrics. */
  seeds: PaperSeedResult[];
  /** Mean ± std over seeds of the headline MAPEs. */
  summary: {
    asPublishedInSampleMape: SeedSummary;
    outOfSampleInSampleMape: SeedSummary;
    outOfSampleTestMape: SeedSummary;
  };
  /** Deterministic baselines on the very same days. */
  baselines: {
    asPublished: { persistence: RegressionMetrics; midRange: RegressionMetrics; ridge: RegressionMetrics };
    outOfSampleTest: {
      persistence: RegressionMetrics;
      midRange: RegressionMetrics;
      ridge: RegressionMetrics;
    };
  };
  /** First seed's predictions (as published, and the out-of-sample test). */
  predictions: { seed: number; asPublished: PredictionTrace; outOfSampleTest: PredictionTrace };
}

/** One seed of {@link runHonestExperiment}. */
export interface HonestSeedResult {
  /** The seed. */
  seed: number;
  /** Training days (in-sample). */
  train: RegressionMetrics;
  /** Validation days. */
  validation: RegressionMetrics;
  /** Test days (the last 20%). */
  test: RegressionMetrics;
  /** Per-epoch training loss. */
  loss: number[];
  /** Training wall time. */
  wallSeconds: number;
}

/** What {@link runHonestExperiment} returns and writes. */
export interface HonestExperimentResult extends RunProvenance {
  /** Always "honest". */
  kind: "honest";
  /** File stem, e.g. `honest-data2-e200-fb0.4-u2-hiddenSize`. */
  experiment: string;
  /** The configuration (inputs gain the close, which is known at day t). */
  config: PaperConfig;
  /** How "units" was read. */
  reading: UnitReading;
  /** The model shape used. */
  model: { windowDays: number; hiddenSize: number; epochs: number; featureNames: string[] };
  /** Settings used. */
  settings: PaperSettings;
  /** Days used and the split (target-day indices). */
  period: StudyPeriod & { train: [number, number]; validation: [number, number]; test: [number, number] };
  /** Per-seed metrics. */
  seeds: HonestSeedResult[];
  /** Mean ± std over seeds. */
  summary: {
    validationMape: SeedSummary;
    testMape: SeedSummary;
    testDirectionAccuracy: SeedSummary;
  };
  /** Baselines on the same days: persistence, ridge on the same windows, and the training-majority direction. */
  baselines: {
    validation: { persistence: RegressionMetrics; ridge: RegressionMetrics };
    test: { persistence: RegressionMetrics; ridge: RegressionMetrics };
    /** Direction accuracy of always predicting the training days' majority move. */
    majorityDirection: { direction: "up" | "down"; validation: number; test: number };
  };
  /** First seed's test predictions. */
  predictions: { seed: number; test: PredictionTrace };
}
