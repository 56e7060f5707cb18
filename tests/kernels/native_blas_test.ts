/**
 * The system BLAS path of `lib/kernels` (`lib/backend/blas.ts`, `_native_gemm.ts`) against the WebAssembly path,
 * forward and gradients, at odd sizes and model shapes, with transposes; and the fallbacks (no library,
 * library turned off, FFI not permitted), which run on every machine. The native-vs-wasm comparisons are
 * ignored, saying so, where no BLAS library is installed (Debian: apt-get install libopenblas0-pthread).
 *
 * Tolerance: both paths compute in float32 but sum in different orders (BLAS blocks its inner loop,
 * the SIMD kernels accumulate four lanes, tfjs sequentially). A sum of n terms of size ~1 rounds by
 * ~ε·√n·|partial sums| ~ ε·n (ε = 6e-8) either way, so the two may differ by a few ε·n: the tolerance
 * is 2e-5 · √n relative to max(1, |value|) for the longest sum n of the case (1e-5 at least): 1.2e-3
 * for the embedding's weight gradient over 3840 rows, 6e-5 at n = 13.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  blasCandidates,
  describeMatmulPath,
  loadBlas,
  matmulPath,
  requestedBlasThreads,
  setMatmulThreads,
  setNativeMatmul,
  tf,
} from "../../lib/backend/mod.ts";
import {
  batchMatMul,
  dense,
  dropoutMask,
  lstmSequence,
  type LstmSequenceArgs,
  multiHeadAttention,
} from "../../lib/kernels/mod.ts";
import { assertClose, normalTensor, useBackend, valueAndGradients } from "./_compare.ts";

/** See the module notes: float32 rounding of a sum of `longest` terms, with margin. */
function tolerance(longest: number): number {
  return Math.max(1e-5, 2e-5 * Math.sqrt(longest));
}
const NATIVE = setNativeMatmul(true).kind === "native";
const ABSENT = NATIVE ? "" : ` [ignored: ${describeMatmulPath()}; install libopenblas0-pthread]`;
const BACKENDS = ["wasm", "cpu"] as const;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Values and gradients of `f` on the native path and on the WebAssembly path (same inputs, same weights). */
async function bothPaths(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
): Promise<
  {
    native: Awaited<ReturnType<typeof valueAndGradients>>;
    wasm: Awaited<ReturnType<typeof valueAndGradients>>;
  }
> {
  const probe = tf.tidy(() => f(...inputs));
  const weights = normalTensor(99, probe.shape);
  probe.dispose();
  try {
    assert.equal(setNativeMatmul(true).kind, "native");
    const native = await valueAndGradients(f, inputs, weights);
    assert.equal(setNativeMatmul(false).kind, "wasm");
    const wasm = await valueAndGradients(f, inputs, weights);
    return { native, wasm };
  } finally {
    setNativeMatmul(true);
    weights.dispose();
  }
}

async function assertPathsAgree(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  longest: number,
  label: string,
): Promise<void> {
  const TOLERANCE = tolerance(longest);
  const before = tf.memory().numTensors;
  const { native, wasm } = await bothPaths(f, inputs);
  assertClose(native.value, wasm.value, TOLERANCE, `${label}: forward`);
  native.gradients.forEach((gradient, index) =>
    assertClose(gradient, wasm.gradients[index], TOLERANCE, `${label}: gradient of input ${index}`)
  );
  // (at degenerate sizes some gradients are exactly zero: one key, one step, a negative relu)
  assert.ok(
    wasm.gradients.some((gradient) => gradient.some((entry) => entry !== 0)),
    `${label}: zero gradients`,
  );
  tf.dispose(inputs);
  assert.equal(tf.memory().numTensors, before - inputs.length, `${label}: tensors leaked`);
}

