/** A trading calendar of weekdays (no holidays): the synthetic market's dates. */

/**
 * `count` consecutive weekdays as ISO dates (`YYYY-MM-DD`), starting at `startDate` or the first
 * weekday after it. Holidays are not modelled: every Monday–Friday is a trading day.
 *
 * @example
 * ```ts
 * import { weekdayCalendar } from "./calendar.ts";
 * weekdayCalendar("2024-01-05", 3); // ["2024-01-05", "2024-01-08", "2024-01-09"]
 * ```
 */
export function weekdayCalendar(startDate: string, count: number): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
  if (!match) {
    throw new RangeError(`weekdayCalendar: startDate must be YYYY-MM-DD, got ${JSON.stringify(startDate)}`);
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`weekdayCalendar: count must be an integer >= 0, got ${count}`);
  }
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (day.toISOString().slice(0, 10) !== startDate) {
    throw new RangeError(`weekdayCalendar: ${startDate} is not a calendar date`);
  }
  const dates: string[] = [];
  while (dates.length < count) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return dates;
}
