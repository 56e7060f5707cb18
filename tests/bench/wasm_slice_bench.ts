/**
 * tf.slice on the wasm backend: cutting every 32-window batch off one tensor of windows (what tfjs-layers'
 * predict and fit do), EquiLab's Slice kernel (lib/backend/_wasm_slice.ts) — tfjs 4.22's own copies the
 * whole input per slice (measured on the loaded 2-core machine: 70 s for the 22,225-window tensor; 28 ms
 * with the kernel). Run: `deno bench -A tests/bench/wasm_slice_bench.ts`.
 */
import { selectBackend, tf } from "../../lib/backend/mod.ts";

await selectBackend("wasm");
for (const windows of [4445, 22225]) {
  const x = tf.randomNormal([windows, 90, 15]);
  Deno.bench({
    name: `slice every batch of 32 off [${windows}, 90, 15]`,
    fn() {
      for (let start = 0; start + 32 <= windows; start += 32) {
        tf.slice(x, [start, 0, 0], [32, 90, 15]).dispose();
      }
    },
  });
}
