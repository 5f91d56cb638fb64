import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { row } from "./support/invoice-csv.js";
import { decommissionedInvoice, savingsWorld, SID } from "./support/savings-world.js";

// Savings over time (docs/savings.md, "State" and "Realised"): bad input writes nothing, a
// dismissal holds while the facts hold, and a resource that changed marks its opportunity done,
// with the date; realised savings read the invoices before and after.

const world = savingsWorld();
const { h } = world;

const cli = (...args: string[]) => runInProcess(args, { env: world.env() });
const opportunity = async (kind: string, key: { serviceId?: number; ipKey?: string }) => {
  const rows = await h.sql<{ id: string; state: string; done_reason: string | null; dismissed_by: string | null }>(
    `SELECT id, state, done_reason, dismissed_by FROM cost_savings_opportunities
      WHERE kind = $1 AND (serviceid = $2 OR ip_id::text = $3)`,
    [kind, key.serviceId === undefined ? null : String(key.serviceId), key.ipKey ? world.ids[key.ipKey] : null],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
};
const writes = async () =>
  (await h.sql<{ n: number }>(`SELECT (SELECT count(*) FROM cost_savings_state_changes)::int AS n`))[0]?.n;
const thisMonth = () => new Date().toISOString().slice(0, 7);

describe("savings state", () => {
  it("refuses bad input with exit 2 and writes nothing", async () => {
    await world.build();
    await world.reconcile();
    await world.importInvoice(decommissionedInvoice(thisMonth()));
    const before = await writes();
    const ip = await opportunity("idle_ip", { ipKey: "busy.ip1" });
    for (const args of [
      ["savings", "dismiss", "ip-0000000000", "--reason", "not ours"],
      ["savings", "dismiss", ip.id],
      ["savings", "dismiss", ip.id, "--reason", "   "],
      ["report", "savings", "--kind", "nonsense"],
      ["report", "savings", "--state", "closed"],
    ]) {
      const r = await cli(...args);
      expect({ args, code: r.code, out: r.stdout }).toEqual({ args, code: 2, out: "" });
      expect(r.stderr).toMatch(/no savings opportunity|--reason|unknown kind "nonsense"|--state/);
    }
    expect(await writes()).toBe(before);
    expect((await opportunity("idle_ip", { ipKey: "busy.ip1" })).state).toBe("open");
  }, 120_000);

  it("keeps a dismissal while the facts hold, and reopens when they change", async () => {
    const ip = await opportunity("idle_ip", { ipKey: "busy.ip1" });
    expect((await cli("savings", "dismiss", ip.id, "--reason", "kept for a warm-up in January")).code).toBe(0);
    expect(await opportunity("idle_ip", { ipKey: "busy.ip1" })).toMatchObject({
      state: "dismissed",
      dismissed_by: "finance-lead",
    });
    expect((await cli("savings", "refresh")).code).toBe(0);
    expect((await opportunity("idle_ip", { ipKey: "busy.ip1" })).state).toBe("dismissed");
    const open = JSON.parse((await cli("report", "savings", "--json")).stdout) as { opportunities: { id: string }[] };
    expect(open.opportunities.map((o) => o.id)).not.toContain(ip.id);

    const vps = await opportunity("idle_vps", { serviceId: SID.idleVps });
    expect((await cli("savings", "dismiss", vps.id, "--reason", "migration target")).code).toBe(0);
    // A third idle IP on it: the saving and the facts change, so the dismissal no longer holds.
    await h.sql(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost, created)
       VALUES ($1, '203.0.113.99', 'available', 4.99, now() - interval '30 days')`,
      [world.ids.idleVps],
    );
    expect((await cli("savings", "refresh")).code).toBe(0);
    expect((await opportunity("idle_vps", { serviceId: SID.idleVps })).state).toBe("open");
    const reopened = await h.sql(
      `SELECT from_state, to_state, reason FROM cost_savings_state_changes WHERE opportunity_id = $1 ORDER BY id`,
      [vps.id],
    );
    expect(reopened.slice(-2)).toEqual([
      { from_state: "open", to_state: "dismissed", reason: "migration target" },
      { from_state: "dismissed", to_state: "open", reason: "its facts changed since the dismissal" },
    ]);
  });

  it("marks an opportunity done, with the date, when its resource changed", async () => {
    h.sim.catalogue.setInstance({ serviceid: SID.monthly30, rid: "30", billingcycle: "annually" });
    await h.sql(`DELETE FROM smtp_ip_addresses WHERE id = $1`, [world.ids["busy.ip1"]]);
    await h.sql(`UPDATE vps_instances SET status = 'decommissioned' WHERE id = $1`, [world.ids.idleVps]);
    await world.reconcile();
    expect(await opportunity("billing_cycle", { serviceId: SID.monthly30 })).toMatchObject({
      state: "done",
      done_reason: "cycle switched from monthly to annually",
    });
    expect(await opportunity("idle_vps", { serviceId: SID.idleVps })).toMatchObject({
      state: "done",
      done_reason: "VPS decommissioned",
    });
    expect((await opportunity("idle_ip", { ipKey: "busy.ip1" })).done_reason).toBe("IP released");
    // Near-miss of "done": the own-price cycle opportunity is unchanged and stays open.
    expect((await opportunity("billing_cycle", { serviceId: SID.ownPrice })).state).toBe("open");
    const done = JSON.parse((await cli("report", "savings", "--state", "done", "--json")).stdout) as {
      opportunities: { evidence: { doneAt: string } }[];
    };
    expect(done.opportunities).toHaveLength(3);
    expect(done.opportunities.every((o) => o.evidence.doneAt.startsWith(thisMonth()))).toBe(true);
  });

  it("reads realised savings from the invoices before and after", async () => {
    const cycle = await opportunity("billing_cycle", { serviceId: SID.monthly30 });
    // Done last month; invoiced monthly the month before, annually (108.00 / 12) this month.
    await h.sql(
      `UPDATE cost_savings_state_changes SET changed_at = date_trunc('month', now()) - interval '20 days'
        WHERE opportunity_id = $1 AND to_state = 'done'`,
      [cycle.id],
    );
    const month = (back: number) => {
      const d = new Date();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() - back);
      return d.toISOString().slice(0, 7);
    };
    const [y2 = "", m2 = ""] = month(2).split("-");
    const [y0 = "", m0 = ""] = month(0).split("-");
    const sid = String(SID.monthly30);
    const imported = await world.importInvoice([
      row({
        invoice_number: "600001",
        invoice_date: `${month(2)}-01`,
        service_id: sid,
        amount: "10.00",
        description: `Cloud VPS - Plan 30 (${m2}/01/${y2} - ${m2}/${lastDay(month(2))}/${y2})`,
      }),
      row({
        invoice_number: "600002",
        invoice_date: `${month(0)}-01`,
        service_id: sid,
        amount: "108.00",
        period_start: `${month(0)}-01`,
        period_end: endOfYear(month(0)),
        description: `Cloud VPS - Plan 30 annually (${m0}/01/${y0})`,
      }),
    ]);
    expect(imported.code).toBe(0);
    const r = JSON.parse((await cli("report", "savings", "--realised", "--months", "3", "--json")).stdout) as {
      realised: Record<string, unknown>[];
    };
    expect(r.realised.find((x) => x.id === cycle.id)).toMatchObject({
      predictedMonthlySaving: "1.00",
      invoicedBeforeMonth: month(2),
      invoicedBefore: "10.00",
      invoicedAfterMonth: month(0),
      invoicedAfter: "9.00",
      realisedMonthlySaving: "1.00",
    });
  });
});

function lastDay(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return String(new Date(Date.UTC(y ?? 0, m ?? 0, 0)).getUTCDate());
}

function endOfYear(month: string): string {
  const [y, m] = month.split("-").map(Number);
  const end = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1 + 12, 0));
  return end.toISOString().slice(0, 10);
}
