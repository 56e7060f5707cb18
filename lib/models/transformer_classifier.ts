/**
 * EquiNet's Transformer classifier, written with TensorFlow.js ops and variables (tfjs-layers has
 * no multi-head attention): daily features → linear embedding → positional encoding → N encoder
 * layers → pooling → up/down/flat logits (+ optional volatility and momentum heads).
 */
import { readSync, tf } from "../backend/mod.ts";
import type { Random } from "../random/mod.ts";
import { createRandom } from "../random/mod.ts";
import type { WindowBatch } from "../features/equinet_windows.ts";
import { classificationLoss, type ClassificationLossArgs } from "../train/losses.ts";
import { glorotUniform } from "./_init.ts";
import { assignVariables, readTensorFolder } from "../train/checkpoint.ts";
import { dense, dropoutMask, layerNorm, multiHeadAttention } from "../kernels/mod.ts";

/**
 * Positional encodings. Windows are left-padded, so a step's age (days before the window's
 * newest day) is `steps − 1 − position` for every window.
 * - `"none"`: nothing added (EquiNet's first versions).
 * - `"sinusoidal"`: the Transformer's sin/cos encoding of the age.
 * - `"time-aware"`: sin/cos of the age × exp(−timeDecayPerDay · age): the newest day gets weight 1
 *   and older days decay, as the original intended.
 * - `"original-time-aware"`: the 2025-05-31 code, as published: sin/cos of the position from the
 *   window's first day × exp(−0.1 · (originalMaxLength − 1 − position)) with max length 100, so
 *   on 60-day windows the newest day gets weight e^−4 ≈ 0.018 — the opposite of the intent.
 */
export type PositionalEncodingKind = "none" | "sinusoidal" | "time-aware" | "original-time-aware";

/** Options of {@link TransformerClassifier}; every option has a default. */
export interface TransformerClassifierArgs {
  /** Features per day. Default 8 (EquiNet's columns). */
  inputFeatures?: number;
  /** Width of the embedding and of every encoder layer. Default 64. */
  dModel?: number;
  /** Attention heads per layer; must divide dModel. Default 4. */
  heads?: number;
  /** Encoder layers. Default 2. */
  layers?: number;
  /**
   * Hidden units of each layer's feed-forward block. Default 4 × dModel.
   * Porting note: PyTorch's `nn.TransformerEncoderLayer`, which EquiNet used, defaults to 2048.
   */
  feedForwardUnits?: number;
  /** Dropout rate on attention weights and on both residual branches. Default 0.1. */
  dropout?: number;
  /** Dropout rate right after the embedding (the author's plan used 0.3). Default 0. */
  embeddingDropout?: number;
  /** See {@link PositionalEncodingKind}. Default "none". */
  positionalEncoding?: PositionalEncodingKind;
  /** Decay per day of age for "time-aware" encodings. Default 0.1. */
  timeDecayPerDay?: number;
  /** Max length of the "original-time-aware" encoding. Default 100. */
  originalMaxLength?: number;
  /**
   * Multi-scale attention: the heads are split into consecutive groups, one per entry; a head of
   * scale s lets each day attend only to itself and the s − 1 days before it (so the pooled newest
   * day sees the last s days); `Infinity` leaves a group unrestricted. Default `null` (off).
   * EquiNet's 2025-05-31 version used short/medium/long windows, e.g. [5, 20, Infinity].
   */
  multiScaleDays?: readonly number[] | null;
  /**
   * How multi-scale masks are applied: `"restrict"` adds −1e9 to disallowed logits (really
   * restricts); `"original-additive"` adds the 0/1 float mask to the logits as the original did
   * (+1 inside the window, 0 outside), which never masks anything: it only tilts attention by at
   * most e ≈ 2.7× toward the window. Porting note: which side of the original's mask held the 1s
   * is our assumption; either way nothing is restricted. Default "restrict".
   */
  multiScaleMask?: "restrict" | "original-additive";
  /** `"last"`: the newest day's vector; `"mean"`: mean over real (unmasked) days. Default "last". */
  pooling?: "last" | "mean";
  /** Hidden units of the classification head (0 = one linear layer). Default 0. The 2025-05-31 version used 64. */
  headHiddenUnits?: number;
  /** Dropout inside the classification head (only with hidden units). Default 0.2. */
  headDropout?: number;
  /** Output classes. Default 3 (UP, DOWN, FLAT). */
  classes?: number;
  /** Adds volatility and momentum regression heads (multi-task learning). Default false. */
  multiTask?: boolean;
  /** Weight of each auxiliary mean-squared-error loss in multi-task training. Default 0.1. */
  auxiliaryLossWeight?: number;
  /** Auxiliary targets (future volatility, future return) are multiplied by this. Default 10. */
  auxiliaryTargetScale?: number;
  /** Classification loss. Default cross-entropy. */
  loss?: ClassificationLossArgs;
  /**
   * Reproduces a published bug: softmax applied in the forward pass and again inside the
   * cross-entropy (double softmax). Default false.
   */
  originalDoubleSoftmax?: boolean;
  /** Additive value for masked attention logits (finite, so fully masked rows stay NaN-free). Default −1e9. */
  maskValue?: number;
  /** Seed of the weight initialisers (lib/random). Default 0. */
  seed?: number;
  /**
   * How the encoder layers are computed; both give the same results (to float rounding) from the
   * same variables, seed and dropout draws, so checkpoints work with either.
   * - `"fused"`: the fast path (lib/kernels): projections and feed-forward as 2-D matmuls whose
   *   gradients avoid the transposed matmuls that are slow on the wasm backend, attention and layer
   *   norm as single ops with hand-written gradients, the per-head products on a WebAssembly SIMD
   *   kernel (wasm backend). About 3× (d64) to 8× (d128) faster per training step on wasm here.
   * - `"ops"`: op by op with tfjs autodiff, the plain reference.
   * Default "fused".
   */
  implementation?: "fused" | "ops";
}

