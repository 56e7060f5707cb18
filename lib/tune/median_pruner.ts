/**
 * The median stopping rule of Optuna's `MedianPruner`: a running trial is stopped at epoch e when its best
 * validation loss so far is worse than the median of the losses that earlier finished trials reported at
 * epoch e. The first trials always run to the end (they make the median), and so do the first epochs of
 * every trial (a warm-up, where losses are still noisy).
 */

/** Options of {@link MedianPruner}. Defaults are Optuna's. */
export interface MedianPrunerArgs {
  /** Finished trials needed before any trial is pruned. Default 5. */
  startupTrials?: number;
  /** Epochs every trial runs before it can be pruned (epochs are 1-based; pruning from epoch warmup + 1). Default 0. */
  warmupEpochs?: number;
}

/**
 * Decides when to stop a trial, given the per-epoch validation losses of the trials that finished.
 *
 * @example
 * ```ts
 * import { MedianPruner } from "./median_pruner.ts";
 * const pruner = new MedianPruner({ startupTrials: 3 });
 * const finished = [[0.9, 0.5, 0.4], [0.8, 0.6, 0.5], [1.0, 0.7, 0.6]];
 * pruner.shouldPrune(finished, [0.95, 0.72]); // true: best so far 0.72 > median 0.6 at epoch 2
 * pruner.shouldPrune(finished, [0.95, 0.55]); // false
 * ```
 */
export class MedianPruner {
  /** The options with defaults filled in. */
  readonly args: Readonly<Required<MedianPrunerArgs>>;

  /** @param args Options (Optuna's defaults). */
  constructor(args: MedianPrunerArgs = {}) {
    this.args = { startupTrials: args.startupTrials ?? 5, warmupEpochs: args.warmupEpochs ?? 0 };
    for (const [name, value] of Object.entries(this.args)) {
      if (!Number.isInteger(value) || value < 0) {
        throw new RangeError(`MedianPruner: ${name} must be an integer ≥ 0, got ${value}`);
      }
    }
  }

  /**
   * True when the running trial should stop now. `finished`: the per-epoch validation losses of the trials
   * that completed — ran to their end or stopped early by patience, not pruned, as Optuna counts them (index
   * e − 1 = epoch e; NaN or missing = not reported);
   * `running`: this trial's losses so far, the last one being the epoch just finished.
   */
  shouldPrune(finished: readonly (readonly number[])[], running: readonly number[]): boolean {
    const epoch = running.length;
    if (epoch === 0 || epoch <= this.args.warmupEpochs) return false;
    if (finished.length < this.args.startupTrials) return false;
    const current = running[epoch - 1];
    if (!Number.isFinite(current)) return true; // a diverged trial (NaN or infinite loss) is not worth finishing
    const atEpoch = finished.map((losses) => losses[epoch - 1]).filter((loss) => Number.isFinite(loss));
    if (atEpoch.length === 0) return false; // no earlier trial reached this epoch
    const best = Math.min(...running.filter((loss) => Number.isFinite(loss)));
    return best > median(atEpoch);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
