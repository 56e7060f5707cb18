/**
 * Prediction with trained checkpoints: EquiNet's latest-window 涨/跌/稳 probabilities per stock
 * (`deno task predict`).
 *
 * Layer 5 of the flow in lib/README.md: imports backend, data, eval, features, io, models, train.
 *
 * @example
 * ```ts
 * import { loadEquiNetPredictor, predictFile } from "./mod.ts";
 * const predictor = await loadEquiNetPredictor("out/equinet/corrected/best");
 * console.log((await predictFile(predictor, "000001.xlsx")).formatted); // 涨 21% · 跌 54% · 稳 25%
 * ```
 * @module
 */
export * from "./equinet_predictor.ts";
