import type { CommandRepositories } from "../db/command-repositories.js";
import type { CloseOutcome, CloseRequest, MonthCloseRecord } from "../db/month-end/month-close.js";
import type { Repositories } from "../db/repositories.js";
import { InputError } from "./errors.js";

export type { MonthCloseRecord };

/** What a close found or did; `refreshed` is false when a close was already in force before anything ran. */
export interface MonthCloseResult {
  done: CloseOutcome;
  refreshed: boolean;
}

/**
 * Refuses, as `InputError`, a month before the first month cost-sync has any history for: a close
 * freezes the month's own figures, rebuilt from cost_history, and there are none before it (they
 * would be today's costs written into a past cost-sync never saw).
 */
async function checkClosable(repos: Pick<Repositories, "monthClose">, month: string): Promise<void> {
  const first = await repos.monthClose.firstHistoryMonth();
  if (first === undefined)
    throw new InputError(`${month} cannot be closed: cost-sync has no history yet (no cost change, no reconciliation)`);
  // `YYYY-MM` text compares as months do, and no date is built from a year PostgreSQL refuses.
  if (month < first)
    throw new InputError(
      `${month} cannot be closed: it is before ${first}, the first month cost-sync has any history for, ` +
        "so there are no figures of that month to freeze",
    );
}

/**
 * Closes a month (docs/month-close.md), the one way both `close-month` and the scheduled
 * reconciliation do it: a month before cost-sync's history is refused (`checkClosable`); a month
 * already closed is left as it is; otherwise it is closed with the month's own figures, rebuilt from
 * cost_history as of its last instant (the close statement does not read the live views; they are
 * still refreshed so that the page shows what was just closed). The close statement re-checks, so a
 * close made between the read and it is left alone too.
 */
export async function closeMonth(
  repos: Pick<Repositories, "monthClose" | "attribution">,
  r: CloseRequest,
): Promise<MonthCloseResult> {
  await checkClosable(repos, r.month);
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
