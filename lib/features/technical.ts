/**
 * The hybrid model's 15 technical inputs per day, from daily OHLCV and turnover, each computed from
 * data up to that day only.
 *
 * Porting note: the seed feeds raw `open, high, low, close, volume` (5 columns) into a branch sized
 * for 15. We compute 15 scale-free indicators instead: returns over 1/5/10/20 days, close over its
 * 5/20/60-day mean − 1, RSI(14)/100, MACD(12, 26, 9) line and histogram divided by the close,
 * Bollinger %B(20, 2), ATR(14)/close, volume MA5/MA20, turnover rate (fraction) and — to make 15 —
 * the 20-day standard deviation of daily returns. RSI and ATR use Wilder's smoothing seeded with a
 * simple mean; the EMAs start at the first value (pandas `ewm(adjust=false)`); Bollinger uses the
 * population deviation (TA-Lib). Days before an indicator's warm-up are NaN.
 *
 * @module
 */

/** Names of the 15 features, in output order. */
export const TECHNICAL_FEATURE_NAMES = [
  "return1",
  "return5",
  "return10",
  "return20",
  "closeOverMa5",
  "closeOverMa20",
  "closeOverMa60",
  "rsi14",
  "macdLine",
  "macdHistogram",
  "bollingerPercentB",
  "atr14OverClose",
  "volumeRatio5to20",
  "turnoverRate",
  "volatility20",
] as const;

/** Daily bars of one stock. */
export interface DailyBars {
  /** Opening prices (unused by the current indicators; validated for consistency). */
  open?: ArrayLike<number>;
  /** Highs. */
  high: ArrayLike<number>;
  /** Lows. */
  low: ArrayLike<number>;
  /** Closes (> 0). */
  close: ArrayLike<number>;
  /** Volumes (≥ 0; 0 on suspended days). */
  volume: ArrayLike<number>;
  /** Turnover rate in percent (BaoStock `turn`); the feature is NaN without it. */
  turnoverPercent?: ArrayLike<number>;
}

/** Result of {@link technicalFeatures}. */
export interface TechnicalFeatures {
  /** Feature names ({@link TECHNICAL_FEATURE_NAMES}). */
  names: readonly string[];
  /** Values `[feature][day]`. */
  values: Float64Array[];
}

/**
 * Computes the 15 technical features (see the module note). Throws on a non-positive or missing
 * close, high or low, naming the day index.
 *
 * @example
 * ```ts
 * import { technicalFeatures } from "./technical.ts";
 * const close = Array.from({ length: 80 }, (_, day) => 10 + Math.sin(day / 5));
 * const bars = { high: close.map((c) => c * 1.01), low: close.map((c) => c * 0.99), close,
 *   volume: close.map(() => 1e6) };
 * const { names, values } = technicalFeatures(bars);
 * console.log(names[7], values[7][79]); // rsi14 on the last day
 * ```
 */
export function technicalFeatures(bars: DailyBars): TechnicalFeatures {
  const days = bars.close.length;
  const close = checked(bars.close, "close", days);
  const high = checked(bars.high, "high", days);
  const low = checked(bars.low, "low", days);
  if (bars.volume.length !== days) {
    throw new RangeError(`technicalFeatures: volume has ${bars.volume.length} days, close ${days}`);
  }
  const volume = Float64Array.from(bars.volume);
  const values: Float64Array[] = [];
  for (const horizon of [1, 5, 10, 20]) values.push(pastReturn(close, horizon));
  for (const window of [5, 20, 60]) {
    const mean = rollingMean(close, window);
    values.push(close.map((value, day) => value / mean[day] - 1));
  }
  values.push(rsi(close, 14));
  const fast = ema(close, 12), slow = ema(close, 26);
  const line = close.map((_, day) => (day >= 25 ? fast[day] - slow[day] : NaN));
  const signal = new Float64Array(days).fill(NaN);
  for (let day = 25; day < days; day++) {
    signal[day] = day === 25 ? line[day] : signal[day - 1] + (2 / 10) * (line[day] - signal[day - 1]);
  }
  values.push(line.map((value, day) => value / close[day]));
  values.push(line.map((value, day) => (day >= 33 ? (value - signal[day]) / close[day] : NaN)));
  values.push(bollingerPercentB(close, 20, 2));
  const atr = wilderAtr(high, low, close, 14);
  values.push(atr.map((value, day) => value / close[day]));
  const volumeFast = rollingMean(volume, 5), volumeSlow = rollingMean(volume, 20);
  values.push(volumeFast.map((value, day) => (volumeSlow[day] > 0 ? value / volumeSlow[day] : NaN)));
  const turnover = bars.turnoverPercent;
  if (turnover !== undefined && turnover.length !== days) {
    throw new RangeError(`technicalFeatures: turnoverPercent has ${turnover.length} days, close ${days}`);
  }
  values.push(
    Float64Array.from({ length: days }, (_, day) => (turnover === undefined ? NaN : turnover[day] / 100)),
  );
  values.push(rollingStd(pastReturn(close, 1), 20));
  return { names: TECHNICAL_FEATURE_NAMES, values };
}

