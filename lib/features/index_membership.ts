/**
 * Index membership over time from a list of changes (`HS300_history.csv`: `chang_date,code,in_out`), to say
 * how many stocks of a universe were members on a day — the survivorship a universe of today's survivors hides.
 */

/** One change of a stock's membership. */
export interface MembershipEvent {
  /** The day of the change (ISO). */
  date: string;
  /** True when the stock joined the index that day, false when it left. */
  joined: boolean;
}

/** A stock's membership on a day: known from a change on or before it, or from the first change after it. */
export type Membership = "member" | "not a member" | "unknown";

/**
 * Parses the changes by six-digit code (`527` → `000527`), each stock's changes in date order.
 *
 * @example
 * ```ts
 * import { parseIndexMembership } from "./index_membership.ts";
 * parseIndexMembership("chang_date,code,in_out\n2013/9/18,527,dropout\n", "HS300_history.csv").get("000527");
 * // [{ date: "2013-09-18", joined: false }]
 * ```
 */
export function parseIndexMembership(text: string, fileName: string): Map<string, MembershipEvent[]> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines[0]?.trim() !== "chang_date,code,in_out") {
    throw new Error(
      `${fileName}, row 1: the header should be "chang_date,code,in_out", got "${lines[0] ?? ""}"`,
    );
  }
  const out = new Map<string, MembershipEvent[]>();
  for (let line = 1; line < lines.length; line++) {
    const [day, code, change] = lines[line].split(",").map((cell) => cell.trim());
    const date = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(day ?? "");
    if (date === null) {
      throw new Error(`${fileName}, row ${line + 1}, column chang_date: "${day}" is not YYYY/M/D`);
    }
    if (!/^\d{1,6}$/.test(code ?? "")) {
      throw new Error(`${fileName}, row ${line + 1}, column code: "${code}"`);
    }
    if (change !== "takein" && change !== "dropout") {
      throw new Error(
        `${fileName}, row ${line + 1}, column in_out: "${change}" is neither takein nor dropout`,
      );
    }
    const iso = `${date[1]}-${date[2].padStart(2, "0")}-${date[3].padStart(2, "0")}`;
    const events = out.get(code.padStart(6, "0")) ?? [];
    events.push({ date: iso, joined: change === "takein" });
    out.set(code.padStart(6, "0"), events);
  }
  for (const events of out.values()) events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return out;
}

/**
 * A stock's membership on `date`: from its last change on or before it, else from its first change after
 * it (a stock that first leaves was a member before); "unknown" for a stock with no change at all (a member
 * throughout or never one: the list cannot tell).
 *
 * @example
 * ```ts
 * import { membershipOn } from "./index_membership.ts";
 * membershipOn([{ date: "2015-06-15", joined: true }], "2014-01-02"); // "not a member"
 * ```
 */
export function membershipOn(events: readonly MembershipEvent[] | undefined, date: string): Membership {
  if (!events || events.length === 0) return "unknown";
  let last: MembershipEvent | undefined;
  for (const event of events) if (event.date <= date) last = event;
  if (last) return last.joined ? "member" : "not a member";
  return events[0].joined ? "not a member" : "member";
}
