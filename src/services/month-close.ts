import type { CommandRepositories } from "../db/command-repositories.js";
import type { CloseOutcome, CloseRequest, MonthCloseRecord } from "../db/month-end/month-close.js";
import type { Repositories } from "../db/repositories.js";

export type { MonthCloseRecord };

/** What a close found or did; `refreshed` is false when a close was already in force before anything ran. */
export interface MonthCloseResult {
  done: CloseOutcome;
  refreshed: boolean;
}

/**
 * Closes a month (docs/month-close.md), the one way both `close-month` and the scheduled
 * reconciliation do it: a month already closed is left as it is; otherwise the figures behind the
 * views are recomputed first, so the close freezes the latest costs. The close statement re-checks,
 * so a close made between the read and it is left alone too.
 */
export async function closeMonth(
  repos: Pick<Repositories, "monthClose" | "attribution">,
  r: CloseRequest,
): Promise<MonthCloseResult> {
  const existing = await repos.monthClose.inForce(r.month);
  if (existing) return { done: { outcome: "already closed", close: existing }, refreshed: false };
  await repos.attribution.refresh();
  return { done: await repos.monthClose.close(r), refreshed: true };
}

/** Puts a month's close aside (kept on record with who, when and why); undefined when the month was not closed. */
export function reopenMonth(
  repos: Pick<CommandRepositories, "monthClose">,
  r: { month: string; reopenedBy: string; reason: string },
): Promise<MonthCloseRecord | undefined> {
  return repos.monthClose.reopen(r);
}
