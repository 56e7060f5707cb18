import assert from "node:assert/strict";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";
import { Adam, type AdamArgs } from "../../lib/train/mod.ts";

const shapes = [[3, 8], [8], [1]];

/** Variables w0…w2 with the same seeded initial values on every call. */
function makeVariables(): Map<string, tf.Variable> {
  const random = createRandom(4);
  return new Map(shapes.map((shape, index) => [
    `w${index}`,
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()),
        shape,
      ),
    ),
  ]));
}

/** Gradients spanning several magnitudes (and exact zeros); w2 gets none on every third step. */
function gradientsOf(step: number): Map<string, tf.Tensor> {
  const random = createRandom(100 + step);
  const gradients = new Map<string, tf.Tensor>();
  shapes.forEach((shape, index) => {
    if (index === 2 && step % 3 === 0) return;
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from(
      { length: size },
      (_, at) => at === 1 ? 0 : random.normal() * 10 ** random.int(6) * 1e-3,
    );
    gradients.set(`w${index}`, tf.tensor(values, shape));
  });
  return gradients;
}

async function train(args: AdamArgs, steps: number, restoreAt?: number): Promise<Float32Array[]> {
  const variables = makeVariables();
  let adam = new Adam(variables, args);
  for (let step = 0; step < steps; step++) {
    if (step === restoreAt) {
      // Continue in a fresh optimiser of the *other* implementation from this one's state.
      const state = await adam.getState();
      adam.dispose();
      adam = new Adam(variables, {
        ...args,
        implementation: args.implementation === "host" ? "ops" : "host",
      });
      adam.setState(state);
    }
    const gradients = gradientsOf(step);
    adam.apply(gradients, 0.01 * 0.5 ** Math.floor(step / 10));
    tf.dispose([...gradients.values()]);
  }
  const weights = [...variables.values()].map((variable) => (variable.dataSync() as Float32Array).slice());
  adam.dispose();
  tf.dispose([...variables.values()]);
  return weights;
}

for (const backend of ["cpu", "wasm"] as const) {
  for (const args of [{}, { weightDecay: 1e-2, epsilon: 1e-7, beta1: 0.8 }] as AdamArgs[]) {
    Deno.test(`Adam (${backend}, ${JSON.stringify(args)}): the host loop (SIMD and plain) is bit-identical to the tf ops over 30 steps`, async () => {
      await selectBackend(backend);
      const ops = await train({ ...args, implementation: "ops" }, 30);
      const host = await train({ ...args, implementation: "host" }, 30);
      const plainLoop = await train({ ...args, implementation: "host", vectorized: false }, 30);
      const initial = [...makeVariables().values()].map((variable) => variable.dataSync());
      ops.forEach((values, index) => {
        assert.deepEqual(host[index], values, `w${index} (host loop in WebAssembly SIMD)`);
        assert.deepEqual(plainLoop[index], values, `w${index} (plain JavaScript host loop)`);
        assert.notDeepEqual(values, initial[index], "the updates moved the weights");
      });
      // A state saved by one implementation continues identically in the other.
      assert.deepEqual(await train({ ...args, implementation: "host" }, 30, 12), ops);
      assert.deepEqual(await train({ ...args, implementation: "ops" }, 30, 12), ops);
    });
  }
}

Deno.test("Adam: auto picks the host loop on cpu and wasm; bad options and mismatched gradients are refused", async () => {
  await selectBackend("cpu");
  const variables = makeVariables();
  const adam = new Adam(variables);
  assert.equal(adam.implementation, "host");
  assert.throws(
    () => adam.apply(new Map([["w1", tf.tensor1d([1, 2])]]), 0.1),
    /gradient of w1 has 2 values, the variable 8/,
  );
  assert.equal(adam.step, 0, "a refused update changes nothing");
  assert.throws(
    () => new Adam(variables, { implementation: "fast" as "host" }),
    /implementation must be "auto", "host" or "ops"/,
  );
  adam.dispose();
  tf.dispose([...variables.values()]);
});