/** {@link TransformerClassifierArgs} with every default applied. */
export type ResolvedTransformerClassifierArgs =
  & Required<Omit<TransformerClassifierArgs, "multiScaleDays">>
  & {
    multiScaleDays: number[] | null;
  };

/** Outputs of {@link TransformerClassifier.apply}. */
export interface TransformerOutputs {
  /** Class logits `[batch, classes]`. */
  logits: tf.Tensor2D;
  /** Predicted future volatility (scaled), `[batch]`, with `multiTask`. */
  volatility?: tf.Tensor1D;
  /** Predicted future return (scaled), `[batch]`, with `multiTask`. */
  momentum?: tf.Tensor1D;
}

/** Options of {@link TransformerClassifier.apply}. */
export interface ApplyArgs {
  /** Dropout on. Default false. */
  training?: boolean;
  /** Source of dropout seeds (required when training with dropout > 0). */
  random?: Random;
}

/**
 * Applies defaults and checks ranges.
 *
 * @example
 * ```ts
 * import { resolveTransformerArgs } from "./transformer_classifier.ts";
 * resolveTransformerArgs({ dModel: 32 }).feedForwardUnits; // 128
 * ```
 */
export function resolveTransformerArgs(
  args: TransformerClassifierArgs = {},
): ResolvedTransformerClassifierArgs {
  const dModel = args.dModel ?? 64;
  const resolved: ResolvedTransformerClassifierArgs = {
    inputFeatures: args.inputFeatures ?? 8,
    dModel,
    heads: args.heads ?? 4,
    layers: args.layers ?? 2,
    feedForwardUnits: args.feedForwardUnits ?? 4 * dModel,
    dropout: args.dropout ?? 0.1,
    embeddingDropout: args.embeddingDropout ?? 0,
    positionalEncoding: args.positionalEncoding ?? "none",
    timeDecayPerDay: args.timeDecayPerDay ?? 0.1,
    originalMaxLength: args.originalMaxLength ?? 100,
    multiScaleDays: args.multiScaleDays ? [...args.multiScaleDays] : null,
    multiScaleMask: args.multiScaleMask ?? "restrict",
    pooling: args.pooling ?? "last",
    headHiddenUnits: args.headHiddenUnits ?? 0,
    headDropout: args.headDropout ?? 0.2,
    classes: args.classes ?? 3,
    multiTask: args.multiTask ?? false,
    auxiliaryLossWeight: args.auxiliaryLossWeight ?? 0.1,
    auxiliaryTargetScale: args.auxiliaryTargetScale ?? 10,
    loss: args.loss ?? { kind: "cross-entropy" },
    originalDoubleSoftmax: args.originalDoubleSoftmax ?? false,
    maskValue: args.maskValue ?? -1e9,
    seed: args.seed ?? 0,
    implementation: args.implementation ?? "fused",
  };
  if (resolved.implementation !== "fused" && resolved.implementation !== "ops") {
    throw new RangeError(
      `TransformerClassifier: implementation must be "fused" or "ops", got ${
        JSON.stringify(resolved.implementation)
      }`,
    );
  }
  for (const key of ["inputFeatures", "dModel", "heads", "layers", "feedForwardUnits", "classes"] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`TransformerClassifier: ${key} must be a positive integer, got ${resolved[key]}`);
    }
  }
  if (dModel % resolved.heads !== 0) {
    throw new RangeError(
      `TransformerClassifier: dModel ${dModel} is not divisible by heads ${resolved.heads}`,
    );
  }
  for (const key of ["dropout", "embeddingDropout", "headDropout"] as const) {
    if (!(resolved[key] >= 0 && resolved[key] < 1)) {
      throw new RangeError(`TransformerClassifier: ${key} must be in [0, 1), got ${resolved[key]}`);
    }
  }
  const scales = resolved.multiScaleDays;
  if (scales) {
    if (scales.length === 0 || scales.length > resolved.heads) {
      throw new RangeError(
        `TransformerClassifier: multiScaleDays needs 1..heads (${resolved.heads}) entries`,
      );
    }
    if (scales.some((days) => !(days >= 1))) {
      throw new RangeError(`TransformerClassifier: multiScaleDays must be ≥ 1, got ${scales.join(", ")}`);
    }
  }
  return resolved;
}

