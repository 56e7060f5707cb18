/**
 * Economic phase detector and the seed's phase-dependent macro weights.
 *
 * Porting note: the seed's `_detect_economic_phase` is omitted ("details left out", it always
 * returns expansion) and says only "Mahalanobis distance". Ours: on the training days, label a day
 * expansion when PMI ≥ 50 and GDP growth is above its training median, contraction when PMI < 50 and
 * GDP growth is at or below that median, and leave mixed days unlabelled. The two class centroids
 * and one pooled within-class covariance are estimated on the labelled training days only; every day
 * is then assigned the phase whose centroid is nearer in Mahalanobis distance.
 *
 * Unemployment starts in 2016 (missing before, never back-filled), so the default detector leaves it
 * out; a day missing any chosen feature gets no phase (−1).
 *
 * @module
 */

/** Phase code: expansion. */
export const EXPANSION = 1;
/** Phase code: contraction. */
export const CONTRACTION = 0;
/** Phase code: unknown (a feature is missing). */
export const UNKNOWN_PHASE = -1;

/** The seed's weights: expansion GDP 0.4 / CPI 0.3 / unemployment 0.3; contraction 0.2 / 0.5 / 0.3. */
export const PHASE_WEIGHTS = {
  expansion: { gdp: 0.4, cpi: 0.3, unemployment: 0.3 },
  contraction: { gdp: 0.2, cpi: 0.5, unemployment: 0.3 },
} as const;

/** Daily macro series by name (e.g. from `macroToDaily`); must include `pmi` and `gdp` for fitting. */
export type DailySeries = Readonly<Record<string, ArrayLike<number>>>;

/** Options of {@link fitPhaseDetector}. */
export interface PhaseDetectorArgs {
  /** Days `[0, trainDays)` are the training period. Required. */
  trainDays: number;
  /** Series forming the macro vector. Default `["gdp", "cpi", "pmi", "m2"]`. */
  features?: string[];
  /** Ridge added to the covariance diagonal, relative to its mean variance. Default 1e-6. */
  ridge?: number;
}

/** A fitted detector. */
export interface PhaseDetector {
  /** The features, in vector order. */
  features: string[];
  /** Mean vector of the expansion training days. */
  expansionCentroid: Float64Array;
  /** Mean vector of the contraction training days. */
  contractionCentroid: Float64Array;
  /** Inverse of the pooled within-class covariance (row-major, features × features). */
  inverseCovariance: Float64Array;
  /** Training median of GDP growth used by the labels. */
  gdpMedian: number;
  /** Training labels per training day (EXPANSION, CONTRACTION, or −1 mixed/missing). */
  trainingLabels: Int8Array;
}

/**
 * The transparent training labels (see the module note): 1 expansion, 0 contraction, −1 mixed or
 * missing. `gdpMedian` is the median of GDP over the same days.
 *
 * @example
 * ```ts
 * import { trainingPhaseLabels } from "./economic_phase.ts";
 * trainingPhaseLabels({ pmi: [51, 49, 51], gdp: [7, 6, 6] }, 3).labels; // Int8Array [1, 0, -1]
 * ```
 */
export function trainingPhaseLabels(
  daily: DailySeries,
  trainDays: number,
): { labels: Int8Array; gdpMedian: number } {
  const pmi = required(daily, "pmi"), gdp = required(daily, "gdp");
  const known: number[] = [];
  for (let day = 0; day < trainDays; day++) if (!Number.isNaN(gdp[day])) known.push(gdp[day]);
  known.sort((a, b) => a - b);
  const middle = known.length >> 1;
  const gdpMedian = known.length === 0
    ? NaN
    : known.length % 2
    ? known[middle]
    : (known[middle - 1] + known[middle]) / 2;
  const labels = new Int8Array(trainDays).fill(UNKNOWN_PHASE);
  for (let day = 0; day < trainDays; day++) {
    if (Number.isNaN(pmi[day]) || Number.isNaN(gdp[day])) continue;
    if (pmi[day] >= 50 && gdp[day] > gdpMedian) labels[day] = EXPANSION;
    else if (pmi[day] < 50 && gdp[day] <= gdpMedian) labels[day] = CONTRACTION;
  }
  return { labels, gdpMedian };
}

/**
 * Fits the detector on the training days.
 *
 * @example
 * ```ts
 * import { detectPhases, fitPhaseDetector } from "./economic_phase.ts";
 * const daily = { gdp: [8, 8.2, 6, 6.1, 8.1, 6.2], cpi: [3, 3.1, 1, 1.2, 2.9, 1.1],
 *   pmi: [52, 53, 48, 49, 52.5, 48.5], m2: [14, 13, 10, 11, 13.5, 10.5] };
 * const detector = fitPhaseDetector(daily, { trainDays: 4, features: ["gdp", "cpi", "pmi"] });
 * detectPhases(detector, daily).phase; // Int8Array [1, 1, 0, 0, 1, 0]
 * ```
 */
