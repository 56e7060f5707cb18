/**
 * Speed of the hybrid pipeline's pure kernels on a realistic size: 100 stocks × 2,688 days (the
 * fundamentals/daily universe). Run with `deno bench -A tests/bench/hybrid_bench.ts`.
 */
import { backtestTopK, type MarketPanel, momentumScores } from "../../lib/eval/mod.ts";
import { technicalFeatures } from "../../lib/features/mod.ts";
import { minimize, uniform } from "../../lib/tune/mod.ts";
import { createRandom } from "../../lib/random/mod.ts";

const STOCKS = 100, DAYS = 2688;
const random = createRandom(1);
const start = Date.UTC(2012, 5, 11);
const dates = Array.from(
  { length: DAYS },
  (_, day) => new Date(start + day * 86_400_000).toISOString().slice(0, 10),
);
const close = Array.from({ length: STOCKS }, () => {
  const series = new Float64Array(DAYS);
  let price = 10;
  for (let day = 0; day < DAYS; day++) series[day] = price *= Math.exp(random.normal(0, 0.02));
  return series;
});
const panel: MarketPanel = {
  dates,
  codes: close.map((_, index) => `sh.${600000 + index}`),
  close,
  open: close,
};
const scores = momentumScores(close, 20);

Deno.bench("backtestTopK: 100 stocks × 2,688 days, top 10, every 5 days", () => {
  backtestTopK(panel, scores, { topK: 10 });
});

Deno.bench("technicalFeatures: 15 features × 2,688 days, one stock", () => {
  const series = close[0];
  technicalFeatures({
    close: series,
    high: series.map((v) => v * 1.01),
    low: series.map((v) => v * 0.99),
    volume: series,
  });
});

Deno.bench("TPE: 50 trials on a 2-parameter quadratic", async () => {
  await minimize((p) => ((p.x as number) - 0.3) ** 2 + ((p.y as number) - 0.6) ** 2, {
    x: uniform(0, 1),
    y: uniform(0, 1),
  }, {
    seed: 1,
  });
});
