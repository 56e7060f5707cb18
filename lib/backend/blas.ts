/**
 * The system BLAS through Deno's FFI: `cblas_sgemm` from OpenBLAS, MKL, Apple's Accelerate or a
 * `libblas.so.3` with CBLAS, found once (on first use) and kept for the life of the process. Where
 * no library is found, FFI is not permitted (`--allow-ffi`) or `EQUILAB_BLAS=off`, {@link loadBlas}
 * returns null and the products stay on the WebAssembly kernels.
 *
 * This module imports nothing from TensorFlow.js; it lives in `lib/backend` (which describes the path in
 * its summary line) and `lib/kernels` builds its native products on it, so the two folders import one
 * way only (kernels → backend).
 *
 * Settings (environment):
 * - `EQUILAB_BLAS`: `off` (never load one), or the path or file name of the library to load (then no
 *   other candidate is tried). Unset: the platform's usual names, in order (see {@link blasCandidates}).
 * - `EQUILAB_BLAS_THREADS`: threads of the library's own pool (OpenBLAS: `openblas_set_num_threads`, MKL:
 *   `MKL_Set_Num_Threads`). Unset: 1 when `EQUILAB_PARALLEL_UNITS` > 1 (a runner says several processes
 *   or Deno Workers run side by side, so each takes one core), else every core.
 *
 * @module
 */

/** Which code runs the matrix products: the system BLAS or the WebAssembly kernels. */
export interface MatmulPath {
  /** `native`: `cblas_sgemm` of the system BLAS; `wasm`: the WebAssembly (SIMD) kernels / tfjs. */
  kind: "native" | "wasm";
  /** The library file loaded (the real file where the OS says, e.g. `libopenblasp-r0.3.21.so`). */
  library?: string;
  /** Threads of the library's pool, where the library tells. */
  threads?: number;
  /** Why `wasm`: e.g. `EQUILAB_BLAS=off`, `no BLAS library found`, `FFI not permitted`. */
  reason?: string;
}

/** A loaded BLAS: single-precision GEMM on row-major matrices in any `Float32Array`. */
export interface NativeBlas {
  /** The file loaded (resolved where the OS says). */
  readonly library: string;
  /** Threads of its pool, where the library tells. */
  readonly threads?: number;
  /**
   * `C ← alpha · op(A) · op(B) + beta · C`, row-major, op = transpose where asked: op(A) `[m, k]`,
   * op(B) `[k, n]`, C `[m, n]`; each matrix is given as an array, the element offset of its first entry
   * and its leading dimension (elements between rows as stored). With `beta` 0, C is only written.
   */
  sgemm(
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOffset: number,
    lda: number,
    b: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOffset: number,
    ldc: number,
  ): void;
  /**
   * {@link sgemm} on raw byte addresses (from {@link address}): for loops of many small products over
   * the same arrays, without a lookup per product. The caller keeps the arrays alive and unresized.
   */
  sgemmAt(
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  /** The byte address of `array[offset]` (valid while the array's buffer lives and is not detached). */
  address(array: Float32Array, offset: number): number;
  /** Sets the pool's threads (no-op where the library has no such call); returns the count in use. */
  setThreads(threads: number): number | undefined;
  /**
   * Runs `work` with the pool at one thread, then restores it. For loops of small products (the LSTM's
   * per-step ones): OpenBLAS threads any product above 2¹⁸ multiply-adds, and handing a 10 µs product
   * to a second thread costs more than it saves (much more when another process holds a core).
   */
  singleThreaded<T>(work: () => T): T;
}

/** A candidate library: file name or path, and whether its integers are 64-bit (symbol suffix `64_`). */
export interface BlasCandidate {
  /** What `Deno.dlopen` is given. */
  path: string;
  /** ILP64 build (`libopenblas64_`): 64-bit integers and symbols ending in `64_`. */
  ilp64?: boolean;
}

const CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112;

/**
 * The libraries tried, in order, on `os` (`Deno.build.os`): OpenBLAS first (the common optimised one,
 * Debian's `libopenblas0-pthread`), its ILP64 build, MKL, then the generic `libblas.so.3` (whatever the
 * system's alternatives point at; it must export CBLAS).
 *
 * @example
 * ```ts
 * import { blasCandidates } from "./_blas.ts";
 * blasCandidates("linux")[0].path; // "libopenblas.so.0"
 * ```
 */
export function blasCandidates(os: string = Deno.build.os): BlasCandidate[] {
  if (os === "darwin") {
    return [
      { path: "/System/Library/Frameworks/Accelerate.framework/Accelerate" },
      { path: "/opt/homebrew/opt/openblas/lib/libopenblas.dylib" },
      { path: "/usr/local/opt/openblas/lib/libopenblas.dylib" },
      { path: "libopenblas.dylib" },
    ];
  }
  if (os === "windows") {
    return [{ path: "openblas.dll" }, { path: "libopenblas.dll" }, { path: "mkl_rt.2.dll" }];
  }
  return [
    { path: "libopenblas.so.0" },
    { path: "libopenblas.so" },
    { path: "libopenblas64_.so.0", ilp64: true },
    { path: "libmkl_rt.so.2" },
    { path: "libmkl_rt.so" },
    { path: "libblas.so.3" },
  ];
}

/** Reads an environment variable without prompting: undefined where env access is not granted. */
function readEnv(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * The pool size asked for by the environment (see the module notes), or undefined for the library's
 * own default. Throws a RangeError naming the variable when it is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { requestedBlasThreads } from "./_blas.ts";
 * requestedBlasThreads({ EQUILAB_PARALLEL_UNITS: "4" }, 16); // 1
 * requestedBlasThreads({}, 16); // 16
 * requestedBlasThreads({ EQUILAB_BLAS_THREADS: "2", EQUILAB_PARALLEL_UNITS: "4" }, 16); // 2
 * ```
 */
export function requestedBlasThreads(
  env: { EQUILAB_BLAS_THREADS?: string; EQUILAB_PARALLEL_UNITS?: string },
  cores: number,
): number {
  const whole = (name: string, text: string): number => {
    const value = Number(text.trim());
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name}=${JSON.stringify(text)} is not a whole number ≥ 1`);
    }
    return value;
  };
  if (env.EQUILAB_BLAS_THREADS !== undefined && env.EQUILAB_BLAS_THREADS.trim() !== "") {
    return whole("EQUILAB_BLAS_THREADS", env.EQUILAB_BLAS_THREADS);
  }
  if (env.EQUILAB_PARALLEL_UNITS !== undefined && env.EQUILAB_PARALLEL_UNITS.trim() !== "") {
    if (whole("EQUILAB_PARALLEL_UNITS", env.EQUILAB_PARALLEL_UNITS) > 1) return 1;
  }
  return Math.max(1, cores);
}