export function fitPhaseDetector(daily: DailySeries, args: PhaseDetectorArgs): PhaseDetector {
  const features = args.features ?? ["gdp", "cpi", "pmi", "m2"];
  const ridge = args.ridge ?? 1e-6;
  const size = features.length;
  const columns = features.map((name) => required(daily, name));
  const { labels, gdpMedian } = trainingPhaseLabels(daily, args.trainDays);
  const sums = [new Float64Array(size), new Float64Array(size)];
  const counts = [0, 0];
  const usable = (day: number) =>
    labels[day] !== UNKNOWN_PHASE && columns.every((column) => !Number.isNaN(column[day]));
  for (let day = 0; day < args.trainDays; day++) {
    if (!usable(day)) continue;
    counts[labels[day]]++;
    for (let feature = 0; feature < size; feature++) sums[labels[day]][feature] += columns[feature][day];
  }
  if (counts[EXPANSION] < 2 || counts[CONTRACTION] < 2) {
    throw new RangeError(
      `fitPhaseDetector: training days give ${counts[EXPANSION]} expansion and ${counts[CONTRACTION]} ` +
        "contraction days; need at least 2 of each",
    );
  }
  const centroids = sums.map((sum, label) => sum.map((value) => value / counts[label]));
  const covariance = new Float64Array(size * size);
  for (let day = 0; day < args.trainDays; day++) {
    if (!usable(day)) continue;
    const centroid = centroids[labels[day]];
    for (let row = 0; row < size; row++) {
      const a = columns[row][day] - centroid[row];
      for (let column = 0; column < size; column++) {
        covariance[row * size + column] += a * (columns[column][day] - centroid[column]);
      }
    }
  }
  const degrees = counts[0] + counts[1] - 2;
  let meanVariance = 0;
  for (let index = 0; index < size * size; index++) covariance[index] /= Math.max(1, degrees);
  for (let index = 0; index < size; index++) meanVariance += covariance[index * size + index] / size;
  for (let index = 0; index < size; index++) covariance[index * size + index] += ridge * (meanVariance || 1);
  return {
    features,
    expansionCentroid: centroids[EXPANSION],
    contractionCentroid: centroids[CONTRACTION],
    inverseCovariance: invert(covariance, size),
    gdpMedian,
    trainingLabels: labels,
  };
}

/** Result of {@link detectPhases}. */
export interface DetectedPhases {
  /** EXPANSION (1), CONTRACTION (0) or UNKNOWN_PHASE (−1) per day. */
  phase: Int8Array;
  /** Mahalanobis distance to the expansion centroid (NaN when unknown). */
  expansionDistance: Float64Array;
  /** Mahalanobis distance to the contraction centroid. */
  contractionDistance: Float64Array;
}

/**
 * Assigns every day the phase with the nearer centroid (Mahalanobis distance with the pooled
 * covariance); uses only that day's (already lagged) values.
 *
 * @example
 * ```ts
 * import { detectPhases } from "./economic_phase.ts";
 * // detectPhases(detector, dailyMacro).phase
 * ```
 */
export function detectPhases(detector: PhaseDetector, daily: DailySeries): DetectedPhases {
  const columns = detector.features.map((name) => required(daily, name));
  const days = columns[0].length;
  const size = columns.length;
  const phase = new Int8Array(days).fill(UNKNOWN_PHASE);
  const expansionDistance = new Float64Array(days).fill(NaN);
  const contractionDistance = new Float64Array(days).fill(NaN);
  const vector = new Float64Array(size);
  for (let day = 0; day < days; day++) {
    let complete = true;
    for (let feature = 0; feature < size; feature++) {
      vector[feature] = columns[feature][day];
      if (Number.isNaN(vector[feature])) complete = false;
    }
    if (!complete) continue;
    expansionDistance[day] = mahalanobis(vector, detector.expansionCentroid, detector.inverseCovariance);
    contractionDistance[day] = mahalanobis(vector, detector.contractionCentroid, detector.inverseCovariance);
    phase[day] = expansionDistance[day] <= contractionDistance[day] ? EXPANSION : CONTRACTION;
  }
  return { phase, expansionDistance, contractionDistance };
}

