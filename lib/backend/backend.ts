import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import { fileURLToPath } from "node:url";
import { describeMatmulPath, type MatmulPath, matmulPath } from "./blas.ts";
import { installWasmSlice } from "./_wasm_slice.ts";
import { installWasmIdentity } from "./_wasm_identity.ts";

// tfjs-backend-wasm copies a whole tensor to slice it (O(n²) batch loops); see _wasm_slice.ts.
installWasmSlice();
// … and copies every tensor a custom-gradient op saves; see _wasm_identity.ts.
installWasmIdentity();

export { tf };

/** Backends EquiLab knows how to select. */
export const BACKEND_NAMES = ["cpu", "wasm", "webgpu", "tensorflow"] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = typeof BACKEND_NAMES[number];

/** What {@link selectBackend} chose and why. */
export interface BackendInfo {
  /** The active TensorFlow.js backend. */
  name: BackendName;
  /** What was asked for (`auto` when nothing was). */
  requested: BackendName | "auto";
  /** Why this backend: e.g. "requested", "best available: no GPU adapter". */
  reason: string;
  /** WebGPU adapter description, when the webgpu backend is active. */
  adapter?: string;
  /** Versions of the pieces that decide numerical results. */
  versions: { tfjs: string; deno: string; v8: string; typescript: string };
  /**
   * Where `lib/kernels`' matrix products run on this backend: the system BLAS (`native`) or
   * WebAssembly / tfjs (`wasm`); see `matmulPath` in lib/kernels. On webgpu: `wasm` (not used there).
   */
  matmul: MatmulPath;
  /** One line for a notebook's first output (states the matrix-product path on cpu and wasm). */
  summary: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendArgs {
  /** Allow a software (CPU-emulated) WebGPU adapter in automatic selection. Default false. */
  allowSoftwareGpu?: boolean;
}

const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];

function projectRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

function wasmDistFolder(): string | undefined {
  const folder = `${projectRoot()}node_modules/@tensorflow/tfjs-backend-wasm/dist/`;
  try {
    Deno.statSync(`${folder}tfjs-backend-wasm-simd.wasm`);
    return folder;
  } catch {
    return undefined;
  }
}

/** Silences tfjs's "install tfjs-node" banner, printed on the cpu backend's first write. */
function silenceCpuBanner(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof backend.firstUse === "boolean") backend.firstUse = false;
}

/**
 * Loads `@tensorflow/tfjs-node(-gpu)` only if the user installed it into `node_modules` (it cannot
 * install offline: its install script downloads libtensorflow). Returns false when absent.
 */
async function tryLoadTensorflowBackend(): Promise<boolean> {
  for (const name of TFJS_NODE_PACKAGES) {
    try {
      Deno.statSync(`${projectRoot()}node_modules/${name}/package.json`);
    } catch {
      continue;
    }
    // A computed specifier keeps `deno check` and the lockfile from requiring the package.
    const specifier = `npm:${name}@${tf.version.tfjs}`;
    await import(specifier);
    return tf.findBackend("tensorflow") !== null || tf.engine().registryFactory["tensorflow"] !== undefined;
  }
  return false;
}

/** A WebGPU adapter found by {@link probeGpuAdapter}. */
interface GpuAdapterFound {
  /** The adapter's own description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  name: string;
  /** For summaries: the name, plus ", software fallback adapter" where that applies. */
  label: string;
  /** A CPU-emulated adapter (llvmpipe/lavapipe, SwiftShader, WARP). */
  software: boolean;
}

/** Packages that provide a software adapter on Debian, for error messages (see README). */
const SOFTWARE_ADAPTER_HINT =
  "for a software adapter install Mesa's Vulkan drivers (Debian: apt-get install mesa-vulkan-drivers), " +
  "or set EQUILAB_BACKEND to cpu or wasm";

/** Asks `navigator.gpu` for an adapter; returns it, or why there is none. */
async function probeGpuAdapter(): Promise<GpuAdapterFound | { missing: string }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { missing: "this Deno has no navigator.gpu (Deno 1.x needs --unstable-webgpu)" };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { missing: `navigator.gpu.requestAdapter() failed: ${(error as Error).message}` };
  }
  if (!adapter) {
    return { missing: "navigator.gpu.requestAdapter() found no adapter (no GPU driver, no software one)" };
  }
  // Deno 2.x reports isFallbackAdapter on adapter.info; the WebGPU spec first had it on the adapter.
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = info.description ||
    [info.vendor, info.architecture, info.device].filter((part) => part).join(" ") || "unknown adapter";
  const fallback = info.isFallbackAdapter === true ||
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const software = fallback || /llvmpipe|lavapipe|swiftshader|software|warp/i.test(name);
  return {
    name,
    label: software ? `${name}, software${fallback ? " fallback" : ""} adapter` : name,
    software,
  };
}

