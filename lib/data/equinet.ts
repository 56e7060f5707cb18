import type { DailyBarsData } from "./types.ts";

/**
 * The EquiNet market columns (Shanghai Composite values stored beside each stock row).
 *
 * @example
 * ```ts
 * import { loadBars, MARKET_COLUMNS } from "./mod.ts";
 * const bars = await loadBars("processed_000008.xlsx");
 * const present = MARKET_COLUMNS.filter((name) => bars[name] !== undefined);
 * ```
 */
export const MARKET_COLUMNS = ["marketvolume", "marketlimit", "marketrange"] as const;

/**
 * What {@link checkMarketAlignment} found for one file.
 *
 * @example
 * ```ts
 * import { checkMarketAlignment, type MarketAlignment } from "./mod.ts";
 * const found: MarketAlignment = checkMarketAlignment(["2023-06-26"], ["2023-06-26"]);
 * console.log(found.aligned); // true
 * ```
 */
export interface MarketAlignment {
  /** True when the file's dates are the calendar's first `n` dates, so market rows pair with the right day. */
  aligned: boolean;
  /** Rows whose stock date differs from the date of the market row stored beside it. */
  misalignedRows: number;
  /** First such row (0-based into the table), or -1. */
  firstMisaligned: number;
}

/**
 * Compares a file's dates with the market calendar (the dates of the market rows, in row order: EquiNet
 * stores the same market rows in every file, matched by position). For a stock with suspensions its own
 * dates run ahead of the calendar, so its market columns describe other days.
 *
 * @example
 * ```ts
 * import { checkMarketAlignment } from "./mod.ts";
 * const calendar = ["2023-06-26", "2023-06-27", "2023-06-28"];
 * const found = checkMarketAlignment(["2023-06-21", "2023-06-26", "2023-06-27"], calendar);
 * console.log(found.misalignedRows); // 3
 * ```
 */
export function checkMarketAlignment(dates: string[], calendar: string[]): MarketAlignment {
  let misalignedRows = 0;
  let firstMisaligned = -1;
  for (let i = 0; i < dates.length; i++) {
    if (dates[i] !== calendar[i]) {
      misalignedRows++;
      if (firstMisaligned < 0) firstMisaligned = i;
    }
  }
  return { aligned: misalignedRows === 0, misalignedRows, firstMisaligned };
}

/**
 * Re-pairs market columns with stock dates: the market row at calendar position k belongs to `calendar[k]`,
 * so each stock date takes the market row of its own day. Stock rows whose date is not on the calendar
 * (before it starts) have no market row and are dropped; the caller reports how many.
 * Returns the new data and the number of rows dropped.
 *
 * @example
 * ```ts
 * import { alignMarketByDate, loadBars } from "./mod.ts";
 * const bars = await loadBars("processed_000010.xlsx");
 * const calendar = (await loadBars("processed_000008.xlsx")).dates; // a stock without suspensions
 * const { data, dropped } = alignMarketByDate(bars.toData(), calendar);
 * ```
 */
export function alignMarketByDate(
  data: DailyBarsData,
  calendar: string[],
): { data: DailyBarsData; dropped: number } {
  // Only market rows the file holds (its own n rows) can be taken.
  const { keep, source } = pairByDate(data.dates, calendar, data.dates.length);
  const market = {} as Record<(typeof MARKET_COLUMNS)[number], Float64Array>;
  for (const name of MARKET_COLUMNS) {
    const column = data.optional[name];
    if (column) market[name] = Float64Array.from(source, (k) => column[k]);
  }
  return { data: withMarketColumns(data, keep, market), dropped: data.dates.length - keep.length };
}

/**
 * The by-date pairing both {@link alignMarketByDate} and {@link marketFromIndex} use: for each stock row
 * whose date is a market date (at a position below `limit`), the stock row kept and the market row it
 * takes.
 */