function checked(series: ArrayLike<number>, name: string, days: number): Float64Array {
  if (series.length !== days) {
    throw new RangeError(`technicalFeatures: ${name} has ${series.length} days, close ${days}`);
  }
  const out = Float64Array.from(series);
  for (let day = 0; day < days; day++) {
    if (!(out[day] > 0)) {
      throw new RangeError(`technicalFeatures: ${name} at day index ${day} is ${out[day]}`);
    }
  }
  return out;
}

function pastReturn(close: Float64Array, horizon: number): Float64Array {
  return close.map((value, day) => (day >= horizon ? value / close[day - horizon] - 1 : NaN));
}

/** Mean of `values[t − window + 1 .. t]`, NaN before the window fills. */
function rollingMean(values: Float64Array, window: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  let sum = 0;
  for (let day = 0; day < values.length; day++) {
    sum += values[day];
    if (day >= window) sum -= values[day - window];
    if (day >= window - 1) out[day] = sum / window;
  }
  return out;
}

/** Population std over the window; NaN while any value in it is NaN. */
function rollingStd(values: Float64Array, window: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let day = window - 1; day < values.length; day++) {
    let sum = 0;
    for (let offset = 0; offset < window; offset++) sum += values[day - offset];
    const mean = sum / window;
    let squares = 0;
    for (let offset = 0; offset < window; offset++) squares += (values[day - offset] - mean) ** 2;
    out[day] = Math.sqrt(squares / window);
  }
  return out;
}

function ema(values: Float64Array, span: number): Float64Array {
  const alpha = 2 / (span + 1);
  const out = new Float64Array(values.length);
  for (let day = 0; day < values.length; day++) {
    out[day] = day === 0 ? values[0] : out[day - 1] + alpha * (values[day] - out[day - 1]);
  }
  return out;
}

function rsi(close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  let gain = 0, loss = 0;
  for (let day = 1; day < close.length; day++) {
    const change = close[day] - close[day - 1];
    const up = Math.max(change, 0), down = Math.max(-change, 0);
    if (day <= period) {
      gain += up / period;
      loss += down / period;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    if (day >= period) out[day] = loss === 0 ? (gain === 0 ? 0.5 : 1) : 1 - 1 / (1 + gain / loss);
  }
  return out;
}

function bollingerPercentB(close: Float64Array, window: number, width: number): Float64Array {
  const mean = rollingMean(close, window);
  const deviation = rollingStd(close, window);
  return close.map((value, day) => {
    const band = 2 * width * deviation[day];
    return band > 0 ? (value - (mean[day] - width * deviation[day])) / band : NaN;
  });
}

function wilderAtr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  let atr = 0;
  for (let day = 1; day < close.length; day++) {
    const previous = close[day - 1];
    const range = Math.max(
      high[day] - low[day],
      Math.abs(high[day] - previous),
      Math.abs(low[day] - previous),
    );
    atr = day <= period ? atr + range / period : (atr * (period - 1) + range) / period;
    if (day >= period) out[day] = atr;
  }
  return out;
}
