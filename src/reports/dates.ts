/**
 * Dates as people read them, always in UTC and saying so ("Tue 3 Nov 2026, 09:30 UTC"): the page is
 * read in several time zones and a figure's date must not move with the reader. No locale, no clock.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const two = (n: number): string => String(n).padStart(2, "0");

/** "3 Nov 2026" (UTC). */
function humanDay(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ""} ${d.getUTCFullYear()}`;
}

/** "Tue 3 Nov 2026, 09:30 UTC". */
export function humanDateTime(d: Date): string {
  return `${DAYS[d.getUTCDay()] ?? ""} ${humanDay(d)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** "2026-10" -> "Oct 2026"; anything else is returned as it is (months are validated before rendering). */
export function humanMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1] ?? ""}` : month;
}
