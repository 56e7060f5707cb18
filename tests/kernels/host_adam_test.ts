import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { HostAdam } from "../../lib/kernels/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`HostAdam (${backend}) is bit-identical to tf.train.adam over 30 steps`, async () => {
    await selectBackend(backend);
    const random = createRandom(4);
    const shapes = [[3, 8], [8], [1]];
    const initial = shapes.map((shape) =>
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal())
    );
    const make = (prefix: string) =>
      initial.map((values, index) =>
        tf.variable(tf.tensor(values, shapes[index]), true, `${prefix}${index}`)
      );
    const stockVariables = make(`${backend}Stock`), hostVariables = make(`${backend}Host`);
    const stock = tf.train.adam(0.01);
    const host = new HostAdam(hostVariables, { learningRate: 0.01 });
    for (let step = 0; step < 30; step++) {
      // Gradients spanning several magnitudes (and an exact zero), same for both.
      const gradientValues = initial.map((values) =>
        Float32Array.from(values, (_, at) => at === 1 ? 0 : random.normal() * 10 ** random.int(6) * 1e-3)
      );
      const grads = (variables: tf.Variable[]) =>
        Object.fromEntries(variables.map((variable, index) => [
          variable.name,
          tf.tensor(gradientValues[index], shapes[index]),
        ]));
      const stockGrads = grads(stockVariables), hostGrads = grads(hostVariables);
      stock.applyGradients(stockGrads as Parameters<tf.AdamOptimizer["applyGradients"]>[0]);
      host.applyGradients(hostGrads);
      tf.dispose([...Object.values(stockGrads), ...Object.values(hostGrads)]);
    }
    stockVariables.forEach((variable, index) => {
      assert.deepEqual(hostVariables[index].dataSync(), variable.dataSync(), `variable ${index}`);
      assert.notDeepEqual(variable.dataSync(), initial[index], "the updates moved the weights");
    });
    stock.dispose();
    host.dispose();
    tf.dispose([...stockVariables, ...hostVariables]);
  });
}

Deno.test("HostAdam leaves a variable without a gradient alone and refuses a mismatched gradient", async () => {
  await selectBackend("cpu");
  const a = tf.variable(tf.tensor1d([1, 2]), true, "hostAdamA");
  const b = tf.variable(tf.tensor1d([3]), true, "hostAdamB");
  const adam = new HostAdam([a, b], { learningRate: 0.1 });
  adam.applyGradients({ hostAdamA: tf.tensor1d([1, -1]) });
  assert.deepEqual(Array.from(b.dataSync()), [3]);
  assertClose(a.dataSync()[0], 0.9, { absolute: 1e-5, label: `${a.dataSync()[0]}` });
  assert.throws(() => adam.applyGradients({ hostAdamB: tf.tensor1d([1, 2]) }), /hostAdamB has 2 values/);
  assert.throws(() => new HostAdam([a], { learningRate: 0 }), /learningRate/);
  tf.dispose([a, b]);
});
