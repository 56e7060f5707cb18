/**
 * Summaries of timing samples: median, min, max, and the ratio ours / PyTorch.
 */

/** Median, min and max of a workload's timed repetitions (seconds), with the samples themselves. */
export interface TimingSummary {
  /** Median of `samples` (mean of the two middle values for an even count). */
  median: number;
  /** Fastest repetition. */
  min: number;
  /** Slowest repetition. */
  max: number;
  /** Every timed repetition in run order (warm-up excluded), seconds. */
  samples: number[];
}

/**
 * Median of `values` (mean of the two middle values for an even count). Throws on an empty list or a
 * non-finite value, so a failed timing never turns into a figure.
 *
 * @example
 * ```ts
 * import { median } from "./summary.ts";
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  checkSamples(values, "median");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Median, min and max of timing samples (seconds).
 *
 * @example
 * ```ts
 * import { summariseTimings } from "./summary.ts";
 * summariseTimings([0.5, 0.4, 0.6]); // { median: 0.5, min: 0.4, max: 0.6, samples: [0.5, 0.4, 0.6] }
 * ```
 */
export function summariseTimings(samples: readonly number[]): TimingSummary {
  checkSamples(samples, "summariseTimings");
  for (const value of samples) {
    if (value < 0) throw new RangeError(`summariseTimings: negative time ${value}`);
  }
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: [...samples],
  };
}

/**
 * Ours / PyTorch of two medians: above 1 means ours is slower. Throws when PyTorch's median is not
 * positive (a ratio would be meaningless).
 *
 * @example
 * ```ts
 * import { speedRatio } from "./summary.ts";
 * speedRatio(1.5, 0.5); // 3
 * ```
 */
export function speedRatio(oursSeconds: number, pytorchSeconds: number): number {
  if (!(pytorchSeconds > 0) || !Number.isFinite(oursSeconds) || oursSeconds < 0) {
    throw new RangeError(`speedRatio: cannot divide ${oursSeconds} s by ${pytorchSeconds} s`);
  }
  return oursSeconds / pytorchSeconds;
}

/** 1-, 5- and 15-minute load averages, as `/proc/loadavg` gives them. */
export interface LoadAverage {
  /** Runnable processes averaged over the last minute. */
  oneMinute: number;
  /** … over the last five minutes. */
  fiveMinutes: number;
  /** … over the last fifteen minutes. */
  fifteenMinutes: number;
}

/**
 * Parses the text of `/proc/loadavg` (`"0.52 0.61 0.70 1/123 4567"`). Throws, quoting the text, when
 * it does not start with three numbers.
 *
 * @example
 * ```ts
 * import { parseLoadAverage } from "./summary.ts";
 * parseLoadAverage("0.52 0.61 0.70 1/123 4567\n").oneMinute; // 0.52
 * ```
 */
export function parseLoadAverage(text: string): LoadAverage {
  const fields = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (fields.length < 3 || fields.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`/proc/loadavg: expected three load averages, got ${JSON.stringify(text)}`);
  }
  return { oneMinute: fields[0], fiveMinutes: fields[1], fifteenMinutes: fields[2] };
}

function checkSamples(values: readonly number[], caller: string): void {
  if (values.length === 0) throw new RangeError(`${caller}: no samples`);
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`${caller}: sample ${value} is not a finite number`);
  }
}

/** 1-minute load average above which `deno task bench` warns that timings are unreliable (2-core box). */
export const LOAD_WARNING_THRESHOLD = 1.5;

/**
 * A warning when the 1-minute load average exceeds `threshold` (other work competing for the cores),
 * else null.
 *
 * @example
 * ```ts
 * import { loadWarning } from "./summary.ts";
 * loadWarning({ oneMinute: 2.1, fiveMinutes: 1, fifteenMinutes: 1 }, "before lstm-h2");
 * // "load average 2.1 before lstm-h2 (above 1.5): other work shares the cores, timings are noisy"
 * ```
 */
export function loadWarning(
  load: LoadAverage,
  where: string,
  threshold = LOAD_WARNING_THRESHOLD,
): string | null {
  return load.oneMinute > threshold
    ? `load average ${load.oneMinute} ${where} (above ${threshold}): other work shares the cores, timings are noisy`
    : null;
}

/** Cumulative CPU time counters of all cores, from the `cpu` line of `/proc/stat` (clock ticks). */
export interface CpuTimes {
  /** Ticks spent on anything but idle and I/O wait. */
  busy: number;
  /** All ticks. */
  total: number;
}

/**
 * Parses the aggregate `cpu` line of `/proc/stat` (user nice system idle iowait irq softirq steal …).
 * Throws, quoting the line, when it is missing or malformed.
 *
 * @example
 * ```ts
 * import { parseCpuTimes } from "./summary.ts";
 * parseCpuTimes("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 …"); // { busy: 150, total: 1000 }
 * ```
 */
export function parseCpuTimes(text: string): CpuTimes {
  const line = text.split("\n").find((row) => /^cpu\s/.test(row));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 5 || fields.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`/proc/stat: no aggregate cpu line with tick counts (got ${JSON.stringify(line ?? "")})`);
  }
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - fields[3] - fields[4], total };
}

/**
 * Cores kept busy between two {@link CpuTimes} readings (busy share × `cores`). Taken while the bench
 * itself sleeps, it measures the other work competing for the machine, which the 1-minute load
 * average cannot separate from the bench's own previous workload.
 *
 * @example
 * ```ts
 * import { busyCores } from "./summary.ts";
 * busyCores({ busy: 100, total: 1000 }, { busy: 150, total: 1100 }, 2); // 1
 * ```
 */
export function busyCores(before: CpuTimes, after: CpuTimes, cores: number): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return ((after.busy - before.busy) / total) * cores;
}

/** Cores busy with other work (see {@link busyCores}) above which the bench warns. */
export const BUSY_CORES_WARNING_THRESHOLD = 0.5;
