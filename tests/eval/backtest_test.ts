import assert from "node:assert/strict";
import { assertClose } from "../_close.ts";
import {
  backtestTopK,
  commission,
  equalWeightBuyAndHold,
  indexBuyAndHold,
  type MarketPanel,
  momentumBacktest,
  momentumScores,
  Portfolio,
  priceLimitRate,
  scoreMatrix,
  stampDutyRate,
  topKStocks,
} from "../../lib/eval/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assertClose(actual, expected, { absolute: tolerance });

function onePanel(dates: string[], closes: number[], extra: Partial<MarketPanel> = {}): MarketPanel {
  return { dates, codes: ["sh.600000"], close: [closes], ...extra };
}

Deno.test("rules: stamp duty switches on 2023-08-28; limits by board and date; minimum commission", () => {
  assert.equal(stampDutyRate("2023-08-27"), 0.001);
  assert.equal(stampDutyRate("2023-08-28"), 0.0005);
  assert.equal(priceLimitRate("sh.600000", "2021-01-04"), 0.1);
  assert.equal(priceLimitRate("sh.600000", "2021-01-04", true), 0.05);
  assert.equal(priceLimitRate("sz.300750", "2020-08-21"), 0.1);
  assert.equal(priceLimitRate("300750.XSHE", "2020-08-24"), 0.2);
  assert.equal(priceLimitRate("sh.688981", "2019-07-22"), 0.2);
  assert.equal(commission(10_000, 0.0003, 5), 5);
  close(commission(100_000, 0.0003, 5), 30);
  assert.equal(commission(0, 0.0003, 5), 0);
  assert.throws(() => stampDutyRate("2023/08/28"), /ISO date/);
});

Deno.test("fees: commission both sides and 0.1% stamp duty on a sell before 2023-08-28", () => {
  const book = new Portfolio(onePanel(["2023-08-24", "2023-08-25"], [10, 10]), {
    capitalCny: 10_000,
    fillAt: "close",
  });
  assert.ok(book.buy(0, 0, 10_000));
  const bought = 10_000 / 1.0003;
  close(book.trades[0].value, bought);
  close(book.trades[0].commission, bought * 0.0003);
  assert.ok(book.sellAll(0, 1));
  close(book.trades[1].stampDuty, bought * 0.001);
  close(book.cash, bought * (1 - 0.0003 - 0.001));
  close(book.trades[1].profit!, bought * (1 - 0.0003 - 0.001) - 10_000);
});

Deno.test("fees: 0.05% stamp duty from 2023-08-28, and the 5 CNY minimum commission", () => {
  const book = new Portfolio(onePanel(["2023-08-25", "2023-08-28"], [10, 10]), {
    capitalCny: 10_000,
    minimumFeeCny: 5,
    fillAt: "close",
  });
  book.buy(0, 0, 10_000);
  // 0.03% of ~10,000 is ~3 < 5: value = 10,000 − 5
  close(book.trades[0].value, 9_995);
  close(book.trades[0].commission, 5);
  book.sellAll(0, 1);
  close(book.trades[1].stampDuty, 9_995 * 0.0005);
  close(book.cash, 9_995 - 5 - 9_995 * 0.0005);
});

Deno.test("T+1: a position bought today cannot be sold today, only tomorrow", () => {
  const book = new Portfolio(onePanel(["2023-01-03", "2023-01-04", "2023-01-05"], [10, 10, 10]), {
    fillAt: "close",
  });
  assert.ok(book.buy(0, 1, 1000));
  assert.equal(book.sellAll(0, 1), false);
  assert.deepEqual(book.refusals, [{ day: 1, stock: 0, side: "sell", reason: "T+1" }]);
  assert.ok(book.shares[0] > 0);
  assert.ok(book.sellAll(0, 2));
  assert.equal(book.shares[0], 0);
});

Deno.test("limit up: no buy when the fill price sits at +10% (within tolerance); +9.8% is fine", () => {
  const dates = ["2021-01-04", "2021-01-05"];
  const refused = (openPrice: number, code = "sh.600000", days = dates) => {
    const panel: MarketPanel = { dates: days, codes: [code], close: [[10, 10]], open: [[10, openPrice]] };
    const book = new Portfolio(panel);
    return !book.buy(0, 1, 1000) && book.refusals[0]?.reason === "limit up";
  };
  assert.ok(refused(11.0));
  assert.ok(refused(10.99)); // +9.9%: the cent-rounded limit
  assert.equal(refused(10.98), false); // +9.8%
  // ChiNext: +10% was the limit before 2020-08-24, not after
  assert.ok(refused(11.0, "sz.300001", ["2020-08-20", "2020-08-21"]));
  assert.equal(refused(11.0, "sz.300001", ["2020-08-21", "2020-08-24"]), false);
  assert.ok(refused(12.0, "sz.300001", ["2020-08-21", "2020-08-24"]));
  assert.equal(refused(11.0, "sh.688001", ["2019-07-22", "2019-07-23"]), false);
});

