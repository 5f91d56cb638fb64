import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps } from "./support/harness.js";

// The automatic close: the scheduled monthly reconciliation closes the month before the one it
// started in, with the figures it has just priced; a reconciliation run by hand closes nothing.

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
  await insertVps(h, { serviceid: 4242, tenantId, ips: 1 });
  rt = await h.start();
});
afterAll(() => h.teardown());

describe("the automatic month close", { timeout: 90_000 }, () => {
  it("does not happen after a reconciliation run by hand", async () => {
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    expect(await closes()).toEqual([]);
  });

  it("closes the previous month after the scheduled reconciliation, with the figures it priced", async () => {
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
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "schedule" }), 60_000);
    expect(await closes()).toHaveLength(1);
  });
});
