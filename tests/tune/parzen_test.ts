import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  adaptiveParzen,
  categoricalPosterior,
  forgettingWeights,
  mixtureLogDensity,
  normalCdf,
} from "../../lib/tune/_parzen.ts";

const close = (actual: number, expected: number, tolerance = 1e-7) =>
  assertClose(actual, expected, { absolute: tolerance });

Deno.test("adaptiveParzen: hyperopt's bandwidths (larger neighbour gap, clipped; prior keeps its sigma)", () => {
  const mixture = adaptiveParzen([0.8, 0.2], 1, 0.5, 1, 25, 0, 1);
  assert.deepEqual(Array.from(mixture.means), [0.2, 0.5, 0.8]);
  // gaps 0.3 each side; minimum sigma 1 / min(100, 1 + 3) = 0.25; prior sigma 1
  assert.deepEqual(Array.from(mixture.sigmas).map((s) => Math.round(s * 1e12) / 1e12), [0.3, 1, 0.3]);
  assert.deepEqual(Array.from(mixture.weights), [1 / 3, 1 / 3, 1 / 3]);
  // clipping from below: two close observations
  const tight = adaptiveParzen([0.1, 0.11], 1, 0.5, 1, 25, 0, 1);
  assert.deepEqual(Array.from(tight.sigmas), [0.25, 0.39, 1]);
  // a single observation gets half the prior sigma
  assert.deepEqual(Array.from(adaptiveParzen([0.9], 1, 0.5, 1, 25, 0, 1).sigmas), [1, 0.5]);
});

Deno.test("forgettingWeights: the last 25 weigh 1, older ones ramp from 1/n", () => {
  const weights = forgettingWeights(27, 25);
  close(weights[0], 1 / 27);
  assert.equal(weights[1], 1);
  assert.equal(weights[26], 1);
  assert.deepEqual(Array.from(forgettingWeights(3, 25)), [1, 1, 1]);
});

Deno.test("categoricalPosterior adds the prior weight to each option's count", () => {
  assert.deepEqual(Array.from(categoricalPosterior([0, 0, 2], 3, 1, 25)), [3 / 6, 1 / 6, 2 / 6]);
});

Deno.test("normalCdf and a truncated density that integrates to one", () => {
  close(normalCdf(0), 0.5);
  close(normalCdf(1.959963985), 0.975);
  const mixture = adaptiveParzen([0.2, 0.7], 1, 0.5, 1, 25, 0, 1);
  let integral = 0;
  const steps = 2000;
  for (let step = 0; step < steps; step++) {
    integral += Math.exp(mixtureLogDensity(mixture, (step + 0.5) / steps)) / steps;
  }
  close(integral, 1, 1e-5);
  close(Math.exp(mixtureLogDensity(mixture, 0, 0, 1)), 1, 1e-12);
});
