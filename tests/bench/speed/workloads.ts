/**
 * The workloads `deno task bench` times, ours against PyTorch CPU on the same shapes (issue 7).
 */

/** The paper's LSTM: one sample is one training epoch over `samples` shuffled windows. */
export interface LstmWorkload {
  /** Stable key in the JSON, e.g. `lstm-h14`. */
  id: string;
  kind: "lstm";
  /** Row label of the table. */
  label: string;
  unit: "s/epoch";
  /** Training windows per epoch. */
  samples: number;
  windowDays: number;
  featureCount: number;
  hiddenSize: number;
  batchSize: number;
  /** Adam learning rate (LstmRegressor's default, 0.01). */
  learningRate: number;
  /**
   * Threads sharing each batch on ours (`LstmRegressor`'s `workers` option). Absent = 1. PyTorch's side
   * ignores it (its own 2 threads).
   */
  workers?: number;
}

/** The EquiNet Transformer: one sample is one training step (forward, backward, clipping, Adam). */
export interface TransformerWorkload {
  /** Stable key in the JSON, e.g. `transformer-d64`. */
  id: string;
  kind: "transformer";
  /** Row label of the table. */
  label: string;
  unit: "s/step";
  batchSize: number;
  windowDays: number;
  featureCount: number;
  classes: number;
  dModel: number;
  heads: number;
  layers: number;
  feedForwardUnits: number;
  dropout: number;
  /** Adam learning rate (as tests/bench/transformer_step_bench.ts uses, 1e-3). */
  learningRate: number;
  /**
   * Threads sharing each batch on ours (lib/parallel DataParallelTrainer: main thread + workers − 1 Deno
   * Workers). Absent = 1, the plain single-thread step. PyTorch's side ignores it (its own 2 threads).
   */
  workers?: number;
}

/** Wall time of `deno task report` over every notebook (ours only: PyTorch has no counterpart). */
export interface ReportWorkload {
  /** `report-quick` or `report-full`. */
  id: string;
  kind: "report";
  /** Row label of the table. */
  label: string;
  unit: "s";
  /** True: `EQUILAB_QUICK=1` (tiny settings); false: full settings (hours, never in CI). */
  quick: boolean;
}

/** One timed workload. */
export type Workload = LstmWorkload | TransformerWorkload | ReportWorkload;

function lstm(hiddenSize: number, workers = 1): LstmWorkload {
  return {
    id: `lstm-h${hiddenSize}${workers > 1 ? `-w${workers}` : ""}`,
    kind: "lstm",
    label: `Paper LSTM, hidden ${hiddenSize}${workers > 1 ? `, ours on ${workers} workers` : ""}`,
    unit: "s/epoch",
    samples: 2000,
    windowDays: 20,
    featureCount: 6,
    hiddenSize,
    batchSize: 32,
    learningRate: 0.01,
    ...(workers > 1 ? { workers } : {}),
  };
}

function transformer(dModel: number, heads: number, layers: number, workers = 1): TransformerWorkload {
  return {
    id: `transformer-d${dModel}${workers > 1 ? `-w${workers}` : ""}`,
    kind: "transformer",
    label: `EquiNet Transformer, d${dModel}/${heads} heads/${layers} layers${
      workers > 1 ? `, ours on ${workers} workers` : ""
    }`,
    unit: "s/step",
    batchSize: 64,
    windowDays: 60,
    featureCount: 8,
    classes: 3,
    dModel,
    heads,
    layers,
    feedForwardUnits: 4 * dModel,
    dropout: 0.1,
    learningRate: 1e-3,
    ...(workers > 1 ? { workers } : {}),
  };
}

/**
 * The model workloads of issue 7, in run order: the paper's LSTM (20 days × 6 features, 2000 windows,
 * batch 32) at hidden 2, 14 and 64, then the EquiNet Transformer (60 days × 8 features, 3 classes,
 * batch 64) at d64/4 heads/2 layers and d128/8 heads/4 layers (feed-forward 4·d, dropout 0.1), then
 * the LSTM at hidden 64 and the two Transformers with ours sharing each batch between 2 threads (`-w2`,
 * lib/parallel).
 *
 * @example
 * ```ts
 * import { MODEL_WORKLOADS } from "./workloads.ts";
 * MODEL_WORKLOADS.map((workload) => workload.id); // ["lstm-h2", ..., "transformer-d128-w2"]
 * ```
 */
export const MODEL_WORKLOADS: readonly (LstmWorkload | TransformerWorkload)[] = [
  lstm(2),
  lstm(14),
  lstm(64),
  transformer(64, 4, 2),
  transformer(128, 8, 4),
  lstm(64, 2),
  transformer(64, 4, 2, 2),
  transformer(128, 8, 4, 2),
];

/**
 * The workloads `--quick` keeps: one LSTM and the small Transformer (a smoke run in well under a minute).
 *
 * @example
 * ```ts
 * import { QUICK_WORKLOAD_IDS } from "./workloads.ts";
 * QUICK_WORKLOAD_IDS.includes("lstm-h14"); // true
 * ```
 */
export const QUICK_WORKLOAD_IDS: readonly string[] = ["lstm-h14", "transformer-d64"];

/**
 * The notebook-report workload (`quick`: all notebooks with `EQUILAB_QUICK=1`; otherwise full settings).
 *
 * @example
 * ```ts
 * import { reportWorkload } from "./workloads.ts";
 * reportWorkload(true).id; // "report-quick"
 * ```
 */
export function reportWorkload(quick: boolean): ReportWorkload {
  return quick
    ? { id: "report-quick", kind: "report", label: "All notebooks, quick mode, wall time", unit: "s", quick }
    : {
      id: "report-full",
      kind: "report",
      label: "All notebooks, full settings, wall time",
      unit: "s",
      quick,
    };
}
