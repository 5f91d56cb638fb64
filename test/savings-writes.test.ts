import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { savingsWorld } from "./support/savings-world.js";

// A savings refresh writes only what changed (docs/savings.md, "Performance"): a steady state
// rewrites no opportunity, yet each current one shows as last seen by the latest refresh; one that
// disappears keeps the time of the last refresh that found it.

const world = savingsWorld();
const { h } = world;

const cli = (...args: string[]) => runInProcess(args, { env: world.env() });
const versions = () =>
  h.sql<{ id: string; v: string }>(`SELECT id, xmin::text AS v FROM cost_savings_opportunities ORDER BY id`);
const applied = async () =>
  (await h.sql<{ at: Date }>(`SELECT applied_at AS at FROM cost_savings_runs ORDER BY id DESC LIMIT 1`))[0]?.at;

/** Whether the fleet is built and reconciled (by the first test, or by the second run alone). */
let built = false;
async function fleetReconciled(): Promise<void> {
  if (built) return;
  await world.build();
  await world.reconcile();
  built = true;
}

describe("savings refresh writes", () => {
  it("rewrites no unchanged opportunity, and shows each as last seen by the latest refresh", async () => {
    await fleetReconciled();
    const before = await versions();
    expect(before.length).toBeGreaterThanOrEqual(5);
    const changes = await h.sql(`SELECT count(*)::int AS n FROM cost_savings_state_changes`);

    expect((await cli("savings", "refresh")).code).toBe(0);
    expect(await versions()).toEqual(before);
    expect(await h.sql(`SELECT count(*)::int AS n FROM cost_savings_state_changes`)).toEqual(changes);
    const seen = await h.sql<{ last_seen: Date }>(`SELECT DISTINCT last_seen FROM executive_savings_opportunities`);
    expect(seen).toEqual([{ last_seen: await applied() }]);
  }, 120_000);

  it("writes the one that disappeared, last seen by the refresh before", async () => {
    await fleetReconciled();
    const before = await versions();
    const seenBefore = await applied();
    const [ip] = await h.sql<{ id: string }>(
      `SELECT o.id FROM cost_savings_opportunities o WHERE o.kind = 'idle_ip' AND o.ip_id = $1`,
      [world.ids["busy.ip1"]],
    );
    await h.sql(`DELETE FROM smtp_ip_addresses WHERE id = $1`, [world.ids["busy.ip1"]]);

    expect((await cli("savings", "refresh")).code).toBe(0);
    const after = await versions();
    const rewritten = after.filter((r) => before.find((b) => b.id === r.id)?.v !== r.v).map((r) => r.id);
    expect(rewritten).toEqual([ip?.id]);
    const [gone] = await h.sql(
      `SELECT state, done_reason, current, last_seen FROM cost_savings_opportunities WHERE id = $1`,
      [ip?.id],
    );
    expect(gone).toEqual({ state: "done", done_reason: "IP released", current: false, last_seen: seenBefore });
  }, 120_000);
});