/** Whether a kernel named `name` ran in `f` (tf.profile). */
async function ranKernel(name: string, f: () => tf.Tensor): Promise<boolean> {
  const profile = await tf.profile(() => f());
  return profile.kernels.some((kernel) => kernel.name === name);
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `native BLAS (${backend}): dense = WebAssembly path, 1×1, 7×13×5 and model shapes${ABSENT}`,
    ignore: !NATIVE,
    fn: async () => {
      await useBackend(backend);
      // [rows, inputs, units]: 1×1, odd, the Transformer's embedding / feed-forward / head shapes
      for (
        const [rows, inputs, units] of [
          [1, 1, 1],
          [7, 13, 5],
          [3840, 8, 64],
          [960, 64, 256],
          [960, 256, 64],
          [
            64,
            64,
            3,
          ],
        ]
      ) {
        for (const activation of ["linear", "relu"] as const) {
          if (rows * units === 1 && activation === "relu") continue; // its one value may be cut to zero
          await assertPathsAgree(
            (x, k, b) => dense(x as tf.Tensor2D, k as tf.Tensor2D, b as tf.Tensor1D, activation),
            [normalTensor(1, [rows, inputs]), normalTensor(2, [inputs, units]), normalTensor(3, [units])],
            Math.max(rows, inputs, units),
            `dense ${backend} ${rows}×${inputs}→${units} ${activation}`,
          );
        }
      }
      assert.ok(
        await ranKernel("EquiLabNativeGemm", () => dense(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]))),
      );
    },
  });

  Deno.test({
    name: `native BLAS (${backend}): batchMatMul = WebAssembly path with every transpose, odd sizes${ABSENT}`,
    ignore: !NATIVE,
    fn: async () => {
      await useBackend(backend);
      for (const [batch, m, k, n] of [[1, 1, 1, 1], [2, 7, 13, 5], [3, 60, 16, 60], [2, 5, 3, 8]]) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const a = normalTensor(batch + m, transposeA ? [batch, k, m] : [batch, m, k]);
            const b = normalTensor(n + k, transposeB ? [batch, n, k] : [batch, k, n]);
            const paths: Float32Array[] = [];
            for (const on of [true, false]) {
              setNativeMatmul(on);
              const c = batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB);
              assert.deepEqual(c.shape, [batch, m, n]);
              paths.push(await c.data() as Float32Array);
              c.dispose();
            }
            setNativeMatmul(true);
            const plain = tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB);
            const label = `batchMatMul ${backend} ${[batch, m, k, n]} ${transposeA} ${transposeB}`;
            assertClose(paths[0], paths[1], tolerance(k), label);
            assertClose(paths[0], await plain.data(), tolerance(k), `${label} vs tf.matMul`);
            tf.dispose([a, b, plain]);
          }
        }
      }
    },
  });

  Deno.test({
    name:
      `native BLAS (${backend}): multi-head attention = WebAssembly path (bias, dropout, one query day)${ABSENT}`,
    ignore: !NATIVE,
    fn: async () => {
      await useBackend(backend);
      // [batch, steps, keySteps, width, heads]: tiny, odd depth, EquiNet's d64/4 heads, the last layer's newest day
      for (
        const [batch, steps, keySteps, width, heads] of [[1, 1, 1, 1, 1], [2, 7, 7, 15, 3], [
          4,
          60,
          60,
          64,
          4,
        ], [
          3,
          1,
          9,
          16,
          2,
        ]]
      ) {
        const bias = tf.tidy(() =>
          tf.mul(tf.less(tf.randomUniform([batch, 1, 1, keySteps], 0, 1, "float32", 5), 0.2), -1e9)
        );
        const mask = dropoutMask([batch, heads, steps, keySteps], 0.1, 11);
        await assertPathsAgree(
          (q, k, v) =>
            multiHeadAttention(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, {
              heads,
              bias: steps === keySteps ? bias : undefined,
              dropoutMultiplier: mask,
            }),
          [
            normalTensor(1, [batch, steps, width]),
            normalTensor(2, [batch, keySteps, width]),
            normalTensor(3, [batch, keySteps, width]),
          ],
          Math.max(steps, keySteps, width / heads),
          `attention ${backend} ${[batch, steps, keySteps, width, heads]}`,
        );
        tf.dispose([bias, mask]);
      }
    },
  });

  Deno.test({
    name: `native BLAS (${backend}): lstmSequence = WebAssembly path, hidden 1..64, both outputs${ABSENT}`,
    ignore: !NATIVE,
    fn: async () => {
      await useBackend(backend);
      // [batch, steps, features, hidden]: 1×1, odd, the paper's shapes at hidden 2, 14 and 64
      for (
        const [batch, steps, features, hidden] of [[1, 1, 1, 1], [7, 13, 5, 3], [32, 20, 6, 2], [
          32,
          20,
          6,
          14,
        ], [
          16,
          20,
          6,
          64,
        ]]
      ) {
        for (const returnSequences of [false, true]) {
          for (const recurrentProduct of ["auto", "native"] as const) {
            const args: LstmSequenceArgs = { returnSequences, recurrentProduct };
            await assertPathsAgree(
              (x, w, u, b) =>
                lstmSequence(x as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, args),
              [
                normalTensor(1, [batch, steps, features]),
                normalTensor(2, [features, 4 * hidden], 0.3),
                normalTensor(3, [hidden, 4 * hidden], 0.3),
                normalTensor(4, [4 * hidden], 0.1),
              ],
              batch * steps,
              `lstmSequence ${backend} ${[batch, steps, features, hidden]} ${JSON.stringify(args)}`,
            );
          }
        }
      }
    },
  });

  Deno.test({
    name:
      `native BLAS (${backend}): stacked lstmSequence layers keep their state for the backward pass while other kernels use the shared scratch${ABSENT}`,
    ignore: !NATIVE,
    fn: async () => {
      await useBackend(backend);
      const [batch, steps, features, hidden, small] = [16, 12, 5, 48, 6];
      const native: LstmSequenceArgs = { recurrentProduct: "native" };
      await assertPathsAgree(
        (x, w1, u1, b1, w2, u2, b2, w3, u3, b3) => {
          // Layer 1 records its forward pass; a host-path LSTM (the SIMD module's shared scratch) and
          // layer 2 run before either backward pass.
          const first = lstmSequence(
            x as tf.Tensor3D,
            w1 as tf.Tensor2D,
            u1 as tf.Tensor2D,
            b1 as tf.Tensor1D,
            {
              ...native,
              returnSequences: true,
            },
          );
          const side = lstmSequence(
            x as tf.Tensor3D,
            w3 as tf.Tensor2D,
            u3 as tf.Tensor2D,
            b3 as tf.Tensor1D,
            {
              recurrentProduct: "host",
            },
          );
          const second = lstmSequence(
            first as tf.Tensor3D,
            w2 as tf.Tensor2D,
            u2 as tf.Tensor2D,
            b2 as tf.Tensor1D,
            native,
          );
          return tf.concat([second, side], 1);
        },
        [
          normalTensor(1, [batch, steps, features]),
          normalTensor(2, [features, 4 * hidden], 0.3),
          normalTensor(3, [hidden, 4 * hidden], 0.2),
          normalTensor(4, [4 * hidden], 0.1),
          normalTensor(5, [hidden, 4 * hidden], 0.2),
          normalTensor(6, [hidden, 4 * hidden], 0.2),
          normalTensor(7, [4 * hidden], 0.1),
          normalTensor(8, [features, 4 * small], 0.3),
          normalTensor(9, [small, 4 * small], 0.3),
          normalTensor(10, [4 * small], 0.1),
        ],
        batch * steps,
        `stacked lstmSequence ${backend}`,
      );
    },
  });
}

