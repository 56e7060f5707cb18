/**
 * The SIMD module's register-tiled product (`matMulTiles`, `lib/kernels/_simd.ts`) against its
 * row-by-row one (`matMulRows`) and against one tfjs `matMul` on the wasm backend counted as the fused
 * LSTM used it (tensor from a typed array, matMul, `dataSync`, dispose: dispatch included), at the
 * LSTM's per-step products for hidden 64 at batch 32 (forward [32×64]·[64×256], backward
 * [32×256]·[256×64]), hidden 14, and the largest weight gradient at hidden 64 ([64×640]·[640×256]).
 * GFLOP/s = 2·rows·inner·columns / time.
 *
 * Run: `deno bench -A tests/bench/simd_matmul_bench.ts`. Check `uptime` first: the machine is shared.
 */
import { selectBackend, tf } from "../../lib/backend/mod.ts";
import { simdKernels } from "../../lib/kernels/_simd.ts";

await selectBackend("wasm");
const simd = simdKernels();
if (simd === null) throw new Error("simd_matmul_bench: WebAssembly SIMD is not available here");

for (const [rows, inner, columns] of [[32, 64, 256], [32, 256, 64], [32, 14, 56], [64, 640, 256]]) {
  const shape = `[${rows}×${inner}]·[${inner}×${columns}]`;
  const rightAt = rows * inner, outAt = rightAt + inner * columns;
  const memory = simd.reserve(outAt + rows * columns);
  for (let index = 0; index < outAt; index++) memory[index] = Math.sin(index);
  const left = memory.slice(0, rightAt);
  const right = tf.tensor2d(memory.slice(rightAt, outAt), [inner, columns]);
  Deno.bench({
    name: `matMulTiles ${shape}`,
    group: shape,
    baseline: true,
    fn: () => simd.matMulTiles(0, rightAt, outAt, rows, inner, columns),
  });
  Deno.bench({
    name: `matMulRows ${shape}`,
    group: shape,
    fn: () => simd.matMulRows(0, rightAt, outAt, rows, inner, columns),
  });
  Deno.bench({
    name: `tf.matMul (wasm, with dispatch and read) ${shape}`,
    group: shape,
    fn: () => {
      const leftTensor = tf.tensor2d(left, [rows, inner]);
      const product = tf.matMul(leftTensor, right);
      product.dataSync();
      leftTensor.dispose();
      product.dispose();
    },
  });
}
