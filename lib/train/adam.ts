/**
 * The project's one Adam: PyTorch's formula, with its whole state (step count, first and second
 * moments) readable and restorable, so checkpoints resume bit-for-bit. On the cpu and wasm backends it
 * runs as one typed-array loop per variable; elsewhere (webgpu) as tf ops. Both give the same bits.
 *
 * @module
 */
import { tensorFromScratch, tf } from "../backend/mod.ts";
import { AdamUpdater } from "../kernels/mod.ts";

/** Backends whose tensors `dataSync()` reads cheaply and synchronously: the host loop runs there. */
const HOST_BACKENDS = new Set(["cpu", "wasm", "tensorflow"]);

/** Options of {@link Adam}. */
export interface AdamArgs {
  /** Exponential decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to the denominator. Default 1e-8 (PyTorch's; tfjs's default is 1e-7). */
  epsilon?: number;
  /**
   * L2 penalty added to the gradient (PyTorch `Adam(weight_decay=…)`, not decoupled AdamW).
   * Default 0; EquiNet's 2025-05-31 version used 1e-5.
   */
  weightDecay?: number;
  /**
   * How the update runs: `"host"` one typed-array loop per variable (one read of the gradient and the
   * value, one `assign`; ~14 tiny tf ops otherwise — a third of the paper LSTM's training time), `"ops"`
   * tf ops, `"auto"` the host loop where tensors read synchronously (cpu, wasm) and ops elsewhere. The
   * host loop rounds to float32 after every elementary operation in the ops' order, so both give
   * bit-identical weights (tested on cpu and wasm); the option exists for that test. Default `"auto"`.
   */
  implementation?: "auto" | "host" | "ops";
  /**
   * Run the host loop in WebAssembly SIMD (`AdamUpdater` from lib/kernels: the same float32 operations,
   * four lanes at a time, ~10x faster) where it is available. Default true; false runs the plain
   * JavaScript loop (the reference it is tested against).
   */
  vectorized?: boolean;
}

/** Adam's state as plain arrays, for checkpoints. */
export interface AdamState {
  /** Updates applied so far. */
  step: number;
  /** First moments by variable name. */
  firstMoments: Map<string, Float32Array>;
  /** Second moments by variable name. */
  secondMoments: Map<string, Float32Array>;
}

/**
 * Adam (Kingma & Ba) with bias correction, as PyTorch's `torch.optim.Adam`:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
 *
 * Porting note: one formula for every model. tfjs's `tf.train.adam` (which the paper's LSTM used before)
 * computes m̂ / (√v̂ + ε) with β₁ᵗ, β₂ᵗ kept as float32 and ε 1e-7 — the same placement of ε as PyTorch's,
 * other rounding; Keras adds ε to √v before the bias correction (ε̂ = ε·√(1−β₂ᵗ)). The paper and EquiNet
 * were written in PyTorch, so PyTorch's formula and its ε 1e-8 are the default here.
 *
 * @example
 * ```ts
 * import { tf } from "../backend/mod.ts";
 * import { Adam } from "./adam.ts";
 * const weights = new Map([["w", tf.variable(tf.scalar(1))]]);
 * const adam = new Adam(weights);
 * adam.apply(new Map([["w", tf.scalar(0.5)]]), 1e-3);
 * ```
 */
export class Adam {
  /** Options with defaults applied. */
  readonly args: Required<Omit<AdamArgs, "implementation" | "vectorized">>;
  /** Which implementation runs the updates (`"auto"` resolved at construction). */
  readonly implementation: "host" | "ops";
  #variables: ReadonlyMap<string, tf.Variable>;
  /** Moments as tf variables (ops) … */
  #first = new Map<string, tf.Variable>();
  #second = new Map<string, tf.Variable>();
  /** … or as host arrays (host). */
  #hostFirst = new Map<string, Float32Array>();
  #hostSecond = new Map<string, Float32Array>();
  /** The host loop in WebAssembly SIMD, holding the host moments (null: plain JavaScript loop). */
  #updater: AdamUpdater | null = null;
  #updaterIndex = new Map<string, number>();
  #step = 0;

