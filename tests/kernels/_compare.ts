/** Helpers shared by the kernel tests: backends to run on, value-and-gradient comparison. */
import assert from "node:assert/strict";
import { assertClose as assertCloseShared } from "../_close.ts";
import { type BackendName, selectBackend, tf } from "../../lib/backend/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

/**
 * Backends every kernel is checked on. webgpu runs on Deno's software adapter (llvmpipe) here; if
 * no adapter exists at all the webgpu cases fail loudly, unless `EQUILAB_SKIP_WEBGPU=1` (README)
 * opts out of them.
 */
export const KERNEL_BACKENDS: readonly BackendName[] = Deno.env.get("EQUILAB_SKIP_WEBGPU") === "1"
  ? ["cpu", "wasm"]
  : ["cpu", "wasm", "webgpu"];

/**
 * Activates a backend for one test. On webgpu, tfjs's CPU forwarding (small ops run on the cpu
 * backend) is turned off, so the tiny test shapes really run as shaders.
 */
export async function useBackend(name: BackendName): Promise<void> {
  await selectBackend(name);
  if (name === "webgpu") tf.env().set("WEBGPU_CPU_FORWARD", false);
}

/** A seeded normal tensor (values drawn through lib/random, so identical on every backend). */
export function normalTensor(seed: number, shape: number[], scale = 1): tf.Tensor {
  const random = createRandom(seed);
  const size = shape.reduce((product, length) => product * length, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => random.normal() * scale), shape);
}

/** Forward values and the gradients of Σ f(inputs) ⊙ weights with respect to every input. */
export async function valueAndGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  weights: tf.Tensor,
): Promise<{ value: Float32Array; gradients: Float32Array[] }> {
  const value = tf.tidy(() => f(...inputs));
  const gradients = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
  const out = {
    value: (await value.data()) as Float32Array,
    gradients: await Promise.all(gradients.map(async (gradient) => (await gradient.data()) as Float32Array)),
  };
  tf.dispose([value, ...gradients]);
  return out;
}

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|) element by element. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label: string,
): void {
  assertCloseShared(actual, expected, { relative: tolerance, scale: "atLeastOne", label });
}

/** Compares a fused op with its plain-ops reference: forward values and every input's gradient. */
export async function assertSameValueAndGradients(
  fused: (...inputs: tf.Tensor[]) => tf.Tensor,
  reference: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  tolerance: number,
  label: string,
): Promise<void> {
  const probe = tf.tidy(() => reference(...inputs));
  const weights = normalTensor(99, probe.shape);
  probe.dispose();
  const ours = await valueAndGradients(fused, inputs, weights);
  const plain = await valueAndGradients(reference, inputs, weights);
  weights.dispose();
  assertClose(ours.value, plain.value, tolerance, `${label}: forward`);
  assert.equal(ours.gradients.length, plain.gradients.length);
  ours.gradients.forEach((gradient, index) =>
    assertClose(gradient, plain.gradients[index], tolerance, `${label}: gradient of input ${index}`)
  );
  // a comparison of zeros would prove nothing
  assert.ok(
    plain.gradients.every((gradient) => gradient.some((entry) => entry !== 0)),
    `${label}: zero gradient`,
  );
}