/** Shapes of every trainable tensor, by name, in a fixed order. */
function variableShapes(args: ResolvedTransformerClassifierArgs): [string, number[]][] {
  const { inputFeatures, dModel, feedForwardUnits, headHiddenUnits, classes } = args;
  const shapes: [string, number[]][] = [["embedding/kernel", [inputFeatures, dModel]], ["embedding/bias", [
    dModel,
  ]]];
  for (let layer = 0; layer < args.layers; layer++) {
    const prefix = `encoder${layer}`;
    for (const projection of ["query", "key", "value", "output"]) {
      shapes.push([`${prefix}/attention/${projection}/kernel`, [dModel, dModel]]);
      shapes.push([`${prefix}/attention/${projection}/bias`, [dModel]]);
    }
    shapes.push([`${prefix}/norm1/gamma`, [dModel]], [`${prefix}/norm1/beta`, [dModel]]);
    shapes.push([`${prefix}/feedforward1/kernel`, [dModel, feedForwardUnits]]);
    shapes.push([`${prefix}/feedforward1/bias`, [feedForwardUnits]]);
    shapes.push([`${prefix}/feedforward2/kernel`, [feedForwardUnits, dModel]]);
    shapes.push([`${prefix}/feedforward2/bias`, [dModel]]);
    shapes.push([`${prefix}/norm2/gamma`, [dModel]], [`${prefix}/norm2/beta`, [dModel]]);
  }
  if (headHiddenUnits > 0) {
    shapes.push(["head/hidden/kernel", [dModel, headHiddenUnits]], ["head/hidden/bias", [headHiddenUnits]]);
    shapes.push(["head/output/kernel", [headHiddenUnits, classes]], ["head/output/bias", [classes]]);
  } else {
    shapes.push(["head/output/kernel", [dModel, classes]], ["head/output/bias", [classes]]);
  }
  if (args.multiTask) {
    shapes.push(["volatility/kernel", [dModel, 1]], ["volatility/bias", [1]]);
    shapes.push(["momentum/kernel", [dModel, 1]], ["momentum/bias", [1]]);
  }
  return shapes;
}

/**
 * Number of trainable parameters of a configuration (without building it): for tables of sizes.
 *
 * @example
 * ```ts
 * import { parameterCount } from "./transformer_classifier.ts";
 * parameterCount({ dModel: 128, heads: 8, layers: 4 });
 * ```
 */