/** On Linux, the real file behind a loaded library name, read from /proc/self/maps where allowed. */
function resolvedLibrary(name: string): string {
  if (Deno.build.os !== "linux") return name;
  try {
    if (Deno.permissions.querySync({ name: "read", path: "/proc/self/maps" }).state !== "granted") {
      return name;
    }
    const stem = name.split("/").pop()!.replace(/\.so.*$/, "").replace(/^lib/, "");
    const lines = Deno.readTextFileSync("/proc/self/maps").split("\n");
    const pattern = stem === "blas" ? /blas/i : new RegExp(stem.replace(/[^a-z0-9]/gi, "."), "i");
    for (const line of lines) {
      const path = line.slice(line.indexOf("/"));
      if (line.includes("/") && pattern.test(path.split("/").pop() ?? "")) return path.trim();
    }
  } catch {
    // fall through: the name as given
  }
  return name;
}

const SGEMM_INT = "i32" as const;

function symbols(ilp64: boolean) {
  const int = ilp64 ? "i64" as const : SGEMM_INT;
  const suffix = ilp64 ? "64_" : "";
  return {
    sgemm: {
      name: `cblas_sgemm${suffix}`,
      // Matrices as raw addresses (usize): no view objects per call; see `address`.
      parameters: [
        int,
        int,
        int,
        int,
        int,
        int,
        "f32",
        "usize",
        int,
        "usize",
        int,
        "f32",
        "usize",
        int,
      ],
      result: "void",
    },
    openblasSetThreads: {
      name: `openblas_set_num_threads${suffix}`,
      parameters: [int],
      result: "void",
      optional: true,
    },
    openblasGetThreads: {
      name: `openblas_get_num_threads${suffix}`,
      parameters: [],
      result: int,
      optional: true,
    },
    mklSetThreads: { name: "MKL_Set_Num_Threads", parameters: ["i32"], result: "void", optional: true },
    mklGetThreads: { name: "MKL_Get_Max_Threads", parameters: [], result: "i32", optional: true },
  } as const;
}

type BlasLibrary = Deno.DynamicLibrary<ReturnType<typeof symbols>>;