  /** An optimiser for these variables, with zero moments. */
  constructor(variables: ReadonlyMap<string, tf.Variable>, args: AdamArgs = {}) {
    this.args = {
      beta1: args.beta1 ?? 0.9,
      beta2: args.beta2 ?? 0.999,
      epsilon: args.epsilon ?? 1e-8,
      weightDecay: args.weightDecay ?? 0,
    };
    const implementation = args.implementation ?? "auto";
    if (!["auto", "host", "ops"].includes(implementation)) {
      throw new RangeError(`Adam: implementation must be "auto", "host" or "ops", got ${implementation}`);
    }
    if (implementation === "host" && !HOST_BACKENDS.has(tf.getBackend())) {
      throw new Error(`Adam: the host loop needs synchronous reads; backend ${tf.getBackend()} has none`);
    }
    this.implementation = implementation === "auto"
      ? HOST_BACKENDS.has(tf.getBackend()) ? "host" : "ops"
      : implementation;
    this.#variables = variables;
    if (this.implementation === "host" && (args.vectorized ?? true)) {
      this.#updater = AdamUpdater.create([...variables.values()].map((variable) => variable.size));
      [...variables.keys()].forEach((name, index) => this.#updaterIndex.set(name, index));
    }
    for (const [name, variable] of variables) {
      if (this.implementation === "host") {
        const index = this.#updaterIndex.get(name)!;
        this.#hostFirst.set(name, this.#updater?.first[index] ?? new Float32Array(variable.size));
        this.#hostSecond.set(name, this.#updater?.second[index] ?? new Float32Array(variable.size));
      } else {
        // tf.variable copies its initial value, so the zeros are created and freed inside tidy.
        this.#first.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
        this.#second.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      }
    }
  }

  /** Updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /** Applies one update from gradients by variable name (missing gradients count as zero). */
  apply(gradients: ReadonlyMap<string, tf.Tensor>, learningRate: number): void {
    for (const [name, gradient] of gradients) {
      const variable = this.#variables.get(name);
      if (variable && gradient.size !== variable.size) {
        throw new RangeError(
          `Adam: the gradient of ${name} has ${gradient.size} values, the variable ${variable.size}`,
        );
      }
    }
    this.#step++;
    if (this.implementation === "host") this.#applyOnHost(gradients, learningRate);
    else this.#applyWithOps(gradients, learningRate);
  }

  #applyWithOps(gradients: ReadonlyMap<string, tf.Tensor>, learningRate: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.args;
    const correction1 = 1 - beta1 ** this.#step;
    const correction2 = 1 - beta2 ** this.#step;
    tf.tidy(() => {
      for (const [name, variable] of this.#variables) {
        let gradient = gradients.get(name);
        if (!gradient) continue;
        if (weightDecay !== 0) gradient = tf.add(gradient, tf.mul(variable, weightDecay));
        const first = this.#first.get(name)!;
        const second = this.#second.get(name)!;
        first.assign(tf.add(tf.mul(first, beta1), tf.mul(gradient, 1 - beta1)));
        second.assign(tf.add(tf.mul(second, beta2), tf.mul(tf.square(gradient), 1 - beta2)));
        const denominator = tf.add(tf.div(tf.sqrt(second), Math.sqrt(correction2)), epsilon);
        variable.assign(tf.sub(variable, tf.div(tf.mul(first, learningRate / correction1), denominator)));
      }
    });
  }

  /**
   * {@link #applyWithOps} as one loop per variable. Each `fround` is one tf op of the ops version, in
   * its order, and a JavaScript scalar becomes a float32 tensor there (hence `fround(beta1)` …): the
   * exact double result of +, −, ×, ÷ or √ of two float32 values, rounded once to float32, is the float32
   * operation's result, so the bits match.
   */
  #applyOnHost(gradients: ReadonlyMap<string, tf.Tensor>, learningRate: number): void {
    const fround = Math.fround;
    const { beta1, beta2, epsilon, weightDecay } = this.args;
    const correction1 = 1 - beta1 ** this.#step;
    const correction2 = 1 - beta2 ** this.#step;
    const b1 = fround(beta1), b2 = fround(beta2);
    const oneMinusB1 = fround(1 - beta1), oneMinusB2 = fround(1 - beta2);
    const decay = fround(weightDecay), eps = fround(epsilon);
    const rootCorrection2 = fround(Math.sqrt(correction2));
    const rate = fround(learningRate / correction1);
    const updater = this.#updater;
    for (const [name, variable] of this.#variables) {
      const gradientTensor = gradients.get(name);
      if (!gradientTensor) continue;
      // dataSync() may return the backend's own buffer (cpu): read only; the new value is a new array.
      const g = gradientTensor.dataSync() as Float32Array;
      const value = variable.dataSync() as Float32Array;
      if (updater) {
        // The same float32 operations, four lanes at a time (AdamUpdater; bit for bit, tested).
        const updated = updater.update(this.#updaterIndex.get(name)!, value, g, {
          beta1: b1,
          oneMinusBeta1: oneMinusB1,
          beta2: b2,
          oneMinusBeta2: oneMinusB2,
          rootCorrection2,
          epsilon: eps,
          rate,
          weightDecay: decay,
        });
        const tensor = tensorFromScratch(updated, variable.shape);
        variable.assign(tensor);
        tensor.dispose();
        continue;
      }
      const m = this.#hostFirst.get(name)!, v = this.#hostSecond.get(name)!;
      const next = new Float32Array(value.length);
      for (let at = 0; at < next.length; at++) {
        const gradient = weightDecay !== 0 ? fround(g[at] + fround(value[at] * decay)) : g[at];
        const first = fround(fround(m[at] * b1) + fround(gradient * oneMinusB1));
        const second = fround(fround(v[at] * b2) + fround(fround(gradient * gradient) * oneMinusB2));
        m[at] = first;
        v[at] = second;
        const denominator = fround(fround(fround(Math.sqrt(second)) / rootCorrection2) + eps);
        next[at] = fround(value[at] - fround(fround(first * rate) / denominator));
      }
      const tensor = tf.tensor(next, variable.shape, "float32");
      variable.assign(tensor);
      tensor.dispose();
    }
  }

  /** A copy of the state (read asynchronously, so it works on every backend). */
  async getState(): Promise<AdamState> {
    if (this.implementation === "host") {
      const copy = (moments: Map<string, Float32Array>) =>
        new Map([...moments].map(([name, values]) => [name, values.slice()]));
      return { step: this.#step, firstMoments: copy(this.#hostFirst), secondMoments: copy(this.#hostSecond) };
    }
    const read = async (moments: Map<string, tf.Variable>) => {
      const entries: [string, Float32Array][] = [];
      for (const [name, moment] of moments) {
        entries.push([name, (await moment.data()).slice() as Float32Array]);
      }
      return new Map(entries);
    };
    return {
      step: this.#step,
      firstMoments: await read(this.#first),
      secondMoments: await read(this.#second),
    };
  }

  /** Restores a state from {@link getState} (or a checkpoint). */
  setState(state: AdamState): void {
    for (const [name, variable] of this.#variables) {
      for (const saved of [state.firstMoments, state.secondMoments]) {
        const values = saved.get(name);
        if (!values || values.length !== variable.size) {
          throw new RangeError(`Adam.setState: no saved moment of the right size for ${name}`);
        }
      }
    }
    for (const [name] of this.#variables) {
      if (this.implementation === "host") {
        // Into the arrays the updates use (the SIMD updater's memory where it runs).
        this.#hostFirst.get(name)!.set(state.firstMoments.get(name)!);
        this.#hostSecond.get(name)!.set(state.secondMoments.get(name)!);
      } else {
        const shape = this.#first.get(name)!.shape;
        tf.tidy(() => this.#first.get(name)!.assign(tf.tensor(state.firstMoments.get(name)!, shape)));
        tf.tidy(() => this.#second.get(name)!.assign(tf.tensor(state.secondMoments.get(name)!, shape)));
      }
    }
    this.#step = state.step;
  }

  /** Frees the moment variables (the host loop's moments are plain arrays). */
  dispose(): void {
    for (const moment of [...this.#first.values(), ...this.#second.values()]) moment.dispose();
  }
}