/** Result of {@link phaseWeightedFactors}. */
export interface WeightedMacroFactors {
  /** Min-max scaled GDP growth × its phase weight. */
  gdp: Float64Array;
  /** Min-max scaled CPI × its phase weight. */
  cpi: Float64Array;
  /** Min-max scaled unemployment × its phase weight (NaN before 2016). */
  unemployment: Float64Array;
  /** Training minimum and maximum of each series. */
  scaling: Record<"gdp" | "cpi" | "unemployment", { minimum: number; maximum: number }>;
}

/**
 * The seed's dynamic weighting: each of GDP, CPI and unemployment min-max scaled with the minimum
 * and maximum of the training days, times the weight of the day's phase ({@link PHASE_WEIGHTS}).
 * Days of unknown phase are NaN. Later values outside the training range scale outside [0, 1].
 *
 * Porting note: the seed scales with the min and max of the whole series (future included) and
 * picks one phase for the whole frame; we fit on training days and weight each day by its own phase.
 *
 * @example
 * ```ts
 * import { EXPANSION, phaseWeightedFactors } from "./economic_phase.ts";
 * const factors = phaseWeightedFactors({ gdp: [6, 8], cpi: [1, 3], unemployment: [5, 5.2] },
 *   Int8Array.of(EXPANSION, EXPANSION), 2);
 * factors.gdp; // Float64Array [0, 0.4]
 * ```
 */
export function phaseWeightedFactors(
  daily: DailySeries,
  phase: Int8Array,
  trainDays: number,
): WeightedMacroFactors {
  const names = ["gdp", "cpi", "unemployment"] as const;
  const scaling = {} as WeightedMacroFactors["scaling"];
  const out = {} as Record<(typeof names)[number], Float64Array>;
  for (const name of names) {
    const values = required(daily, name);
    if (values.length !== phase.length) {
      throw new RangeError(`phaseWeightedFactors: ${name} has ${values.length} days, phase ${phase.length}`);
    }
    let minimum = Infinity, maximum = -Infinity;
    for (let day = 0; day < trainDays; day++) {
      if (values[day] < minimum) minimum = values[day];
      if (values[day] > maximum) maximum = values[day];
    }
    if (minimum === Infinity) [minimum, maximum] = [NaN, NaN];
    scaling[name] = { minimum, maximum };
    const span = maximum - minimum;
    const series = new Float64Array(values.length).fill(NaN);
    for (let day = 0; day < values.length; day++) {
      if (phase[day] === UNKNOWN_PHASE) continue;
      const weight = phase[day] === EXPANSION
        ? PHASE_WEIGHTS.expansion[name]
        : PHASE_WEIGHTS.contraction[name];
      const scaled = span > 0 ? (values[day] - minimum) / span : 0;
      series[day] = scaled * weight;
    }
    out[name] = series;
  }
  return { ...out, scaling };
}

function required(daily: DailySeries, name: string): ArrayLike<number> {
  const series = daily[name];
  if (series === undefined) throw new RangeError(`macro series "${name}" is missing`);
  return series;
}

function mahalanobis(vector: Float64Array, centroid: Float64Array, inverse: Float64Array): number {
  const size = vector.length;
  let total = 0;
  for (let row = 0; row < size; row++) {
    const a = vector[row] - centroid[row];
    for (let column = 0; column < size; column++) {
      total += a * inverse[row * size + column] * (vector[column] - centroid[column]);
    }
  }
  return Math.sqrt(Math.max(0, total));
}

/** Gauss-Jordan inverse with partial pivoting of a small row-major matrix. */
function invert(matrix: Float64Array, size: number): Float64Array {
  const work = Float64Array.from(matrix);
  const inverse = new Float64Array(size * size);
  for (let index = 0; index < size; index++) inverse[index * size + index] = 1;
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(work[row * size + column]) > Math.abs(work[pivot * size + column])) pivot = row;
    }
    const value = work[pivot * size + column];
    if (Math.abs(value) < 1e-300) throw new RangeError("fitPhaseDetector: the covariance is singular");
    if (pivot !== column) {
      for (let k = 0; k < size; k++) {
        [work[pivot * size + k], work[column * size + k]] = [work[column * size + k], work[pivot * size + k]];
        [inverse[pivot * size + k], inverse[column * size + k]] = [
          inverse[column * size + k],
          inverse[pivot * size + k],
        ];
      }
    }
    for (let k = 0; k < size; k++) {
      work[column * size + k] /= value;
      inverse[column * size + k] /= value;
    }
    for (let row = 0; row < size; row++) {
      if (row === column) continue;
      const factor = work[row * size + column];
      if (factor === 0) continue;
      for (let k = 0; k < size; k++) {
        work[row * size + k] -= factor * work[column * size + k];
        inverse[row * size + k] -= factor * inverse[column * size + k];
      }
    }
  }
  return inverse;
}
