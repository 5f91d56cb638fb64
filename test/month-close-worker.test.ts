import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps } from "./support/harness.js";

// The automatic close: the scheduled monthly reconciliation closes the month before the one it
// started in, with that month's figures as cost_history has them at its end (issue #21: a close
// never freezes today's costs into the past); a reconciliation run by hand closes nothing.

const h = new Harness();
let rt: Runtime;
let tenantId: string;
const closes = () =>
  h.sql<{ month: string; trigger: string; run_id: string; expected_month: string; closed_by: string }>(
    `SELECT to_char(c.month, 'YYYY-MM') AS month, c.trigger, c.run_id::text, c.closed_by,
            to_char(date_trunc('month', r.started_at AT TIME ZONE 'UTC') - interval '1 month', 'YYYY-MM') AS expected_month
       FROM cost_month_closes c LEFT JOIN cost_reconciliation_runs r ON r.id = c.run_id ORDER BY c.id`,
  );

beforeAll(async () => {
  await h.setup({ COST_SYNC_OPERATOR: "cost-sync-worker" });
  h.sim.catalogue.setInstance({ serviceid: 4242, rid: "11", billingcycle: "monthly" });
  [{ id: tenantId }] = (await h.sql<{ id: string }>(
    `INSERT INTO tenants (name) VALUES ('acme') RETURNING id::text`,
  )) as [{ id: string }];
  const { vpsId, ipIds } = await insertVps(h, { serviceid: 4242, tenantId, ips: 1 });
  // Priced long before the month closed: what history says at its end, whatever the run does now.
  await h.sql(`UPDATE vps_instances SET created = '2025-01-01' WHERE id = $1`, [vpsId]);
  await h.sql(`UPDATE smtp_ip_addresses SET created = '2025-01-01' WHERE id = $1`, [ipIds[0]]);
  await h.sql(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     VALUES ('vps', $1, NULL, 19.99, 'seed', 'priced then', 'seed', '2025-01-01'),
            ('ip', $2, NULL, 4.99, 'seed', 'priced then', 'seed', '2025-01-01')`,
    [vpsId, ipIds[0]],
  );
  rt = await h.start();
});
afterAll(() => h.teardown());

describe("the automatic month close", { timeout: 90_000 }, () => {
  it("does not happen after a reconciliation run by hand", async () => {
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    expect(await closes()).toEqual([]);
  });

  it("closes the previous month after the scheduled reconciliation, with the month's figures", async () => {
    const r = await h.finished<{ runId: string }>(
      await rt.producer.enqueueReconciliation({ trigger: "schedule" }),
      60_000,
    );
    const [close] = await closes();
    expect(close).toMatchObject({ trigger: "schedule", run_id: r.runId, closed_by: "cost-sync-worker" });
    expect(close!.month).toBe(close!.expected_month);
    const frozen = await h.sql(
      `SELECT tenant_id::text, vps_cost::text, ip_cost::text, revenue::text, health FROM cost_month_close_tenants`,
    );
    expect(frozen).toEqual([
      { tenant_id: tenantId, vps_cost: "19.99", ip_cost: "4.99", revenue: "0.00", health: "Critical Action Required" },
    ]);
  });

  it("leaves the month as it is when a second scheduled run finds it closed", async () => {
    // The month closed by a first scheduled run, as the test before leaves it (a no-op after it).
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "schedule" }), 60_000);
    expect(await closes()).toHaveLength(1);
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "schedule" }), 60_000);
    expect(await closes()).toHaveLength(1);
  });
});
