/**
 * Models: the hybrid design's two-branch LSTM.
 *
 * @example
 * ```ts
 * import { buildTwoBranchLstm } from "./mod.ts";
 * const model = buildTwoBranchLstm({ seed: 7, windowDays: 30 });
 * ```
 * @module
 */
export * from "./two_branch_lstm.ts";
