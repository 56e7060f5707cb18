import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import { backtestTopK, backtestTopKWithExposure, type MarketPanel } from "../../lib/eval/mod.ts";

function panel(): MarketPanel {
  const dates = Array.from({ length: 12 }, (_, day) => `2023-01-${String(day + 3).padStart(2, "0")}`);
  const close = [0.01, -0.005, 0.003].map((drift, stock) =>
    Float64Array.from(
      dates,
      (_, day) => (10 + stock) * (1 + drift) ** day * (1 + 0.004 * Math.sin(day + stock)),
    )
  );
  return { dates, codes: ["sh.600000", "sh.600001", "sh.600002"], close };
}
const scores = [
  Float64Array.from({ length: 12 }, () => 3),
  Float64Array.from({ length: 12 }, () => 2),
  Float64Array.from({ length: 12 }, () => 1),
];

Deno.test("backtestTopKWithExposure with exposure 1 matches backtestTopK", () => {
  const market = panel();
  const plain = backtestTopK(market, scores, { topK: 2, fillAt: "close", rebalanceEveryDays: 3 });
  const scaled = backtestTopKWithExposure(market, scores, new Float64Array(12).fill(1), {
    topK: 2,
    fillAt: "close",
    rebalanceEveryDays: 3,
  });
  for (let day = 0; day < 12; day++) assertClose(plain.values[day], scaled.values[day], { absolute: 1e-6 });
});

Deno.test("backtestTopKWithExposure at 0.5 holds half the stocks and keeps the rest in cash", () => {
  const market = panel();
  const result = backtestTopKWithExposure(market, scores, new Float64Array(12).fill(0.5), {
    topK: 2,
    fillAt: "close",
    rebalanceEveryDays: 100,
  });
  assert.deepEqual(result.selections[0].targets, [0]);
  const bought = result.trades.filter((trade) => trade.side === "buy");
  assert.equal(bought.length, 1);
  // half the capital (commission included) went into the stock
  assertClose(bought[0].value + bought[0].commission, 500_000, { absolute: 1e-6 });
  const stockGain = market.close[0][11] / market.close[0][1];
  const expected = 500_000 + (500_000 / 1.0003) * stockGain;
  assertClose(result.values[11], expected, { absolute: 1e-3 });
});

Deno.test("backtestTopKWithExposure refuses exposures outside 0..1", () => {
  assert.throws(
    () => backtestTopKWithExposure(panel(), scores, new Float64Array(12).fill(1.5), { fillAt: "close" }),
    /exposure on day 0 is 1.5/,
  );
});
