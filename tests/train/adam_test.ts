import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { Adam } from "../../lib/train/mod.ts";

await selectBackend("cpu");

Deno.test("Adam: two steps by hand (bias-corrected), and L2 weight decay", async () => {
  const weight = tf.variable(tf.scalar(1));
  const adam = new Adam(new Map([["w", weight]]));
  const gradient = tf.scalar(0.5);
  // step 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 → w −= 0.1 · 0.5 / (0.5 + 1e-8)
  adam.apply(new Map([["w", gradient]]), 0.1);
  const afterOne = 1 - 0.1 * 0.5 / (0.5 + 1e-8);
  assertClose(weight.dataSync()[0], afterOne, { absolute: 1e-6 });
  // step 2 with the same gradient: m̂ = 0.5, v̂ = 0.25 again
  adam.apply(new Map([["w", gradient]]), 0.1);
  assertClose(weight.dataSync()[0], afterOne - 0.1 * 0.5 / (0.5 + 1e-8), { absolute: 1e-6 });
  assert.equal(adam.step, 2);
  const state = await adam.getState();
  assertClose(state.firstMoments.get("w")![0], 0.9 * 0.05 + 0.05, { absolute: 1e-7 });
  // weight decay 1: effective gradient 0.5 + 1·w; first step moves by lr regardless of size
  const decayed = tf.variable(tf.scalar(2));
  const withDecay = new Adam(new Map([["w", decayed]]), { weightDecay: 1 });
  withDecay.apply(new Map([["w", tf.scalar(-1)]]), 0.1); // gradient −1 + 2 = +1 → w = 2 − 0.1
  assertClose(decayed.dataSync()[0], 1.9, { absolute: 1e-6 });
  adam.dispose();
  withDecay.dispose();
});

Deno.test("Adam state round-trips: restored optimiser continues identically", async () => {
  const make = () => tf.variable(tf.tensor1d([1, -2, 3]));
  const a = make();
  const adam = new Adam(new Map([["w", a]]));
  const g1 = tf.tensor1d([0.3, -0.1, 0.2]);
  const g2 = tf.tensor1d([-0.5, 0.4, 0.1]);
  adam.apply(new Map([["w", g1]]), 0.01);
  const b = tf.variable(a.clone());
  const restored = new Adam(new Map([["w", b]]));
  restored.setState(await adam.getState());
  adam.apply(new Map([["w", g2]]), 0.01);
  restored.apply(new Map([["w", g2]]), 0.01);
  assert.deepEqual(b.dataSync(), a.dataSync());
  adam.dispose();
  restored.dispose();
});