/**
 * Addresses of array buffers' memory. Perf note: `Deno.UnsafePointer.of` materialises a pointer object
 * per call; the address of a (non-resizable) ArrayBuffer's memory never changes while it lives (a
 * WebAssembly memory that grows gets a new buffer), so it is looked up once per buffer.
 */
const addresses = new WeakMap<ArrayBufferLike, number>();

function address(array: Float32Array, offset: number): number {
  const buffer = array.buffer;
  let base = addresses.get(buffer);
  if (base === undefined) {
    const pointer = Deno.UnsafePointer.of(new Uint8Array(buffer));
    base = Number(Deno.UnsafePointer.value(pointer));
    addresses.set(buffer, base);
  }
  return base + array.byteOffset + offset * 4;
}

function bind(library: BlasLibrary, path: string, ilp64: boolean): NativeBlas {
  const s = library.symbols;
  const threadCount = (): number | undefined => {
    if (s.openblasGetThreads) return Number(s.openblasGetThreads());
    if (s.mklGetThreads) return Number(s.mklGetThreads());
    return undefined;
  };
  const int = ilp64 ? (value: number) => BigInt(value) : (value: number) => value;
  const call = s.sgemm as unknown as (...args: (number | bigint)[]) => void;
  const sgemmAt = ilp64
    ? (
      transposeA: boolean,
      transposeB: boolean,
      m: number,
      n: number,
      k: number,
      alpha: number,
      a: number,
      lda: number,
      b: number,
      ldb: number,
      beta: number,
      c: number,
      ldc: number,
    ): void => {
      if (m === 0 || n === 0) return;
      call(
        BigInt(CBLAS_ROW_MAJOR),
        BigInt(transposeA ? CBLAS_TRANS : CBLAS_NO_TRANS),
        BigInt(transposeB ? CBLAS_TRANS : CBLAS_NO_TRANS),
        BigInt(m),
        BigInt(n),
        BigInt(k),
        alpha,
        a,
        BigInt(lda),
        b,
        BigInt(ldb),
        beta,
        c,
        BigInt(ldc),
      );
    }
    : (
      transposeA: boolean,
      transposeB: boolean,
      m: number,
      n: number,
      k: number,
      alpha: number,
      a: number,
      lda: number,
      b: number,
      ldb: number,
      beta: number,
      c: number,
      ldc: number,
    ): void => {
      if (m === 0 || n === 0) return;
      call(
        CBLAS_ROW_MAJOR,
        transposeA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transposeB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
    };
  const blas = {
    library: path,
    threads: threadCount(),
    sgemm(
      transposeA: boolean,
      transposeB: boolean,
      m: number,
      n: number,
      k: number,
      alpha: number,
      a: Float32Array,
      aOffset: number,
      lda: number,
      b: Float32Array,
      bOffset: number,
      ldb: number,
      beta: number,
      c: Float32Array,
      cOffset: number,
      ldc: number,
    ): void {
      sgemmAt(
        transposeA,
        transposeB,
        m,
        n,
        k,
        alpha,
        address(a, aOffset),
        lda,
        address(b, bOffset),
        ldb,
        beta,
        address(c, cOffset),
        ldc,
      );
    },
    sgemmAt,
    address,
    setThreads(threads: number): number | undefined {
      if (s.openblasSetThreads) (s.openblasSetThreads as (value: number | bigint) => void)(int(threads));
      else if (s.mklSetThreads) s.mklSetThreads(threads);
      blas.threads = threadCount();
      return blas.threads;
    },
    singleThreaded<T>(work: () => T): T {
      const threads = blas.threads;
      if (threads === undefined || threads <= 1) return work();
      blas.setThreads(1);
      try {
        return work();
      } finally {
        blas.setThreads(threads);
      }
    },
  };
  return blas;
}

let loaded: { blas: NativeBlas | null; reason?: string } | undefined;

/**
 * Opens the first library that loads and exports `cblas_sgemm` (see the module notes for the
 * settings) and sets its threads; null with the reason where there is none. Never throws for a
 * missing library or denied FFI; throws only for a malformed `EQUILAB_BLAS_THREADS`.
 */
function open(): { blas: NativeBlas | null; reason?: string } {
  const setting = readEnv("EQUILAB_BLAS")?.trim();
  if (setting !== undefined && /^(off|0|false|no|none|wasm)$/i.test(setting)) {
    return { blas: null, reason: `EQUILAB_BLAS=${setting}` };
  }
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
      return { blas: null, reason: "FFI not permitted (run with --allow-ffi or -A)" };
    }
  } catch {
    return { blas: null, reason: "FFI not available" };
  }
  const candidates = setting ? [{ path: setting, ilp64: /64_/.test(setting) }] : blasCandidates();
  const failures: string[] = [];
  for (const candidate of candidates) {
    let library: BlasLibrary;
    try {
      library = Deno.dlopen(candidate.path, symbols(candidate.ilp64 ?? false));
    } catch (error) {
      failures.push(`${candidate.path}: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const blas = bind(library, resolvedLibrary(candidate.path), candidate.ilp64 ?? false);
    const threads = requestedBlasThreads({
      EQUILAB_BLAS_THREADS: readEnv("EQUILAB_BLAS_THREADS"),
      EQUILAB_PARALLEL_UNITS: readEnv("EQUILAB_PARALLEL_UNITS"),
    }, navigator.hardwareConcurrency ?? 1);
    // The pool is process-wide: a Deno Worker (lib/parallel) leaves it to the main thread, which sets
    // it for the workers' lifetime (DataParallelTrainer: 1 thread each).
    if (!inWorker()) blas.setThreads(threads);
    return { blas };
  }
  return {
    blas: null,
    reason: setting
      ? `EQUILAB_BLAS=${setting} could not be loaded (${failures.join("; ")})`
      : `no BLAS library found (tried ${candidates.map((candidate) => candidate.path).join(", ")})`,
  };
}

/** True inside a Deno Worker. */
function inWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

let enabled = true;

/**
 * The system BLAS when one is loaded and enabled (see {@link setNativeMatmul}), else null. The library
 * is looked for once, on the first call.
 */
export function loadBlas(): NativeBlas | null {
  loaded ??= open();
  return enabled ? loaded.blas : null;
}

/**
 * Which path runs the matrix products of `lib/kernels` (dense layers, attention, batched products, the
 * LSTM's products) on the cpu and wasm backends: `native` with the library and its threads, or `wasm`
 * with the reason. The first call looks for the library (once per process).
 *
 * @example
 * ```ts
 * import { matmulPath } from "./_blas.ts";
 * const path = matmulPath(); // e.g. { kind: "native", library: "/usr/lib/…/libopenblasp-r0.3.21.so", threads: 2 }
 * ```
 */
export function matmulPath(): MatmulPath {
  const blas = loadBlas();
  if (blas) {
    return { kind: "native", library: blas.library, ...(blas.threads ? { threads: blas.threads } : {}) };
  }
  return { kind: "wasm", reason: enabled ? loaded!.reason : "native products turned off (setNativeMatmul)" };
}

/**
 * Turns the native products on or off for this process (default on, where a library loads), e.g. to
 * compare both paths in one run; returns the path now in use. Turning them on cannot load a library
 * that was not found.
 *
 * @example
 * ```ts
 * import { setNativeMatmul } from "./_blas.ts";
 * setNativeMatmul(false).kind; // "wasm"
 * setNativeMatmul(true); // back to native where a library loaded
 * ```
 */
export function setNativeMatmul(on: boolean): MatmulPath {
  enabled = on;
  return matmulPath();
}

/**
 * Sets the threads of the loaded library's pool (process-wide; e.g. 1 while Deno Workers each run
 * products, as `DataParallelTrainer` does) and returns the path now in use; nothing happens on the
 * wasm path. Throws a RangeError for a count that is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { setMatmulThreads } from "./_blas.ts";
 * setMatmulThreads(1).threads; // 1 where OpenBLAS is loaded
 * ```
 */
export function setMatmulThreads(threads: number): MatmulPath {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`setMatmulThreads: threads must be a whole number ≥ 1, got ${threads}`);
  }
  loaded ??= open();
  loaded.blas?.setThreads(threads);
  return matmulPath();
}

/**
 * One line for summaries: `matrix products: native BLAS (libopenblasp-r0.3.21.so, 2 threads)` or
 * `matrix products: WebAssembly (no BLAS library found …)`.
 *
 * @example
 * ```ts
 * import { describeMatmulPath } from "./_blas.ts";
 * describeMatmulPath({ kind: "wasm", reason: "EQUILAB_BLAS=off" }); // "matrix products: WebAssembly (EQUILAB_BLAS=off)"
 * ```
 */
export function describeMatmulPath(path: MatmulPath = matmulPath()): string {
  if (path.kind === "native") {
    const file = path.library?.split("/").pop() ?? "unknown library";
    return `matrix products: native BLAS (${file}${path.threads ? `, ${path.threads} threads` : ""})`;
  }
  return `matrix products: WebAssembly${path.reason ? ` (${path.reason})` : ""}`;
}