Deno.test("matmulPath says native with the library and threads, or wasm with the reason", () => {
  const path = matmulPath();
  if (path.kind === "native") {
    assert.match(path.library ?? "", /blas|mkl|accelerate/i);
    assert.match(describeMatmulPath(path), /^matrix products: native BLAS \(.+\)$/);
  } else {
    assert.ok(path.reason, "a wasm path says why");
  }
  assert.equal(setNativeMatmul(false).kind, "wasm");
  assert.match(describeMatmulPath(), /turned off/);
  setNativeMatmul(true);
  assert.deepEqual(matmulPath(), path);
});

Deno.test("BLAS threads: EQUILAB_BLAS_THREADS, else 1 when EQUILAB_PARALLEL_UNITS > 1, else every core", () => {
  assert.equal(requestedBlasThreads({}, 8), 8);
  assert.equal(requestedBlasThreads({ EQUILAB_PARALLEL_UNITS: "1" }, 8), 8);
  assert.equal(requestedBlasThreads({ EQUILAB_PARALLEL_UNITS: "3" }, 8), 1);
  assert.equal(requestedBlasThreads({ EQUILAB_BLAS_THREADS: "2", EQUILAB_PARALLEL_UNITS: "3" }, 8), 2);
  assert.throws(() => requestedBlasThreads({ EQUILAB_BLAS_THREADS: "two" }, 8), /EQUILAB_BLAS_THREADS="two"/);
  assert.throws(() => requestedBlasThreads({ EQUILAB_PARALLEL_UNITS: "0" }, 8), /EQUILAB_PARALLEL_UNITS="0"/);
  assert.equal(blasCandidates("linux")[0].path, "libopenblas.so.0");
  assert.match(blasCandidates("darwin")[0].path, /Accelerate/);
  assert.match(blasCandidates("windows")[0].path, /openblas\.dll/);
});