function pairByDate(
  stockDates: readonly string[],
  marketDates: readonly string[],
  limit = Infinity,
): { keep: number[]; source: number[] } {
  const position = new Map<string, number>();
  marketDates.forEach((date, k) => position.set(date, k));
  const keep: number[] = [];
  const source: number[] = [];
  for (let i = 0; i < stockDates.length; i++) {
    const k = position.get(stockDates[i]);
    if (k !== undefined && k < limit) {
      keep.push(i);
      source.push(k);
    }
  }
  return { keep, source };
}

/** The stock rows `keep` with the given market columns (one value per kept row) in place of the stored ones. */
function withMarketColumns(
  data: DailyBarsData,
  keep: readonly number[],
  market: Partial<Record<(typeof MARKET_COLUMNS)[number], Float64Array>>,
): DailyBarsData {
  const take = (column: Float64Array) => Float64Array.from(keep, (i) => column[i]);
  const optional: DailyBarsData["optional"] = {};
  const isMarket = (name: string): name is (typeof MARKET_COLUMNS)[number] =>
    (MARKET_COLUMNS as readonly string[]).includes(name);
  // The stored columns in their order (market ones replaced), then market columns the data did not have.
  for (const [name, column] of Object.entries(data.optional)) {
    if (!column) continue;
    if (isMarket(name)) {
      if (market[name]) optional[name] = market[name];
    } else optional[name as keyof DailyBarsData["optional"]] = take(column);
  }
  for (const name of MARKET_COLUMNS) if (market[name] && !optional[name]) optional[name] = market[name];
  return {
    dates: keep.map((i) => data.dates[i]),
    open: take(data.open),
    high: take(data.high),
    low: take(data.low),
    close: take(data.close),
    volume: take(data.volume),
    optional,
  };
}

/**
 * The most common date sequence among several files (the common EquiNet calendar), or undefined.
 *
 * @example
 * ```ts
 * import { commonCalendar } from "./mod.ts";
 * const a = ["2023-06-26", "2023-06-27"];
 * console.log(commonCalendar([a, a, ["2023-06-21", "2023-06-26"]])); // a
 * ```
 */
