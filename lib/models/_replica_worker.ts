/**
 * The worker module of data-parallel training for the models of this folder: each Deno Worker that
 * `DataParallelTrainer` starts runs this file, which serves replicas of the LSTM regressor and the
 * Transformer classifier. The dependency points down (models → parallel): lib/parallel imports no model.
 */
/// <reference lib="deno.worker" />
import { serveReplicas } from "../parallel/mod.ts";
import { LstmRegressor, type LstmRegressorArgs } from "./lstm_regressor.ts";
import { TransformerClassifier, type TransformerClassifierArgs } from "./transformer_classifier.ts";

serveReplicas({
  LstmRegressor: (args: LstmRegressorArgs) => new LstmRegressor(args),
  TransformerClassifier: (args: TransformerClassifierArgs) => new TransformerClassifier(args),
});
