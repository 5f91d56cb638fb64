import { signedDifference } from "./decimal.js";
import { humanMonth } from "./dates.js";
import { esc } from "./html-escape.js";

/** Which way a figure should move: revenue up is good, cost up is bad, a count of tenants is neither. */
export type Better = "up" | "down" | "neither";

/** The change line under a card: "+120.50 USD since Oct 2026 close", coloured by whether it is good news. */
function line(diff: string, unit: string, since: string, better: Better): string {
  const dir = diff.startsWith("+") ? "up" : diff.startsWith("-") ? "down" : "flat";
  const tone = dir === "flat" || better === "neither" ? "" : dir === better ? " good" : " bad";
  const arrow = dir === "up" ? "▲ " : dir === "down" ? "▼ " : "";
  return `<div class="k-c${tone}">${arrow}${esc(`${diff}${unit}`)} ${esc(since)}</div>`;
}

/** The base of a change: "since Oct 2026 close". */
function sinceClose(month: string): string {
  return `since ${humanMonth(month)} close`;
}

/** The card's change line for an exact figure against the close's, or why there is none. */
export function changeLine(
  now: string | null,
  then: { value: string | null; month: string } | null | undefined,
  o: { unit: string; better: Better; since?: string },
): string {
  if (!then) return `<div class="k-c">no closed month yet</div>`;
  if (now === null || then.value === null)
    return `<div class="k-c">not comparable with ${esc(humanMonth(then.month))}</div>`;
  return line(signedDifference(now, then.value), o.unit, o.since ?? sinceClose(then.month), o.better);
}

/** The change line of a count ("+2 since Oct 2026 close"). */
export function countChange(now: number, then: { value: number; month: string } | null | undefined): string {
  if (!then) return `<div class="k-c">no closed month yet</div>`;
  const d = now - then.value;
  return line(d > 0 ? `+${d}` : String(d), "", sinceClose(then.month), "neither");
}