Deno.test({
  name: `setMatmulThreads sets the pool, singleThreaded restores it${ABSENT}`,
  ignore: !NATIVE,
  fn: () => {
    const before = matmulPath().threads;
    try {
      if (before === undefined) return; // a library that does not say (not OpenBLAS or MKL)
      assert.equal(setMatmulThreads(1).threads, 1);
      assert.equal(setMatmulThreads(2).threads, 2);
      const blas = loadBlas()!;
      assert.equal(blas.singleThreaded(() => matmulPath().threads), 1);
      assert.equal(matmulPath().threads, 2);
      assert.throws(() => setMatmulThreads(0), /whole number ≥ 1, got 0/);
    } finally {
      if (before !== undefined) setMatmulThreads(before);
    }
  },
});

/** Runs the child with `flags` and `env` (added to this process's; `EQUILAB_BLAS: ""` = unset); returns its JSON line, after checking it succeeded silently. */
async function runChild(flags: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "tests/kernels/_matmul_path_child.ts", "wasm"],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `the child failed: ${stderr}`);
  assert.doesNotMatch(stderr, /error|warning|denied/i, "the fallback prints nothing");
  return JSON.parse(stdout.trim().split("\n").pop()!) as {
    matmul: { kind: string; reason?: string };
    summary: string;
    dense: number[];
    gradient: number[];
    batch: number[];
  };
}

/** What the child computes, by hand: relu(x·k + b), the kernel's gradient (column sums of x), xᵀ·1. */
function assertChildValues(result: Awaited<ReturnType<typeof runChild>>): void {
  assert.deepEqual(result.dense, [4.5, 4.5, 10.5, 10.5]);
  assert.deepEqual(result.gradient, [5, 5, 7, 7, 9, 9]);
  assert.deepEqual(result.batch, new Array(30).fill(4));
}

Deno.test("a missing library (EQUILAB_BLAS=/nonexistent/…) falls back to WebAssembly without an error", async () => {
  const result = await runChild(["-A"], { EQUILAB_BLAS: "/nonexistent/libopenblas.so.0" });
  assert.equal(result.matmul.kind, "wasm");
  assert.match(
    result.matmul.reason ?? "",
    /EQUILAB_BLAS=\/nonexistent\/libopenblas\.so\.0 could not be loaded/,
  );
  assert.match(result.summary, /matrix products: WebAssembly \(EQUILAB_BLAS=/);
  assertChildValues(result);
});

Deno.test("EQUILAB_BLAS=off keeps the WebAssembly path", async () => {
  const result = await runChild(["-A"], { EQUILAB_BLAS: "off" });
  assert.deepEqual(result.matmul, { kind: "wasm", reason: "EQUILAB_BLAS=off" });
  assertChildValues(result);
});

Deno.test("without --allow-ffi the products fall back to WebAssembly without an error", async () => {
  const result = await runChild(["--no-prompt", "--allow-read", "--allow-env"], { EQUILAB_BLAS: "" });
  assert.equal(result.matmul.kind, "wasm");
  assert.match(result.matmul.reason ?? "", /FFI not permitted/);
  assertChildValues(result);
});

Deno.test({
  name: `the default run finds the library and says so in the backend summary${ABSENT}`,
  ignore: !NATIVE,
  fn: async () => {
    const result = await runChild(["-A"], { EQUILAB_BLAS: "" });
    assert.equal(result.matmul.kind, "native");
    assert.match(result.summary, /matrix products: native BLAS \(/);
    assertChildValues(result);
  },
});
