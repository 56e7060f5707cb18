import assert from "node:assert/strict";
import {
  alignMarketByDate,
  checkMarketAlignment,
  commonCalendar,
  type DailyBarsData,
} from "../../lib/data/mod.ts";

function bars(dates: string[], marketlimit: number[]): DailyBarsData {
  const column = (offset: number) => Float64Array.from(dates, (_, i) => offset + i);
  return {
    dates,
    open: column(10),
    high: column(11),
    low: column(9),
    close: column(10),
    volume: column(100),
    optional: {
      marketvolume: Float64Array.from(marketlimit, (x) => x * 1000),
      marketlimit: Float64Array.from(marketlimit),
      marketrange: Float64Array.from(marketlimit, (x) => x * 10),
    },
  };
}

const calendar = ["2023-06-26", "2023-06-27", "2023-06-28", "2023-06-29"];

Deno.test("checkMarketAlignment: a stock with a suspension runs off the calendar", () => {
  assert.deepEqual(checkMarketAlignment(calendar, calendar), {
    aligned: true,
    misalignedRows: 0,
    firstMisaligned: -1,
  });
  const suspended = ["2023-06-21", "2023-06-26", "2023-06-28", "2023-06-29"];
  assert.deepEqual(checkMarketAlignment(suspended, calendar), {
    aligned: false,
    misalignedRows: 2,
    firstMisaligned: 0,
  });
});

Deno.test("alignMarketByDate: each stock day takes its own market row; days before the calendar are dropped", () => {
  // Market rows by position belong to the calendar days: 0.1 → 06-26, 0.2 → 06-27, 0.3 → 06-28, 0.4 → 06-29.
  const stock = bars(["2023-06-21", "2023-06-26", "2023-06-28", "2023-06-29"], [0.1, 0.2, 0.3, 0.4]);
  const { data, dropped } = alignMarketByDate(stock, calendar);
  assert.equal(dropped, 1);
  assert.deepEqual(data.dates, ["2023-06-26", "2023-06-28", "2023-06-29"]);
  assert.deepEqual(Array.from(data.optional.marketlimit!), [0.1, 0.3, 0.4]);
  assert.deepEqual(Array.from(data.optional.marketvolume!), [100, 300, 400]);
  assert.deepEqual(Array.from(data.close), [11, 12, 13], "stock columns keep their own rows");
});

Deno.test("commonCalendar: the most frequent date sequence, undefined without a majority of two", () => {
  const other = ["2023-06-21", ...calendar.slice(1)];
  assert.deepEqual(commonCalendar([calendar, other, [...calendar], [...calendar]]), calendar);
  assert.equal(commonCalendar([calendar, other]), undefined);
});
