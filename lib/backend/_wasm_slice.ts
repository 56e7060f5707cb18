/**
 * A faster `Slice` for tfjs' wasm backend. Porting note: tfjs-backend-wasm 4.22's `Slice` starts with
 * `backend.readSync(x)`, which copies the **whole** input out of the WebAssembly memory before taking
 * the slice, so cutting n batches off one tensor costs O(n²): tfjs-layers' `predict` and `fit` slice
 * their inputs batch by batch (32 windows of a 22,225 × 90 × 15 tensor: ≈ 100 ms a slice instead of
 * ≈ 0.01 ms). This kernel reads the input through a view of the memory instead; the copying and
 * the results are the same as tfjs' (its own loops for strided slices, `sliceImplCPU` beyond rank 4 —
 * reimplemented here as one strided copy). Strings and inputs under 65,536 elements go to the original kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { replaceWasmKernel } from "./_replace_wasm_kernel.ts";

/** The parts of tfjs' wasm backend this kernel uses. */
interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/** Inputs of at least this many elements (256 KiB of float32) are sliced by this kernel. */
export const OWN_KERNEL_FROM_ELEMENTS = 65_536;

/**
 * Replaces the wasm backend's `Slice` kernel (once; the original handles strings).
 *
 * @example
 * ```ts ignore
 * installWasmSlice(); // then tf.slice on the wasm backend reads a view of its input
 * ```
 */
export function installWasmSlice(): void {
  replaceWasmKernel("Slice", (original) => (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    // Small inputs (and strings) stay with tfjs' kernel: copying a small tensor costs less than this
    // kernel's bookkeeping (the Transformer's many small slices were ~5% slower through it).
    if (x.dtype === "string" || tf.util.sizeFromShape(x.shape) < OWN_KERNEL_FROM_ELEMENTS) {
      return original.kernelFunc(args);
    }
    const wasm = backend as unknown as WasmBackendInternals;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x,
      attrs!.begin as number | number[],
      attrs!.size as number | number[],
    );
    const out = wasm.makeOutput(size, x.dtype);
    // Views after the output's allocation: it may have grown (and so replaced) the memory's buffer.
    const xValues = wasm.typedArrayFromHeap(x);
    const outValues = wasm.typedArrayFromHeap(out);
    sliceInto(xValues, x.shape, begin, size, outValues);
    return out;
  });
}

/**
 * Copies the block `begin` .. `begin + size` of a row-major `values` of `shape` into `out`: contiguous
 * runs of the last axis at a time (one run when the block is contiguous).
 */
export function sliceInto(
  values: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: tf.TypedArray,
): void {
  const rank = shape.length;
  const total = tf.util.sizeFromShape(size as number[]);
  if (total === 0) return;
  if (rank === 0) {
    out[0] = values[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  // The innermost axes the block spans whole are one contiguous run per outer index.
  let inner = rank - 1;
  let run = size[rank - 1];
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner];
  }
  const outer = total / run;
  const index = new Array<number>(inner).fill(0);
  let outOffset = 0;
  for (let count = 0; count < outer; count++) {
    let offset = 0;
    for (let axis = 0; axis < inner; axis++) offset += (begin[axis] + index[axis]) * strides[axis];
    offset += begin[inner] * strides[inner];
    (out as Float32Array).set((values as Float32Array).subarray(offset, offset + run), outOffset);
    outOffset += run;
    for (let axis = inner - 1; axis >= 0; axis--) {
      if (++index[axis] < size[axis]) break;
      index[axis] = 0;
    }
  }
}
