import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

// Who reads savings (docs/savings.md): the executive view for the fleet-reading roles only, never
// application_service; and unit economics frozen with each month close, on delivered emails where
// billing_analytics has them, on sent ones otherwise, naming which.

let db: TestDatabase;
beforeAll(async () => {
  db = await createMigratedDatabase();
}, 60_000);
afterAll(() => db.drop());

type Row = Record<string, unknown>;
const q = (sql: string, params: unknown[] = []) =>
  withClient(db.url, async (c) => (await c.query<Row>(sql, params)).rows);
const asRole = (role: string, sql: string) =>
  withClient(db.url, async (c) => {
    await c.query("BEGIN");
    try {
      await c.query(`SET LOCAL ROLE ${role}`);
      return (await c.query<Row>(sql)).rows;
    } finally {
      await c.query("ROLLBACK");
    }
  });

describe("savings access", () => {
  it("lets executives and analysts read the savings view, and never application_service", async () => {
    await q(
      `INSERT INTO cost_savings_opportunities (id, kind, serviceid, monthly_saving, method, evidence, facts_hash)
       VALUES ('unt-1', 'untracked', '7001', 10.00, 'its modelled cost', '{}', 'h')`,
    );
    for (const role of ["executives", "business_analysts", "db_administrators"])
      expect(await asRole(role, `SELECT id, monthly_saving::text FROM executive_savings_opportunities`)).toEqual([
        { id: "unt-1", monthly_saving: "10.00" },
      ]);
    for (const relation of ["executive_savings_opportunities", "cost_savings_opportunities", "cost_savings_runs"])
      await expect(asRole("application_service", `SELECT * FROM ${relation}`)).rejects.toThrow(/permission denied/);
  });
});

describe("unit economics at the month close", () => {
  const tenant = "5b3c0f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f";
  const close = async (month: string, totalCost: string) => {
    const [c] = await q(
      `INSERT INTO cost_month_closes (month, closed_by, trigger, reason, tenants, vps_cost, ip_cost, total_cost,
                                      unallocated_vps_cost, unallocated_ip_cost, revenue, margin)
       VALUES ($1, 'test', 'command', 'test', 1, $2, 0, $2, 0, 0, 0, 0)
       RETURNING id, emails::text, email_basis, cost_per_1000_emails::text`,
      [month, totalCost],
    );
    const [t] = await q(
      `INSERT INTO cost_month_close_tenants (close_id, month, tenant_id, vps_cost, ip_cost, total_cost, revenue, margin, health)
       VALUES ($1, $2, $3, 10.00, 0, 10.00, 0, -10.00, 'Critical Action Required')
       RETURNING emails::text, email_basis, cost_per_1000_emails::text`,
      [c!.id, month, tenant],
    );
    return { fleet: c, tenant: t };
  };

  it("freezes cost per 1,000 sent emails, and per 1,000 delivered where the data has them", async () => {
    await q(
      `INSERT INTO billing_analytics (tenant_id, emails_sent, period_start, period_end)
       VALUES ($1, 30000, '2026-09-01', '2026-09-15'), ($1, 12000, '2026-09-16', '2026-09-30'),
              ('other', 8000, '2026-09-03', '2026-09-30'), ($1, 99999, '2026-10-01', '2026-10-31')`,
      [tenant],
    );
    const sept = await close("2026-09-01", "145.88");
    // fleet: 145.88 / 50,000 * 1000 = 2.9176; tenant: 10.00 / 42,000 * 1000 = 0.238095... -> 0.2381
    expect(sept.fleet).toMatchObject({ emails: "50000", email_basis: "sent", cost_per_1000_emails: "2.9176" });
    expect(sept.tenant).toEqual({ emails: "42000", email_basis: "sent", cost_per_1000_emails: "0.2381" });
    // A month without emails: no unit cost, never a division by zero or a 0.
    const aug = await close("2026-08-01", "100.00");
    expect(aug.fleet).toMatchObject({ emails: "0", email_basis: "sent", cost_per_1000_emails: null });

    await q(`ALTER TABLE billing_analytics ADD COLUMN emails_delivered int`);
    await q(`UPDATE billing_analytics SET emails_delivered = emails_sent - 1000 WHERE period_start >= '2026-10-01'`);
    const oct = await close("2026-10-01", "98.99");
    expect(oct.tenant).toEqual({ emails: "98999", email_basis: "delivered", cost_per_1000_emails: "0.1010" });
    const trend = await q(
      `SELECT to_char(month, 'YYYY-MM') AS month, emails::text, email_basis, cost_per_1000_emails::text
         FROM executive_monthly_trend WHERE scope = 'fleet' ORDER BY month`,
    );
    expect(trend).toEqual([
      { month: "2026-08", emails: "0", email_basis: "sent", cost_per_1000_emails: null },
      { month: "2026-09", emails: "50000", email_basis: "sent", cost_per_1000_emails: "2.9176" },
      { month: "2026-10", emails: "98999", email_basis: "delivered", cost_per_1000_emails: "0.9999" },
    ]);
  });
});
