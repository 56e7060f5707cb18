/**
 * China macro factors: parse the monthly table and put each figure on the daily calendar only from
 * the day it was published.
 *
 * The values in `cn_macro_monthly_2010_2025.csv` are as revised later, not as first printed; the
 * publication lags below at least stop a month's figure from being used before its release.
 *
 * @module
 */

/** The macro series we use, by short name → CSV column. */
export const MACRO_COLUMNS = {
  cpi: "cpi_yoy_pct",
  unemployment: "urban_surveyed_unemployment_pct",
  pmi: "pmi_manufacturing",
  m2: "m2_yoy_pct",
  bondYield: "cgb_10y_yield_pct_month_end",
  gdp: "gdp_real_yoy_pct_quarter_wind",
} as const;

/** Short name of a macro series. */
export type MacroName = keyof typeof MACRO_COLUMNS;

/**
 * Calendar days from the end of a figure's month (for GDP: the quarter-end month) to the first day
 * it may be used: CPI 20, unemployment 20, GDP 20, M2 20, PMI 1 (released on the month's last day, used
 * from the next), 10-year yield 1 (the month-end close).
 *
 * Porting note: the seed does not lag its macro inputs at all; these lags are ours, from the NBS / PBoC
 * release calendar with a margin: CPI usually comes out around the 9th-10th of the next month but came
 * on 2019-10-15 for September 2019 and on 2019-02-15 for January 2019 (Spring Festival), and M2 moves
 * with the same holidays — so both wait 20 days, the latest release seen, not the usual one.
 */
export const PUBLICATION_LAG_DAYS: Record<MacroName, number> = {
  cpi: 20,
  unemployment: 20,
  gdp: 20,
  pmi: 1,
  m2: 20,
  bondYield: 1,
};

/** The monthly table. */
export interface MacroMonthly {
  /** Months `YYYY-MM`, ascending. */
  months: string[];
  /** One series per short name, aligned with `months`; NaN where the cell is empty. */
  series: Record<MacroName, Float64Array>;
}

/**
 * Parses `cn_macro_monthly_2010_2025.csv`. Empty cells are missing (NaN): surveyed unemployment
 * starts in 2016 and skips a few months, GDP exists on quarter-end months only. Errors name the
 * file, row (header = 1), column and value.
 *
 * @example
 * ```ts
 * import { parseMacroCsv } from "./macro.ts";
 * const header = "month,cpi_yoy_pct,urban_surveyed_unemployment_pct,pmi_manufacturing,m2_yoy_pct," +
 *   "cgb_10y_yield_pct_month_end,gdp_real_yoy_pct_quarter_wind";
 * const table = parseMacroCsv(`${header}\n2010-03,2.4,,55.1,22.5,3.48,12.2\n`, "macro.csv");
 * table.series.unemployment[0]; // NaN
 * ```
 */
export function parseMacroCsv(text: string, fileName: string): MacroMonthly {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "");
  if (lines.length === 0) throw new Error(`${fileName}: empty file`);
  const header = lines[0].split(",");
  if (header[0] !== "month") {
    throw new Error(`${fileName}, row 1: first column should be "month", got "${header[0]}"`);
  }
  const positions = {} as Record<MacroName, number>;
  for (const [name, column] of Object.entries(MACRO_COLUMNS) as [MacroName, string][]) {
    const position = header.indexOf(column);
    if (position < 0) throw new Error(`${fileName}, row 1: column "${column}" is missing`);
    positions[name] = position;
  }
  const months: string[] = [];
  const series = {} as Record<MacroName, Float64Array>;
  for (const name of Object.keys(MACRO_COLUMNS) as MacroName[]) {
    series[name] = new Float64Array(lines.length - 1);
  }
  for (let line = 1; line < lines.length; line++) {
    const row = line + 1;
    const cells = lines[line].split(",");
    if (cells.length !== header.length) {
      throw new Error(`${fileName}, row ${row}: ${cells.length} cells, the header has ${header.length}`);
    }
    const month = cells[0];
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      throw new Error(`${fileName}, row ${row}, column month: "${month}"`);
    }
    if (months.length > 0 && !(month > months[months.length - 1])) {
      throw new Error(
        `${fileName}, row ${row}, column month: ${month} is not after ${months[months.length - 1]}`,
      );
    }
    months.push(month);
    for (const name of Object.keys(MACRO_COLUMNS) as MacroName[]) {
      const cell = cells[positions[name]].trim();
      const value = cell === "" ? NaN : Number(cell);
      if (cell !== "" && !Number.isFinite(value)) {
        throw new Error(`${fileName}, row ${row}, column ${MACRO_COLUMNS[name]}: "${cell}" is not a number`);
      }
      series[name][line - 1] = value;
    }
  }
  return { months, series };
}

/**
 * The first day (ISO) a month's figure may be used: the month's last day plus `lagDays`.
 *
 * @example
 * ```ts
 * import { releaseDate } from "./macro.ts";
 * releaseDate("2020-02", 10); // "2020-03-10"
 * ```
 */
export function releaseDate(month: string, lagDays: number): string {
  const year = Number(month.slice(0, 4)), monthNumber = Number(month.slice(5, 7));
  const monthEnd = Date.UTC(year, monthNumber, 0); // day 0 of the next month = last day of this one
  return new Date(monthEnd + lagDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Daily macro series: on each date, the latest month whose figure had been released
 * ({@link releaseDate} with {@link PUBLICATION_LAG_DAYS}), carried forward until the next release.
 * Months with no value are skipped (the previous figure stays in force); days before the first
 * released value are NaN — unemployment before its 2016 start is never back-filled.
 *
 * @example
 * ```ts
 * import { macroToDaily, parseMacroCsv } from "./macro.ts";
 * // const daily = macroToDaily(parseMacroCsv(text, file), ["2016-02-01", "2016-02-16"]);
 * ```
 */
export function macroToDaily(
  monthly: MacroMonthly,
  dates: readonly string[],
  lagDays: Partial<Record<MacroName, number>> = {},
): Record<MacroName, Float64Array> {
  for (let day = 1; day < dates.length; day++) {
    if (!(dates[day] > dates[day - 1])) {
      throw new RangeError(`macroToDaily: dates not ascending at index ${day}`);
    }
  }
  const daily = {} as Record<MacroName, Float64Array>;
  for (const name of Object.keys(MACRO_COLUMNS) as MacroName[]) {
    const lag = lagDays[name] ?? PUBLICATION_LAG_DAYS[name];
    const values = monthly.series[name];
    const out = new Float64Array(dates.length).fill(NaN);
    let month = 0, current = NaN;
    for (let day = 0; day < dates.length; day++) {
      while (month < monthly.months.length && releaseDate(monthly.months[month], lag) <= dates[day]) {
        if (!Number.isNaN(values[month])) current = values[month];
        month++;
      }
      out[day] = current;
    }
    daily[name] = out;
  }
  return daily;
}
