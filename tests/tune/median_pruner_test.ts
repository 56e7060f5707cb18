import assert from "node:assert/strict";
import { MedianPruner } from "../../lib/tune/mod.ts";

const finished = [
  [0.9, 0.5, 0.4, 0.35],
  [0.8, 0.6, 0.5, 0.45],
  [1.0, 0.7, 0.6, 0.55],
  [0.7, 0.65],
  [1.1, 0.9, 0.8],
];

Deno.test("MedianPruner: stops a trial exactly when its best loss so far exceeds the finished trials' median at that epoch", () => {
  const pruner = new MedianPruner();
  // Epoch 1 median of 0.9, 0.8, 1.0, 0.7, 1.1 is 0.9.
  assert.equal(pruner.shouldPrune(finished, [0.9]), false, "equal to the median: keep");
  assert.equal(pruner.shouldPrune(finished, [0.91]), true);
  // Epoch 2 median of 0.5, 0.6, 0.7, 0.65, 0.9 is 0.65; the best so far counts, not the last value.
  assert.equal(pruner.shouldPrune(finished, [0.6, 0.95]), false, "best so far 0.6 ≤ 0.65");
  assert.equal(pruner.shouldPrune(finished, [0.95, 0.66]), true);
  // Epoch 4: only three trials reached it (0.35, 0.45, 0.55): median 0.45.
  assert.equal(pruner.shouldPrune(finished, [0.9, 0.8, 0.7, 0.46]), true);
  assert.equal(pruner.shouldPrune(finished, [0.9, 0.8, 0.7, 0.45]), false);
  // Epoch 5: no finished trial reached it.
  assert.equal(pruner.shouldPrune(finished, [0.9, 0.8, 0.7, 0.6, 0.9]), false);
  assert.equal(pruner.shouldPrune(finished, [0.9, NaN]), true, "a diverged trial stops");
});

Deno.test("MedianPruner: never prunes the first trials, nor inside the warm-up", () => {
  const pruner = new MedianPruner({ startupTrials: 6 });
  assert.equal(pruner.shouldPrune(finished, [5]), false, "5 finished < 6 startup trials");
  const warm = new MedianPruner({ warmupEpochs: 2 });
  assert.equal(warm.shouldPrune(finished, [5]), false);
  assert.equal(warm.shouldPrune(finished, [5, 5]), false);
  assert.equal(warm.shouldPrune(finished, [5, 5, 5]), true);
  assert.equal(new MedianPruner().shouldPrune(finished, []), false);
  assert.throws(() => new MedianPruner({ startupTrials: -1 }), /startupTrials must be an integer ≥ 0/);
});
