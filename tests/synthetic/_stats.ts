/** Small statistics helpers for the synthetic-market tests. */

export function logReturns(close: ArrayLike<number>): number[] {
  const returns: number[] = [];
  for (let day = 1; day < close.length; day++) returns.push(Math.log(close[day] / close[day - 1]));
  return returns;
}

export function lagOneAutocorrelation(values: number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  let numerator = 0, denominator = 0;
  for (let index = 0; index < values.length; index++) {
    denominator += (values[index] - mean) ** 2;
    if (index > 0) numerator += (values[index] - mean) * (values[index - 1] - mean);
  }
  return numerator / denominator;
}

export function excessKurtosis(values: number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  let second = 0, fourth = 0;
  for (const value of values) {
    second += (value - mean) ** 2;
    fourth += (value - mean) ** 4;
  }
  second /= values.length;
  fourth /= values.length;
  return fourth / (second * second) - 3;
}

export function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