export function parameterCount(args: TransformerClassifierArgs = {}): number {
  return variableShapes(resolveTransformerArgs(args))
    .reduce((total, [, shape]) => total + shape.reduce((product, size) => product * size, 1), 0);
}

/** Sin/cos encoding of positions `positions[i]` (one row each), width `dModel`. */
function sinusoidRows(
  positions: ArrayLike<number>,
  weights: ArrayLike<number>,
  dModel: number,
): Float32Array {
  const out = new Float32Array(positions.length * dModel);
  for (let row = 0; row < positions.length; row++) {
    const position = positions[row];
    const weight = weights[row];
    for (let pair = 0; pair < dModel; pair += 2) {
      const angle = position * Math.exp((-pair * Math.log(10000)) / dModel);
      out[row * dModel + pair] = Math.sin(angle) * weight;
      if (pair + 1 < dModel) out[row * dModel + pair + 1] = Math.cos(angle) * weight;
    }
  }
  return out;
}

/**
 * The newest query's row of an attention bias broadcastable to `[batch, heads, steps, steps]`: a
 * padding bias `[batch, 1, 1, steps]` is kept as it is, a per-query one is sliced to its last row.
 */
function lastQueryRow(bias: tf.Tensor, steps: number): tf.Tensor {
  const [batch, heads, queries, keys] = bias.shape as number[];
  return queries === 1 ? bias : bias.slice([0, 0, steps - 1, 0], [batch, heads, 1, keys]);
}

/**
 * The values a positional encoding adds, for plots and tests: `[steps × dModel]` row-major for
 * age-based kinds (the same for every window, since windows are left-padded), or
 * `[windows × steps × dModel]` for "original-time-aware" (positions count from each window's
 * first real day; `lengths` default: one full-length window). "none" gives zeros.
 *
 * @example
 * ```ts
 * import { positionalEncodingValues } from "./transformer_classifier.ts";
 * const table = positionalEncodingValues({ dModel: 16, positionalEncoding: "time-aware" }, 60);
 * ```
 */
export function positionalEncodingValues(
  args: TransformerClassifierArgs,
  steps: number,
  lengths?: ArrayLike<number>,
): Float32Array {
  const { positionalEncoding, dModel, timeDecayPerDay, originalMaxLength } = resolveTransformerArgs(args);
  if (positionalEncoding === "original-time-aware") {
    const windows = lengths ? lengths.length : 1;
    const positions = new Float32Array(windows * steps);
    const weights = new Float32Array(windows * steps);
    for (let item = 0; item < windows; item++) {
      const padding = steps - (lengths ? lengths[item] : steps);
      for (let step = padding; step < steps; step++) {
        const position = step - padding;
        positions[item * steps + step] = position;
        weights[item * steps + step] = Math.exp(-0.1 * (originalMaxLength - 1 - position));
      }
    }
    return sinusoidRows(positions, weights, dModel);
  }
  const ages = new Float32Array(steps);
  const weights = new Float32Array(steps);
  for (let step = 0; step < steps; step++) {
    ages[step] = steps - 1 - step;
    if (positionalEncoding === "sinusoidal") weights[step] = 1;
    else if (positionalEncoding === "time-aware") weights[step] = Math.exp(-timeDecayPerDay * ages[step]);
  }
  return sinusoidRows(ages, weights, dModel);
}

/**
 * A Transformer encoder classifier over left-padded windows `[batch, steps, features]` with a
 * mask `[batch, steps]` (1 = real day). Post-norm encoder layers as PyTorch's default:
 * x = LayerNorm(x + Dropout(MultiHeadAttention(x))); x = LayerNorm(x + Dropout(FFN(x))).
 * Padded keys get −1e9 added to their attention logits.
 *
 * @example
 * ```ts
 * import { TransformerClassifier } from "./transformer_classifier.ts";
 * import { tf } from "../backend/mod.ts";
 * const model = new TransformerClassifier({ dModel: 8, heads: 2, layers: 1 });
 * const { logits } = model.apply(tf.zeros([2, 5, 8]), tf.ones([2, 5]));
 * ```
 */
