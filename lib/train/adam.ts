/**
 * Adam written with tf ops, with its whole state (step count, first and second moments)
 * readable and restorable, so checkpoints resume bit-for-bit.
 */
import { tf } from "../backend/mod.ts";

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
 * Adam (Kingma & Ba) with bias correction, as PyTorch's `torch.optim.Adam`.
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
  readonly args: Required<AdamArgs>;
  #variables: ReadonlyMap<string, tf.Variable>;
  #first = new Map<string, tf.Variable>();
  #second = new Map<string, tf.Variable>();
  #step = 0;

  /** An optimiser for these variables, with zero moments. */
  constructor(variables: ReadonlyMap<string, tf.Variable>, args: AdamArgs = {}) {
    this.args = {
      beta1: args.beta1 ?? 0.9,
      beta2: args.beta2 ?? 0.999,
      epsilon: args.epsilon ?? 1e-8,
      weightDecay: args.weightDecay ?? 0,
    };
    this.#variables = variables;
    for (const [name, variable] of variables) {
      // tf.variable copies its initial value, so the zeros are created and freed inside tidy.
      this.#first.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      this.#second.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
    }
  }

  /** Updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /** Applies one update from gradients by variable name (missing gradients count as zero). */
  apply(gradients: ReadonlyMap<string, tf.Tensor>, learningRate: number): void {
    this.#step++;
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

  /** A copy of the state (read asynchronously, so it works on every backend). */
  async getState(): Promise<AdamState> {
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
    for (
      const [moments, saved] of [[this.#first, state.firstMoments], [
        this.#second,
        state.secondMoments,
      ]] as const
    ) {
      for (const [name, moment] of moments) {
        const values = saved.get(name);
        if (!values || values.length !== moment.size) {
          throw new RangeError(`Adam.setState: no saved moment of the right size for ${name}`);
        }
        tf.tidy(() => moment.assign(tf.tensor(values, moment.shape)));
      }
    }
    this.#step = state.step;
  }

  /** Frees the moment variables. */
  dispose(): void {
    for (const moment of [...this.#first.values(), ...this.#second.values()]) moment.dispose();
  }
}
