/**
 * Is an EquiNet model better than always saying one class? Against a constant forecaster, McNemar's
 * exact test needs only the model's confusion matrix: the constant is right exactly on the windows of its
 * class, so the discordant pairs are the model's right calls on the other classes (model only) and its
 * wrong calls on that class (constant only). The exact binomial test compares the model's accuracy with
 * the constant's share. Both treat windows as independent, which windows of different stocks on one date
 * are not: read them as optimistic (a p-value too small, if anything).
 */
import { pointsScore } from "../eval/mod.ts";
import { binomialTest, dateBlockBootstrap, mcnemarFromCounts } from "../stats/mod.ts";

/** The tests of one model (one seed, one set) against always saying `constantClass`. */
export interface ConstantClassTests {
  /** Windows evaluated. */
  windows: number;
  /** Windows the model called right. */
  modelRight: number;
  /** Windows the constant is right on (those of its class). */
  constantRight: number;
  /** Model right where the constant is wrong. */
  modelOnly: number;
  /** Constant right where the model is wrong. */
  constantOnly: number;
  /** McNemar's exact test, two-sided. */
  mcnemarPValue: number;
  /** Exact binomial test of the model's right calls against the constant's share, one-sided (model better). */
  binomialPValue: number;
}

/**
 * The tests of a confusion matrix (rows: true class, columns: predicted class) against a constant class.
 *
 * @example
 * ```ts
 * import { constantClassTests } from "./equinet_significance.ts";
 * // 涨, 跌, 稳 rows; a model that always says 稳 ties the constant 稳 exactly:
 * constantClassTests([[0, 0, 20], [0, 0, 30], [0, 0, 50]], 2).mcnemarPValue; // 1
 * ```
 */
export function constantClassTests(
  confusion: readonly (readonly number[])[],
  constantClass: number,
): ConstantClassTests {
  const classes = confusion.length;
  if (classes === 0 || confusion.some((row) => row.length !== classes)) {
    throw new RangeError(`constantClassTests: the confusion matrix must be square, got ${classes} rows`);
  }
  if (!Number.isInteger(constantClass) || constantClass < 0 || constantClass >= classes) {
    throw new RangeError(`constantClassTests: class ${constantClass} is not one of 0..${classes - 1}`);
  }
  let windows = 0, modelRight = 0, modelOnly = 0;
  for (let truth = 0; truth < classes; truth++) {
    for (let predicted = 0; predicted < classes; predicted++) {
      const count = confusion[truth][predicted];
      windows += count;
      if (truth === predicted) {
        modelRight += count;
        if (truth !== constantClass) modelOnly += count;
      }
    }
  }
  const constantRight = confusion[constantClass].reduce((sum, count) => sum + count, 0);
  const constantOnly = constantRight - confusion[constantClass][constantClass];
  return {
    windows,
    modelRight,
    constantRight,
    modelOnly,
    constantOnly,
    mcnemarPValue: mcnemarFromCounts(modelOnly, constantOnly).pValue,
    binomialPValue: windows === 0
      ? 1
      : binomialTest(modelRight, windows, { probability: constantRight / windows }).pValueGreater,
  };
}

/** Options of {@link dateBlockComparison}. */
export interface DateBlockComparisonArgs {
  /** What each window scores: 1 when right (accuracy), or its 积分制 points × 1000 (points per 1000). Default "accuracy". */
  metric?: "accuracy" | "points";
  /** Seed of the bootstrap. Default 0. */
  seed?: number;
  /** Resamples. Default 2000. */
  resamples?: number;
  /** Block length in dates. Default ⌈dates^{1/3}⌉. */
  blockLength?: number;
}

/** What {@link dateBlockComparison} gives. */
export interface DateBlockComparison {
  /** The metric compared. */
  metric: "accuracy" | "points";
  /** Model (seed mean) minus baseline on the windows as they are. */
  difference: number;
  /** 95% percentile interval of the difference over date-block resamples. */
  lower: number;
  /** Upper end of the interval. */
  upper: number;
  /** One-sided bootstrap p of "the model is better": the share of resamples with a difference ≤ 0. */
  pValue: number;
  /** Distinct dates (last input days) resampled. */
  dates: number;
  /** Windows. */
  windows: number;
  /** Block length in dates. */
  blockLength: number;
  /** Model seeds averaged. */
  seeds: number;
}

/**
 * Model vs baseline on the same windows, resampling whole dates in blocks of consecutive dates
 * (`dateBlockBootstrap`): every stock's window of one date, and nearby dates, stay together, so the
 * interval does not pretend that windows of one day are independent — what McNemar's and the binomial
 * test do. Each side is one or more prediction strings (one digit per window, 0 涨 / 1 跌 / 2 稳, e.g.
 * the seeds' stored `testPredictions`); a window's score is averaged over a side's strings, so a
 * model's seeds count as one forecaster and the interval covers the dates' noise, not the seeds'.
 *
 * @example
 * ```ts
 * import { dateBlockComparison } from "./equinet_significance.ts";
 * const windows = { dates: ["d1", "d1", "d2", "d2"], labels: "0122" };
 * dateBlockComparison(windows, ["0122"], ["2222"], { resamples: 100 }).difference; // 0.5
 * ```
 */
export function dateBlockComparison(
  windows: { dates: readonly string[]; labels: string },
  model: readonly string[],
  baseline: readonly string[],
  args: DateBlockComparisonArgs = {},
): DateBlockComparison {
  const count = windows.labels.length;
  const metric = args.metric ?? "accuracy";
  if (windows.dates.length !== count) {
    throw new RangeError(`dateBlockComparison: ${windows.dates.length} dates for ${count} labels`);
  }
  if (model.length === 0 || baseline.length === 0) {
    throw new RangeError("dateBlockComparison: each side needs at least one prediction string");
  }
  for (const [side, strings] of [["model", model], ["baseline", baseline]] as const) {
    strings.forEach((predictions, index) => {
      if (predictions.length !== count || !/^[012]*$/.test(predictions)) {
        throw new RangeError(
          `dateBlockComparison: ${side} predictions ${
            index + 1
          } must be ${count} digits 0/1/2, got ${predictions.length} characters`,
        );
      }
    });
  }
  const labels = Array.from(windows.labels, Number);
  const score = (predictions: string, row: number) => {
    const predicted = Number(predictions[row]);
    return metric === "accuracy"
      ? Number(predicted === labels[row])
      : pointsScore([labels[row]], [predicted]);
  };
  const gain = new Float64Array(count);
  for (let row = 0; row < count; row++) {
    let mine = 0, theirs = 0;
    for (const predictions of model) mine += score(predictions, row);
    for (const predictions of baseline) theirs += score(predictions, row);
    gain[row] = mine / model.length - theirs / baseline.length;
  }
  const mean = (rows: Int32Array) => {
    let sum = 0;
    for (let index = 0; index < rows.length; index++) sum += gain[rows[index]];
    return sum / rows.length;
  };
  const result = dateBlockBootstrap(windows.dates, mean, {
    seed: args.seed ?? 0,
    resamples: args.resamples ?? 2000,
    ...(args.blockLength === undefined ? {} : { blockLength: args.blockLength }),
  });
  return {
    metric,
    difference: result.estimate,
    lower: result.lower,
    upper: result.upper,
    pValue: result.shareAtMostZero,
    dates: result.dates,
    windows: count,
    blockLength: result.blockLength,
    seeds: model.length,
  };
}
