import type { SqlRunner } from "../../src/db/client.js";
import { query } from "../../src/db/sql.js";
import { Q } from "./statements.js";

/**
 * The demo compresses months into seconds, but a close freezes a month's own figures, rebuilt from
 * cost_history as of its last instant (docs/month-close.md), and refuses a month before cost-sync's
 * first history. So after each act the demo moves what it just did back into the month that act
 * stands for: everything since the current month began is shifted by one interval to end at noon
 * on the 15th of `month` (queries/backdate.sql), keeping its order. The tests backdate their seeds
 * the same way (test/support/month-close-seed.ts, executive-fixtures.ts `since`).
 */
export async function backdateTo(db: SqlRunner, month: string, now = new Date()): Promise<void> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  const [r] = await query(db, Q.backdate, { since, to: `${month}-15T12:00:00Z` });
  process.stdout.write(
    `   (backdated into ${month}: ${String(r?.history ?? 0)} cost changes, ${String(r?.resources ?? 0)} VPS and IP ` +
      `creations, ${String(r?.runs ?? 0)} reconciliation runs, ${String(r?.other ?? 0)} other timestamps)\n`,
  );
}
