/** Learning-rate schedules. */

/** Options of {@link stepLearningRate}. */
export interface StepScheduleArgs {
  /** Learning rate of the first epochs. */
  initial: number;
  /** Epochs between decays (PyTorch `StepLR(step_size)`). */
  stepEpochs: number;
  /** Factor applied every `stepEpochs` epochs (PyTorch `gamma`). */
  gamma: number;
}

/**
 * StepLR: the learning rate of a 0-based epoch is initial · gamma^⌊epoch / stepEpochs⌋.
 *
 * @example
 * ```ts
 * import { stepLearningRate } from "./schedule.ts";
 * stepLearningRate(25, { initial: 1e-3, stepEpochs: 10, gamma: 0.5 }); // 2.5e-4
 * ```
 */
export function stepLearningRate(epoch: number, args: StepScheduleArgs): number {
  if (!Number.isInteger(args.stepEpochs) || args.stepEpochs < 1) {
    throw new RangeError(`stepLearningRate: stepEpochs must be a positive integer, got ${args.stepEpochs}`);
  }
  return args.initial * args.gamma ** Math.floor(epoch / args.stepEpochs);
}