async function gpuAdapterInfo(): Promise<GpuAdapterFound | undefined> {
  const probe = await probeGpuAdapter();
  return "missing" in probe ? undefined : probe;
}

async function activate(name: BackendName): Promise<boolean> {
  if (name === "wasm") {
    const folder = wasmDistFolder();
    if (folder) setWasmPaths(folder);
  }
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function parseRequested(value: string | undefined): BackendName | "auto" {
  if (value === undefined || value.trim() === "" || value === "auto") return "auto";
  const trimmed = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(trimmed)) return trimmed as BackendName;
  throw new Error(
    `EQUILAB_BACKEND=${JSON.stringify(value)} is not a backend; use one of ${
      BACKEND_NAMES.join(", ")
    } or leave it unset`,
  );
}

/**
 * Selects and initialises the TensorFlow.js backend.
 *
 * Order when nothing is requested: `tensorflow` (only if tfjs-node is installed) → `webgpu` on a
 * hardware adapter → `wasm` → `cpu`. Porting note: findings from other tfjs projects say the wasm
 * backend lacks LSTM gradients; with tfjs 4.22 under Deno it trains both the paper's LSTM and the
 * EquiNet Transformer (checked against cpu to ~1e-7 in tests), 2-9× faster than `cpu` on this
 * kind of machine (SIMD, single thread). Results are deterministic per backend, not bit-identical
 * across backends.
 *
 * @param requested a backend name, or undefined to read `EQUILAB_BACKEND`.
 * @example
 * ```ts
 * import { selectBackend } from "./backend.ts";
 * const info = await selectBackend("cpu");
 * ```
 */
export async function selectBackend(
  requested: string | undefined = Deno.env.get("EQUILAB_BACKEND"),
  args: SelectBackendArgs = {},
): Promise<BackendInfo> {
  const wanted = parseRequested(requested);
  let name: BackendName;
  let reason: string;
  let adapter: string | undefined;
  if (wanted === "tensorflow") {
    if (!(await tryLoadTensorflowBackend()) || !(await activate("tensorflow"))) {
      throw new Error(
        "EQUILAB_BACKEND=tensorflow needs @tensorflow/tfjs-node (or -node-gpu), which is not installed; see README, 'Native TensorFlow backend'",
      );
    }
    name = "tensorflow";
    reason = "requested";
  } else if (wanted !== "auto") {
    if (wanted === "webgpu") {
      const probe = await probeGpuAdapter();
      if ("missing" in probe) {
        throw new Error(`EQUILAB_BACKEND=webgpu: ${probe.missing}; ${SOFTWARE_ADAPTER_HINT}`);
      }
      adapter = probe.label;
    }
    if (!(await activate(wanted))) {
      throw new Error(`EQUILAB_BACKEND=${wanted}: the ${wanted} backend failed to initialise`);
    }
    name = wanted;
    reason = "requested";
  } else if ((await tryLoadTensorflowBackend()) && (await activate("tensorflow"))) {
    name = "tensorflow";
    reason = "best available: tfjs-node installed";
  } else {
    const info = await gpuAdapterInfo().catch(() => undefined);
    if (info && (!info.software || args.allowSoftwareGpu) && (await activate("webgpu"))) {
      name = "webgpu";
      adapter = info.label;
      reason = "best available: WebGPU adapter";
    } else {
      const why = info ? `WebGPU adapter is software (${info.name})` : "no GPU adapter";
      if (await activate("wasm")) {
        name = "wasm";
        reason = `best available: ${why}; WebAssembly SIMD`;
      } else {
        if (!(await activate("cpu"))) throw new Error("the cpu backend failed to initialise");
        name = "cpu";
        reason = `best available: ${why}; WebAssembly unavailable`;
      }
    }
  }
  if (name === "cpu") silenceCpuBanner();
  return describeBackend(wanted, reason, adapter);
}

/** Describes the active backend (without changing it). */
export function describeBackend(
  requested: BackendName | "auto" = "auto",
  reason = "current",
  adapter?: string,
): BackendInfo {
  const name = tf.getBackend() as BackendName;
  const versions = {
    tfjs: tf.version.tfjs,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
  const onHost = name === "cpu" || name === "wasm";
  const matmul: MatmulPath = onHost ? matmulPath() : { kind: "wasm", reason: `not used on ${name}` };
  const summary = `TensorFlow.js ${versions.tfjs} on backend "${name}"${
    adapter ? ` (${adapter})` : ""
  } — ${reason}; ${onHost ? `${describeMatmulPath(matmul)}; ` : ""}Deno ${versions.deno}`;
  return { name, requested, reason, adapter, versions, matmul, summary };
}