Deno.test("limit down: a sell at −10% is refused and retried at the next rebalance", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06", "2021-01-07", "2021-01-08"],
    codes: ["sh.600000", "sh.600001"],
    close: [[10, 10, 9, 9, 9], [10, 10, 10, 10, 10]],
  };
  // day 0: want stock 0; day 1 (signal): want stock 1 → sell stock 0 on day 2 at −10%: refused
  const scores = [[1, 0, 0, 0, 0], [0, 1, 1, 1, 1]];
  const result = backtestTopK(panel, scores, { topK: 1, rebalanceEveryDays: 1, fillAt: "close" });
  assert.deepEqual(result.refusals.map((r) => [r.day, r.stock, r.side, r.reason]), [[
    2,
    0,
    "sell",
    "limit down",
  ]]);
  const sells = result.trades.filter((trade) => trade.side === "sell");
  assert.deepEqual(sells.map((trade) => [trade.day, trade.stock]), [[3, 0]]);
});

Deno.test("suspension: no trade when tradestatus is 0; a held suspended stock keeps its last price", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06"],
    codes: ["sh.600000"],
    close: [[10, NaN, 11]],
    tradeStatus: [[1, 0, 1]],
  };
  const book = new Portfolio(panel, { fillAt: "close", feeRate: 0 });
  assert.equal(book.buy(0, 1, 1000), false);
  assert.equal(book.refusals[0].reason, "suspended");
  assert.ok(book.buy(0, 0, 1000));
  close(book.valueAt(1), 1_000_000);
  assert.equal(book.sellAll(0, 1), false);
  close(book.valueAt(2), 1_000_000 + 100);
});

Deno.test("backtestTopK: hand-computed curve, trades and metrics without costs", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06", "2021-01-07", "2021-01-08"],
    codes: ["sh.600000", "sh.600001", "sh.600002"],
    close: [[10, 10, 11, 11, 12], [20, 20, 20, 20, 22], [5, 5, 5, 5, 5]],
  };
  const scores = [[3, 0, 1, 0, 9], [2, 0, 3, 0, 0], [1, 0, 2, 0, 0]];
  const result = backtestTopK(panel, scores, {
    topK: 1,
    rebalanceEveryDays: 2,
    fillAt: "close",
    feeRate: 0,
    stampDuty: () => 0,
  });
  // signal day 0 → buy A on day 1 at 10; signal day 2 → switch to B on day 3 (A sold at 11, B bought at 20)
  assert.deepEqual(result.selections, [{ signalDay: 0, targets: [0] }, { signalDay: 2, targets: [1] }]);
  assert.deepEqual(Array.from(result.values).map((v) => Math.round(v)), [1e6, 1e6, 1.1e6, 1.1e6, 1.21e6]);
  assert.deepEqual(Array.from(result.tradedValue), [0, 1e6, 0, 2.2e6, 0]);
  assert.equal(result.metrics.winBasis, "trades");
  assert.equal(result.metrics.winRate, 1);
  close(result.metrics.totalReturn, 0.21);
  close(result.trades[1].profit!, 100_000);
  close(result.metrics.maxDrawdown, 0);
});

Deno.test("backtestTopK: a score after the signal day cannot change the selection", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06"],
    codes: ["sh.600000", "sh.600001"],
    close: [[10, 10, 10], [10, 10, 10]],
  };
  const a = backtestTopK(panel, [[1, 0, 0], [0, 0, 0]], { topK: 1, fillAt: "close", rebalanceEveryDays: 5 });
  const b = backtestTopK(panel, [[1, -9, -9], [0, 9, 9]], {
    topK: 1,
    fillAt: "close",
    rebalanceEveryDays: 5,
  });
  assert.deepEqual(a.selections, b.selections);
  assert.deepEqual(a.values, b.values);
});

Deno.test("topKStocks skips missing scores and breaks ties by index", () => {
  assert.deepEqual(topKStocks([[0.1], [NaN], [0.5], [0.1]], 0, 3), [2, 0, 3]);
});

