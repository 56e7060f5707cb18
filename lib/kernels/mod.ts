/**
 * Fused kernels: single tfjs ops with hand-written gradients that replace long chains of tiny ops
 * (the LSTM recurrence), so training pays per-op overhead once per layer instead of once per step.
 *
 * @example
 * ```ts
 * import { fusedLstm, lstmSequence } from "./mod.ts";
 * const layer = fusedLstm({ units: 2, recurrentActivation: "sigmoid" });
 * ```
 * @module
 */
export * from "./lstm_sequence.ts";
export * from "./fused_lstm.ts";
export * from "./host_adam.ts";
