/**
 * The webgpu backend trains the paper LSTM and the EquiNet Transformer like the cpu backend.
 *
 * Each backend runs in its own `deno run` subprocess (`_training_run.ts`), both at once, so no
 * tensor, variable or engine state can cross from one backend to the other. In CI the adapter is
 * Mesa's software one (llvmpipe/lavapipe, installed by `.ci/run`); a machine with no WebGPU adapter
 * at all fails this test with the reason, unless `EQUILAB_SKIP_WEBGPU=1` (see README).
 *
 * Tolerances. Both backends compute in float32 from identical inputs, initial weights (drawn by
 * `lib/random` or by tfjs's seeded initialisers) and dropout masks; they differ only in reduction
 * order and in fused multiply-adds, so each op differs by a few float32 ulps (~1e-7 relative).
 * Losses, gradient norms, predictions and probabilities are allowed 1e-5 (about 100 ulps; measured
 * ≤ 5e-7 on llvmpipe). Weights after 9 (LSTM) and 4 (Transformer) Adam steps at learning rate 1e-2
 * are allowed 1e-4: Adam divides each gradient by its own running magnitude, which turns relative
 * gradient differences into absolute weight differences (measured ≤ 1.2e-5). One weight is
 * excluded: the attention key bias adds the same amount to every logit of a query's row, which
 * softmax ignores, so its true gradient is exactly zero and both backends only see rounding noise
 * (~1e-9) — which Adam scales to a full ±learning-rate step of arbitrary sign. It cannot change any
 * output, which the probability comparison confirms.
 */
import assert from "node:assert/strict";
import { assertClose as assertCloseShared } from "../_close.ts";
import { fileURLToPath } from "node:url";
import type { TrainingRunResult } from "./_training_run.ts";

const SKIP = Deno.env.get("EQUILAB_SKIP_WEBGPU") === "1";
const OUTPUT_TOLERANCE = 1e-5;
const WEIGHT_TOLERANCE = 1e-4;
/** Weights whose true gradient is zero (see the module comment): compared by shape only. */
const GRADIENT_FREE_WEIGHTS = /\/attention\/key\/bias$/;

type RunOutcome = { result: TrainingRunResult } | { error: string };

let runtimeFolderPath: string | undefined;
/** A private (0700) runtime folder for the child processes, made once per test file. */
async function runtimeFolder(): Promise<string> {
  runtimeFolderPath ??= await Deno.makeTempDir({ prefix: "equilab-xdg-" });
  return runtimeFolderPath;
}

async function runOn(backend: "cpu" | "webgpu"): Promise<RunOutcome> {
  const script = fileURLToPath(new URL("./_training_run.ts", import.meta.url));
  const output = await new Deno.Command(Deno.execPath(), {
    // Type-checked by `deno check tests/`; skipping it here saves seconds per subprocess.
    args: ["run", "-A", "--quiet", "--no-check", script, backend],
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    // Mesa's Vulkan driver warns on stderr ("XDG_RUNTIME_DIR is invalid or not set") in sessions
    // without a login runtime folder (CI, containers); give the child a private one.
    env: Deno.env.get("XDG_RUNTIME_DIR") ? {} : { XDG_RUNTIME_DIR: await runtimeFolder() },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout).trim();
  const stderr = new TextDecoder().decode(output.stderr).trim();
  const lastLine = stdout.split("\n").at(-1) ?? "";
  if (output.code === 3) return { error: (JSON.parse(lastLine) as { error: string }).error };
  if (!output.success) {
    throw new Error(`${backend} training run exited with ${output.code}:\n${stderr.slice(-2000)}`);
  }
  if (stderr !== "") throw new Error(`${backend} training run printed warnings:\n${stderr.slice(-2000)}`);
  return { result: JSON.parse(lastLine) as TrainingRunResult };
}

function assertClose(
  expected: readonly number[],
  actual: readonly number[],
  tolerance: number,
  what: string,
): void {
  // cpu is the reference, webgpu the value compared
  assertCloseShared(actual, expected, {
    relative: tolerance,
    scale: "atLeastOne",
    label: `${what} (webgpu vs cpu)`,
  });
}

function assertWeightsClose(
  expected: Record<string, number[]>,
  actual: Record<string, number[]>,
  what: string,
): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${what}: weight names`);
  for (const [name, values] of Object.entries(expected)) {
    if (GRADIENT_FREE_WEIGHTS.test(name)) assert.equal(actual[name].length, values.length, name);
    else assertClose(values, actual[name], WEIGHT_TOLERANCE, `${what} ${name}`);
  }
}

Deno.test({
  name: "webgpu trains the LSTM and the Transformer like cpu (losses, outputs, weights within tolerance)",
  ignore: SKIP,
  async fn() {
    const [cpuRun, webgpuRun] = await Promise.all([runOn("cpu"), runOn("webgpu")]);
    if ("error" in cpuRun) throw new Error(`cpu backend failed: ${cpuRun.error}`);
    if ("error" in webgpuRun) {
      throw new Error(
        `no usable WebGPU adapter — ${webgpuRun.error}. CI installs Mesa's software Vulkan driver ` +
          `(.ci/run); on a machine without any, set EQUILAB_SKIP_WEBGPU=1 to skip this test (README).`,
      );
    }
    const cpu = cpuRun.result, webgpu = webgpuRun.result;
    assert.equal(webgpu.backend, "webgpu");
    assert.match(webgpu.summary, /on backend "webgpu" \(.+\) — requested/, "the summary names the adapter");

    assertClose(cpu.lstm.loss, webgpu.lstm.loss, OUTPUT_TOLERANCE, "LSTM loss per epoch");
    assertClose(cpu.lstm.predictions, webgpu.lstm.predictions, OUTPUT_TOLERANCE, "LSTM predictions");
    assertWeightsClose(cpu.lstm.weights, webgpu.lstm.weights, "LSTM");
    assert.ok(cpu.lstm.loss.at(-1)! < cpu.lstm.loss[0], "the LSTM's loss falls");

    const [cpuTransformer, webgpuTransformer] = [cpu.transformer, webgpu.transformer];
    assertClose(
      cpuTransformer.stepLoss,
      webgpuTransformer.stepLoss,
      OUTPUT_TOLERANCE,
      "Transformer loss per step",
    );
    assertClose(
      cpuTransformer.gradientNorm,
      webgpuTransformer.gradientNorm,
      OUTPUT_TOLERANCE,
      "Transformer gradient norm per epoch",
    );
    assertClose(
      cpuTransformer.probabilities,
      webgpuTransformer.probabilities,
      OUTPUT_TOLERANCE,
      "Transformer probabilities",
    );
    assertWeightsClose(cpuTransformer.weights, webgpuTransformer.weights, "Transformer");
    assert.ok(cpuTransformer.stepLoss.at(-1)! < cpuTransformer.stepLoss[0], "the Transformer's loss falls");

    assert.equal(cpu.lstm.syncPredictError, null, "cpu reads synchronously");
    assert.match(
      webgpu.lstm.syncPredictError ?? "",
      /LstmRegressor\.predict reads tensor values synchronously, .*webgpu.*; use await predictAsync/,
    );
    assert.equal(cpu.leakedTensors, 0, "cpu: tensors leaked");
    assert.equal(webgpu.leakedTensors, 0, "webgpu: tensors leaked");
  },
});
