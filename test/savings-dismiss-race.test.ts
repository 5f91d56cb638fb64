import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { query, statement } from "../src/db/sql.js";
import { runInProcess } from "./support/cli-streams.js";
import { savingsWorld, SID } from "./support/savings-world.js";

// A dismissal and a refresh at once (docs/savings.md, "State"): Finance's `savings dismiss` holds its
// row while a refresh records. The refresh notes the unchanged opportunities in one statement and
// records the rest in another, so what it writes must be decided in the writing statement, on the
// row as the dismissal left it: a dismissal on unchanged facts survives, one on facts that changed
// meanwhile is reopened and says so.

const world = savingsWorld();
const { h } = world;
const DISMISS = statement<{ id: string; operator: string; reason: string }>("savings/dismiss");

const opportunity = async (kind: string, where: string, value: string) =>
  (
    await h.sql<{ id: string; state: string }>(
      `SELECT id, state FROM cost_savings_opportunities WHERE kind = $1 AND ${where} = $2`,
      [kind, value],
    )
  )[0]!;
/** The state changes of an opportunity after the first (its "found"). */
const changes = (id: string) =>
  h.sql(`SELECT from_state, to_state, reason FROM cost_savings_state_changes WHERE opportunity_id = $1 ORDER BY id`, [
    id,
  ]);

/**
 * Runs `savings refresh` while a dismissal of `id` is held uncommitted; commits the dismissal once the
 * refresh has finished or waits for its row (no timing: it polls for either), and returns the refresh's exit code.
 */
async function refreshDuringDismissal(id: string, reason: string): Promise<number> {
  const d = new pg.Client({ connectionString: h.db.url });
  await d.connect();
  try {
    await d.query("BEGIN");
    await query(d, DISMISS, { id, operator: "finance-lead", reason });
    const refreshing = { settled: false };
    const refresh = runInProcess(["savings", "refresh"], { env: world.env() }).finally(
      () => (refreshing.settled = true),
    );
    for (;;) {
      const waiting = await h.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (refreshing.settled || (waiting[0]?.n ?? 0) > 0) break;
      await sleep(20);
    }
    await d.query("COMMIT");
    return (await refresh).code;
  } finally {
    await d.end();
  }
}

describe("savings dismissal during a refresh", () => {
  it("keeps a dismissal on unchanged facts, and reopens one whose facts changed meanwhile", async () => {
    await world.build();
    await world.reconcile();
    expect((await runInProcess(["savings", "refresh"], { env: world.env() })).code).toBe(0);

    const ip = await opportunity("idle_ip", "ip_id::text", world.ids["busy.ip1"]!);
    expect(ip.state).toBe("open");
    expect(await refreshDuringDismissal(ip.id, "kept for a warm-up")).toBe(0);
    expect((await opportunity("idle_ip", "ip_id::text", world.ids["busy.ip1"]!)).state).toBe("dismissed");
    expect((await changes(ip.id)).slice(1)).toEqual([
      { from_state: "open", to_state: "dismissed", reason: "kept for a warm-up" },
    ]);

    // A third idle IP on the idle VPS: its saving and facts change while Finance dismisses it.
    const vps = await opportunity("idle_vps", "serviceid", String(SID.idleVps));
    await h.sql(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost, created)
       VALUES ($1, '203.0.113.98', 'available', 4.99, now() - interval '30 days')`,
      [world.ids.idleVps],
    );
    expect(await refreshDuringDismissal(vps.id, "migration target")).toBe(0);
    expect((await opportunity("idle_vps", "serviceid", String(SID.idleVps))).state).toBe("open");
    expect((await changes(vps.id)).slice(1)).toEqual([
      { from_state: "open", to_state: "dismissed", reason: "migration target" },
      { from_state: "dismissed", to_state: "open", reason: "its facts changed since the dismissal" },
    ]);
  }, 120_000);
});