export function commonCalendar(dateLists: string[][]): string[] | undefined {
  const counts = new Map<string, { dates: string[]; count: number }>();
  for (const dates of dateLists) {
    const key = `${dates.length}|${dates[0]}|${dates[dates.length - 1]}|${dates.join("")}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { dates, count: 1 });
  }
  let best: { dates: string[]; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best && best.count >= 2 ? best.dates : undefined;
}

/** What pairing market rows by position feeds the stocks whose own dates skip days (suspensions). */
export interface ForwardPairingLeak {
  /** Files whose dates differ from the common calendar. */
  stocks: number;
  /** Stock days paired with a later day's market row. */
  laterDays: number;
  /** …of them more than `horizonDays` trading days later (beyond the label's horizon). */
  beyondHorizonDays: number;
  /** The most trading days a market row lies ahead of its stock day. */
  maxLeadDays: number;
  /** The horizon the count compares with. */
  horizonDays: number;
  /** Stock days paired with an earlier day's market row (none expected: suspensions only skip days). */
  earlierDays: number;
}

/**
 * Measures the forward leak of EquiNet's position pairing: the market row at position k belongs to the
 * common calendar's day k, but a stock suspended for some days holds as many rows reaching further back,
 * so its row k is an earlier day than the market row beside it. Leads are counted in trading days of
 * the union of all files' dates (so days before the calendar starts count too).
 *
 * @example
 * ```ts
 * import { forwardPairingLeak } from "./mod.ts";
 * const calendar = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"];
 * // Suspended on 01-03: its four rows start on 2023-12-29, so rows 0 and 1 sit beside 01-02 and 01-03.
 * const suspended = ["2023-12-29", "2024-01-02", "2024-01-04", "2024-01-05"];
 * forwardPairingLeak([calendar, calendar, suspended]).laterDays; // 2
 * ```
 */
export function forwardPairingLeak(dateLists: readonly string[][], horizonDays = 3): ForwardPairingLeak {
  const calendar = commonCalendar(dateLists as string[][]);
  const leak: ForwardPairingLeak = {
    stocks: 0,
    laterDays: 0,
    beyondHorizonDays: 0,
    maxLeadDays: 0,
    horizonDays,
    earlierDays: 0,
  };
  if (!calendar) return leak;
  const trading = [...new Set(dateLists.flat())].sort();
  const rank = new Map(trading.map((date, index) => [date, index]));
  for (const dates of dateLists) {
    if (dates.length === calendar.length && dates.every((date, row) => date === calendar[row])) continue;
    leak.stocks++;
    for (let row = 0; row < Math.min(dates.length, calendar.length); row++) {
      const lead = rank.get(calendar[row])! - rank.get(dates[row])!;
      if (lead > 0) leak.laterDays++;
      if (lead < 0) leak.earlierDays++;
      if (lead > horizonDays) leak.beyondHorizonDays++;
      leak.maxLeadDays = Math.max(leak.maxLeadDays, lead);
    }
  }
  return leak;
}

/** True when two files hold the same market rows by position (EquiNet's shared index rows). */
export function sameMarketRows(a: DailyBarsData, b: DailyBarsData): boolean {
  for (const name of MARKET_COLUMNS) {
    const x = a.optional[name], y = b.optional[name];
    if (!x || !y || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/**
 * Counts the rows of an EquiNet file whose market columns are another day's, by content: each market row
 * (marketvolume, marketlimit, marketrange) of `reference` — a file of the same universe whose dates are the
 * calendar, so each of its market rows names its own day — says which day a row of `data` describes. Works
 * whatever the file's length and however its rows were paired (by position, by date). Returns null when a
 * market row of `data` is not among the reference's (the columns are not the universe's shared rows, so their
 * pairing cannot be checked).
 *
 * @example
 * ```ts
 * import { loadBars, misalignedMarketRows } from "./mod.ts";
 * const reference = await loadBars("processed_000008.xlsx"); // no suspension: its dates are the calendar
 * const suspended = await loadBars("processed_000564.xlsx");
 * misalignedMarketRows(suspended.toData(), reference.toData()); // rows beside another day's market row
 * ```
 */
export function misalignedMarketRows(data: DailyBarsData, reference: DailyBarsData): number | null {
  const keyOf = (columns: DailyBarsData, row: number) =>
    MARKET_COLUMNS.map((name) => columns.optional[name]![row]).join("|");
  if (MARKET_COLUMNS.some((name) => !data.optional[name] || !reference.optional[name])) return null;
  const dayOf = new Map<string, string>();
  for (let row = 0; row < reference.dates.length; row++) {
    dayOf.set(keyOf(reference, row), reference.dates[row]);
  }
  let misaligned = 0;
  for (let row = 0; row < data.dates.length; row++) {
    const day = dayOf.get(keyOf(data, row));
    if (day === undefined) return null;
    if (day !== data.dates[row]) misaligned++;
  }
  return misaligned;
}

/**
 * Rebuilds the EquiNet market columns from index bars (e.g. the Shanghai Composite), by date: for each stock
 * date, `marketvolume` = index volume, `marketlimit` = index close / open - 1, `marketrange` = index high - low.
 * Stock rows whose date the index lacks are dropped; the caller reports how many.
 *
 * @example
 * ```ts
 * import { loadBars, marketFromIndex } from "./mod.ts";
 * const sse = await loadBars("sse_2023_2025.csv");
 * const stock = await loadBars("processed_000010.xlsx");
 * const { data, dropped } = marketFromIndex(stock.toData(), sse.toData());
 * ```
 */
export function marketFromIndex(
  data: DailyBarsData,
  index: DailyBarsData,
): { data: DailyBarsData; dropped: number } {
  const { keep, source } = pairByDate(data.dates, index.dates);
  const market = {
    marketvolume: Float64Array.from(source, (k) => index.volume[k]),
    marketlimit: Float64Array.from(source, (k) => index.close[k] / index.open[k] - 1),
    marketrange: Float64Array.from(source, (k) => index.high[k] - index.low[k]),
  };
  return { data: withMarketColumns(data, keep, market), dropped: data.dates.length - keep.length };
}