export class TransformerClassifier {
  /** Options with defaults applied. */
  readonly args: ResolvedTransformerClassifierArgs;
  /** Trainable variables by stable name (names do not depend on how many models exist). */
  readonly namedVariables: ReadonlyMap<string, tf.Variable>;

  /** Builds the variables, initialised from `args.seed` (Glorot-uniform kernels, zero biases, unit norms). */
  constructor(args: TransformerClassifierArgs = {}) {
    this.args = resolveTransformerArgs(args);
    const random = createRandom(this.args.seed).fork("transformer-init");
    const variables = new Map<string, tf.Variable>();
    for (const [name, shape] of variableShapes(this.args)) {
      let values: Float32Array;
      if (name.endsWith("/kernel")) values = glorotUniform(random, shape[0], shape[1]);
      else if (name.endsWith("/gamma")) values = new Float32Array(shape[0]).fill(1);
      else values = new Float32Array(shape[0]);
      // tf.variable copies its initial value: create and free that value inside tidy.
      variables.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape), true)));
    }
    this.namedVariables = variables;
  }

  #v(name: string): tf.Variable {
    return this.namedVariables.get(name)!;
  }

  #dense(x: tf.Tensor, name: string): tf.Tensor {
    const kernel = this.#v(`${name}/kernel`);
    const shape = x.shape as number[];
    const flat = x.reshape([-1, shape[shape.length - 1]]);
    const out = tf.add(tf.matMul(flat, kernel), this.#v(`${name}/bias`));
    return out.reshape([...shape.slice(0, -1), kernel.shape[1] as number]);
  }

  #layerNorm(x: tf.Tensor, name: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normalised, this.#v(`${name}/gamma`)), this.#v(`${name}/beta`));
  }

  #dropout(x: tf.Tensor, rate: number, options: ApplyArgs): tf.Tensor {
    if (!options.training || rate === 0) return x;
    if (!options.random) {
      throw new Error("TransformerClassifier: training with dropout needs a random stream");
    }
    return tf.dropout(x, rate, undefined, options.random.nextSeed());
  }

  /** Positional encoding to add: `[steps, dModel]`, `[batch, steps, dModel]`, or null. */
  #positionalEncoding(steps: number, lengths: Int32Array | null): tf.Tensor | null {
    const kind = this.args.positionalEncoding;
    if (kind === "none") return null;
    const values = positionalEncodingValues(this.args, steps, lengths ?? undefined);
    return kind === "original-time-aware"
      ? tf.tensor3d(values, [lengths ? lengths.length : 1, steps, this.args.dModel])
      : tf.tensor2d(values, [steps, this.args.dModel]);
  }

  /** Multi-scale bias `[1, heads, steps, steps]` (0 / maskValue, or the original's 1 / 0), or null. */
  #scaleBias(steps: number): tf.Tensor4D | null {
    const scales = this.args.multiScaleDays;
    if (!scales) return null;
    const { heads, maskValue } = this.args;
    const original = this.args.multiScaleMask === "original-additive";
    const values = new Float32Array(heads * steps * steps);
    for (let head = 0; head < heads; head++) {
      const scale = scales[Math.floor((head * scales.length) / heads)];
      for (let query = 0; query < steps; query++) {
        for (let key = 0; key < steps; key++) {
          const allowed = scale === Infinity || (key <= query && query - key < scale);
          const at = (head * steps + query) * steps + key;
          values[at] = original ? (allowed ? 1 : 0) : (allowed ? 0 : maskValue);
        }
      }
    }
    return tf.tensor4d(values, [1, heads, steps, steps]);
  }

  /**
   * Forward pass. `inputs` `[batch, steps, features]`, `mask` `[batch, steps]` (1 real, 0 padding;
   * windows left-padded so the last step is always real). `lengths` (per window) is only needed by
   * the "original-time-aware" encoding; it defaults to the mask's row sums.
   */
  apply(
    inputs: tf.Tensor3D,
    mask: tf.Tensor2D,
    options: ApplyArgs = {},
    lengths?: Int32Array,
  ): TransformerOutputs {
    const { maskValue } = this.args;
    const [batch, steps] = inputs.shape;
    if (this.args.positionalEncoding === "original-time-aware" && !lengths) {
      lengths = Int32Array.from(
        tf.tidy(() =>
          readSync(tf.sum(mask, 1), "TransformerClassifier.apply (original-time-aware)", "pass `lengths`")
        ),
      );
    }
    return tf.tidy(() => {
      let x: tf.Tensor = this.args.implementation === "fused"
        ? dense(
          inputs.reshape([batch * steps, this.args.inputFeatures]),
          this.#v("embedding/kernel") as tf.Tensor as tf.Tensor2D,
          this.#v("embedding/bias") as tf.Tensor as tf.Tensor1D,
        ).reshape([batch, steps, this.args.dModel])
        : this.#dense(inputs, "embedding");
      const encoding = this.#positionalEncoding(steps, lengths ?? null);
      if (encoding) x = tf.add(x, encoding);
      x = this.#dropout(x, this.args.embeddingDropout, options);
      let bias: tf.Tensor = tf.mul(tf.sub(1, mask), maskValue).reshape([batch, 1, 1, steps]);
      const scaleBias = this.#scaleBias(steps);
      if (scaleBias) bias = tf.add(bias, scaleBias);
      if (this.args.implementation === "fused") {
        x = this.#fusedEncoder(x as tf.Tensor3D, bias, options);
      } else {
        x = this.#opsEncoder(x as tf.Tensor3D, bias, options);
      }
      return this.#head(x as tf.Tensor3D, mask, options) as unknown as tf.TensorContainer;
    }) as unknown as TransformerOutputs;
  }

  /** The encoder layers op by op (tfjs autodiff): `[batch, steps, dModel]` → same shape. */
  #opsEncoder(input: tf.Tensor3D, bias: tf.Tensor, options: ApplyArgs): tf.Tensor3D {
    const { dModel, heads, layers, dropout } = this.args;
    const [batch, steps] = input.shape;
    const depth = dModel / heads;
    const splitHeads = (t: tf.Tensor) => t.reshape([batch, steps, heads, depth]).transpose([0, 2, 1, 3]);
    let x: tf.Tensor = input;
    for (let layer = 0; layer < layers; layer++) {
      const prefix = `encoder${layer}`;
      const query = splitHeads(this.#dense(x, `${prefix}/attention/query`));
      const key = splitHeads(this.#dense(x, `${prefix}/attention/key`));
      const value = splitHeads(this.#dense(x, `${prefix}/attention/value`));
      const scores = tf.add(tf.mul(tf.matMul(query, key, false, true), 1 / Math.sqrt(depth)), bias);
      const weights = this.#dropout(tf.softmax(scores), dropout, options);
      const context = tf.matMul(weights, value).transpose([0, 2, 1, 3]).reshape([batch, steps, dModel]);
      const attended = this.#dense(context, `${prefix}/attention/output`);
      x = this.#layerNorm(tf.add(x, this.#dropout(attended, dropout, options)), `${prefix}/norm1`);
      const hidden = tf.relu(this.#dense(x, `${prefix}/feedforward1`));
      const fed = this.#dense(hidden, `${prefix}/feedforward2`);
      x = this.#layerNorm(tf.add(x, this.#dropout(fed, dropout, options)), `${prefix}/norm2`);
    }
    return x as tf.Tensor3D;
  }

  /**
   * The encoder layers with the fused kernels of lib/kernels: same variables, same dropout draws
   * (same seeds in the same order, masks drawn as tf.dropout draws them) as {@link #opsEncoder}.
   * Returns `[batch, steps, dModel]`, or `[batch, 1, dModel]` (the newest day only) with "last"
   * pooling.
   *
   * Perf note: with "last" pooling nothing reads the last layer's other days, so that layer
   * computes keys and values for every day but the query, attention output, layer norms and
   * feed-forward block for the newest day only — the same numbers as the full layer's last row,
   * at about 1 / steps of its feed-forward cost (≈ 40% less work per step for 2 layers, ≈ 20%
   * for 4). Its dropout masks are drawn at full size and sliced, so the draws stay those of
   * {@link #opsEncoder}.
   */
  #fusedEncoder(x: tf.Tensor3D, bias: tf.Tensor, options: ApplyArgs): tf.Tensor3D {
    const { dModel, heads, layers, dropout, pooling } = this.args;
    const [batch, steps] = x.shape;
    let rows = x.reshape([batch * steps, dModel]) as tf.Tensor2D;
    const v = (name: string) => this.#v(name) as tf.Tensor as tf.Tensor2D & tf.Tensor1D;
    const training = options.training && dropout > 0;
    if (training && !options.random) {
      throw new Error("TransformerClassifier: training with dropout needs a random stream");
    }
    /** Newest day of each window: `[batch · steps, width]` rows → `[batch, width]`. */
    const newest = (t: tf.Tensor, width: number) =>
      t.reshape([batch, steps, width]).slice([0, steps - 1, 0], [batch, 1, width]).reshape([batch, width]);
    /** tf.dropout's multiplier for `[batch · steps, dModel]`, restricted to the newest day when `last`. */
    const residualDropout = (last: boolean) => {
      const mask = dropoutMask([batch * steps, dModel], dropout, options.random!.nextSeed());
      return last ? newest(mask, dModel) : mask;
    };
    for (let layer = 0; layer < layers; layer++) {
      const last = pooling === "last" && layer === layers - 1;
      const queryDays = last ? 1 : steps;
      const prefix = `encoder${layer}/attention`;
      const project = (input: tf.Tensor2D, name: string, days: number) =>
        dense(input, v(`${prefix}/${name}/kernel`), v(`${prefix}/${name}/bias`)).reshape([
          batch,
          days,
          dModel,
        ]) as tf.Tensor3D;
      const queryRows = last ? newest(rows, dModel) as tf.Tensor2D : rows;
      const query = project(queryRows, "query", queryDays);
      const key = project(rows, "key", steps);
      const value = project(rows, "value", steps);
      let dropoutMultiplier: tf.Tensor | undefined;
      if (training) {
        dropoutMultiplier = dropoutMask([batch, heads, steps, steps], dropout, options.random!.nextSeed());
        if (last) dropoutMultiplier = dropoutMultiplier.slice([0, 0, steps - 1, 0], [batch, heads, 1, steps]);
      }
      const layerBias = last ? lastQueryRow(bias, steps) : bias;
      const context = multiHeadAttention(query, key, value, { heads, bias: layerBias, dropoutMultiplier });
      const attended = dense(
        context.reshape([batch * queryDays, dModel]),
        v(`${prefix}/output/kernel`),
        v(`${prefix}/output/bias`),
      );
      rows = layerNorm(
        tf.add(queryRows, training ? tf.mul(attended, residualDropout(last)) : attended),
        v(`encoder${layer}/norm1/gamma`),
        v(`encoder${layer}/norm1/beta`),
      );
      const hidden = dense(
        rows,
        v(`encoder${layer}/feedforward1/kernel`),
        v(`encoder${layer}/feedforward1/bias`),
        "relu",
      );
      const fed = dense(
        hidden,
        v(`encoder${layer}/feedforward2/kernel`),
        v(`encoder${layer}/feedforward2/bias`),
      );
      rows = layerNorm(
        tf.add(rows, training ? tf.mul(fed, residualDropout(last)) : fed),
        v(`encoder${layer}/norm2/gamma`),
        v(`encoder${layer}/norm2/beta`),
      );
      if (last) return rows.reshape([batch, 1, dModel]);
    }
    return rows.reshape([batch, steps, dModel]);
  }

  /** Pooling and output heads. */
  #head(x: tf.Tensor3D, mask: tf.Tensor2D, options: ApplyArgs): TransformerOutputs {
    const { dModel, pooling } = this.args;
    const [batch, steps] = x.shape;
    let pooled: tf.Tensor2D;
    if (pooling === "last") {
      pooled = x.slice([0, steps - 1, 0], [batch, 1, dModel]).reshape([batch, dModel]);
    } else {
      const weights = mask.reshape([batch, steps, 1]);
      pooled = tf.div(tf.sum(tf.mul(x, weights), 1), tf.maximum(tf.sum(weights, 1), 1)) as tf.Tensor2D;
    }
    let head: tf.Tensor = pooled;
    if (this.args.headHiddenUnits > 0) {
      head = this.#dropout(tf.relu(this.#dense(head, "head/hidden")), this.args.headDropout, options);
    }
    let logits = this.#dense(head, "head/output") as tf.Tensor2D;
    if (this.args.originalDoubleSoftmax) logits = tf.softmax(logits);
    const outputs: TransformerOutputs = { logits };
    if (this.args.multiTask) {
      outputs.volatility = this.#dense(pooled, "volatility").reshape([batch]);
      outputs.momentum = this.#dense(pooled, "momentum").reshape([batch]);
    }
    return outputs;
  }

  /**
   * Training loss of a batch (dropout on): the classification loss, plus the weighted auxiliary
   * mean-squared errors with `multiTask`.
   */
  loss(batch: WindowBatch, random: Random): tf.Scalar {
    return tf.tidy(() => {
      const inputs = tf.tensor3d(batch.inputs, [batch.size, batch.steps, batch.features]);
      const mask = tf.tensor2d(batch.mask, [batch.size, batch.steps]);
      const outputs = this.apply(inputs, mask, { training: true, random }, batch.lengths);
      let loss = classificationLoss(outputs.logits, tf.tensor1d(batch.labels, "int32"), this.args.loss);
      if (outputs.volatility && outputs.momentum) {
        const scale = this.args.auxiliaryTargetScale;
        const volatility = tf.mul(tf.tensor1d(batch.futureVolatility), scale);
        const momentum = tf.mul(tf.tensor1d(batch.futureReturns), scale);
        const auxiliary = tf.add(
          tf.losses.meanSquaredError(volatility, outputs.volatility),
          tf.losses.meanSquaredError(momentum, outputs.momentum),
        );
        loss = tf.add(loss, tf.mul(auxiliary, this.args.auxiliaryLossWeight));
      }
      return loss;
    });
  }

  /**
   * Class probabilities `[size × classes]` (row-major), dropout off, computed in chunks of
   * `chunkSize` windows to bound memory.
   */
  async predictProbabilities(batch: WindowBatch, chunkSize = 256): Promise<Float32Array> {
    const { classes } = this.args;
    const out = new Float32Array(batch.size * classes);
    const stride = batch.steps * batch.features;
    for (let start = 0; start < batch.size; start += chunkSize) {
      const count = Math.min(chunkSize, batch.size - start);
      const probabilities = tf.tidy(() => {
        const inputs = tf.tensor3d(
          batch.inputs.subarray(start * stride, (start + count) * stride),
          [count, batch.steps, batch.features],
        );
        const mask = tf.tensor2d(batch.mask.subarray(start * batch.steps, (start + count) * batch.steps), [
          count,
          batch.steps,
        ]);
        const { logits } = this.apply(inputs, mask, {}, batch.lengths.subarray(start, start + count));
        return this.args.originalDoubleSoftmax ? logits : tf.softmax(logits);
      });
      out.set(await probabilities.data() as Float32Array, start * classes);
      probabilities.dispose();
    }
    return out;
  }

  /**
   * Rebuilds a model from a checkpoint folder (`best/` or `last/`) written by `trainModel` with
   * `metadata: { model: model.args }`: the options come from model.json, the weights from
   * weights.bin.
   *
   * @example
   * ```ts
   * import { TransformerClassifier } from "./transformer_classifier.ts";
   * const model = await TransformerClassifier.fromCheckpoint("out/equinet/d64/best");
   * ```
   */
  static async fromCheckpoint(folder: string): Promise<TransformerClassifier> {
    const saved = await readTensorFolder(folder);
    const args = saved.metadata.model;
    if (!args || typeof args !== "object") {
      throw new Error(`${saved.folder}/model.json has no "model" options in userDefinedMetadata`);
    }
    const model = new TransformerClassifier(args as TransformerClassifierArgs);
    try {
      assignVariables(model.namedVariables, saved.weights);
    } catch (error) {
      model.dispose();
      throw new Error(`${saved.folder}: ${(error as Error).message}`);
    }
    return model;
  }

  /** Frees the variables. */
  dispose(): void {
    for (const variable of this.namedVariables.values()) variable.dispose();
  }
}