Deno.test("benchmarks: equal-weight buy-and-hold, index buy-and-hold, momentum scores", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06"],
    codes: ["sh.600000", "sh.600001"],
    close: [[10, 10, 11], [20, 20, 19]],
  };
  const equal = equalWeightBuyAndHold(panel, { fillAt: "close", feeRate: 0 });
  assert.deepEqual(Array.from(equal.values), [1e6, 1e6, 1.025e6]);
  const index = indexBuyAndHold([3000, 3030, 2970]);
  assert.deepEqual(Array.from(index.values), [1e6, 1.01e6, 0.99e6]);
  close(index.metrics.maxDrawdown, 0.99 / 1.01 - 1);
  const momentum = momentumScores([[10, 11, 12, NaN, 13]], 2);
  assert.ok(Number.isNaN(momentum[0][1]));
  close(momentum[0][2], 0.2);
  assert.ok(Number.isNaN(momentum[0][3]));
  close(momentum[0][4], 13 / 12 - 1);
  const rule = momentumBacktest(panel, 1, { topK: 1, fillAt: "close", feeRate: 0, rebalanceEveryDays: 1 });
  // day 1: both returns 0 → tie → stock 0 bought on day 2
  assert.deepEqual(rule.selections[1], { signalDay: 1, targets: [0] });
});

Deno.test("panel validation names the series and stock", () => {
  const panel: MarketPanel = { dates: ["2021-01-04", "2021-01-05"], codes: ["sh.600000"], close: [[10]] };
  assert.throws(() => backtestTopK(panel, [[1, 1]]), /close\[0\] \(sh.600000\): 1 values for 2 dates/);
  assert.throws(() => new Portfolio({ ...panel, close: [[1, 2]] }), /fillAt "open" needs panel.open/);
});

Deno.test("buy-and-hold has no closed trade: win rate falls back to days, and says so", () => {
  const panel: MarketPanel = {
    dates: ["2021-01-04", "2021-01-05", "2021-01-06", "2021-01-07"],
    codes: ["sh.600000"],
    close: [[10, 10, 11, 10.5]],
  };
  const result = equalWeightBuyAndHold(panel, { fillAt: "close", feeRate: 0 });
  assert.equal(result.metrics.winBasis, "days");
  close(result.metrics.winRate, 1 / 3);
});

const DAILY = "../shared/data/fundamentals/daily/sh.600004.csv";
const hasDaily = await Deno.stat(DAILY).then(() => true, () => false);

Deno.test({
  name: "real data (sh.600004): BaoStock's limit days are refused with preclose as the previous close",
  ignore: !hasDaily,
  fn: async () => {
    const rows = (await Deno.readTextFile(DAILY)).trim().split("\n").slice(1).map((line) => line.split(","));
    const column = (index: number) => rows.map((row) => Number(row[index]));
    const panel: MarketPanel = {
      dates: rows.map((row) => row[0]),
      codes: ["sh.600004"],
      open: [column(2)],
      close: [column(5)],
      previousClose: [column(6)],
      tradeStatus: [column(11)],
    };
    const book = new Portfolio(panel, { fillAt: "close" });
    const pctChg = column(12);
    let up = 0, down = 0, suspended = 0;
    for (let day = 1; day < rows.length; day++) {
      const reason = book.refusalReason(0, day, pctChg[day] > 0 ? "buy" : "sell");
      if (panel.tradeStatus![0][day] === 0) {
        assert.equal(reason, "suspended");
        suspended++;
      } else if (pctChg[day] >= 9.9) {
        assert.equal(reason, "limit up", `${panel.dates[day]} ${pctChg[day]}%`);
        up++;
      } else if (pctChg[day] <= -9.9) {
        assert.equal(reason, "limit down", `${panel.dates[day]} ${pctChg[day]}%`);
        down++;
      } else if (Math.abs(pctChg[day]) < 9.8) {
        assert.equal(reason, null, `${panel.dates[day]} ${pctChg[day]}%`);
      }
    }
    assert.ok(up > 0 && down > 0, `${up} limit-up and ${down} limit-down days`);
  },
});

Deno.test("scoreMatrix places predictions and refuses duplicates", () => {
  const scores = scoreMatrix(2, 3, [{ stock: 1, day: 2, value: 0.03 }, { stock: 0, day: 0, value: -0.01 }]);
  assert.deepEqual(Array.from(scores[1]), [NaN, NaN, 0.03]);
  assert.equal(scores[0][0], -0.01);
  assert.throws(
    () => scoreMatrix(1, 1, [{ stock: 0, day: 0, value: 1 }, { stock: 0, day: 0, value: 2 }]),
    /two predictions/,
  );
  assert.throws(() => scoreMatrix(1, 1, [{ stock: 1, day: 0, value: 1 }]), /outside 1 × 1/);
});
