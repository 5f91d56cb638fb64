import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { settle } from "./support/harness.js";
import { decommissionedInvoice, savingsWorld, SID } from "./support/savings-world.js";

// Savings (docs/savings.md) on a fleet built to hold each kind exactly, with its near-misses:
// every opportunity found, every near-miss not, every amount exact; own prices read once through
// get_billingcycle_prices, catalogue groups with no call; {} and malformed answers invent nothing.

const world = savingsWorld();
const { h } = world;

interface Report {
  opportunities: Array<Record<string, unknown> & { evidence: Record<string, unknown> }>;
  totals: Record<string, string>;
  fleetMonthlyCost: string;
}

const thisMonth = () => new Date().toISOString().slice(0, 7);
const report = async (...args: string[]) => {
  const r = await runInProcess(["report", "savings", "--json", ...args], { env: world.env() });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as Report;
};
const bySid = (r: Report) =>
  Object.fromEntries(r.opportunities.map((o) => [`${String(o.kind)}:${String(o.serviceId ?? o.ip)}`, o]));

/** Whether the fleet is built, reconciled and this month's invoice imported (by the first test, or by the helper). */
let built = false;
/** The world the first test builds, for a test run without it: built once per file, whichever test runs first. */
async function fleetReconciled(): Promise<void> {
  if (built) return;
  await world.build();
  await world.reconcile();
  expect((await world.importInvoice(decommissionedInvoice(thisMonth()))).code).toBe(0);
  await settle(h, world.rt);
  built = true;
}

describe("savings on a fleet with each kind", () => {
  it("finds every opportunity exactly, and no near-miss", async () => {
    await world.build();
    await world.reconcile();
    const billingCalls = h.sim.requestsFor("get_billingcycle_prices").map((r) => Number(r.params.serviceid));
    // Own-price VPS only, once each; catalogue groups cost no call.
    expect(billingCalls.sort()).toEqual([SID.ownPrice, SID.emptyAnswer, SID.malformed]);
    const imported = await world.importInvoice(decommissionedInvoice(thisMonth()));
    expect(imported.code).toBe(0);
    await settle(h, world.rt);
    built = true;

    const r = await report();
    const found = bySid(r);
    const ipOf = async (key: string) =>
      (await h.sql<{ ip: string }>(`SELECT ip_address AS ip FROM smtp_ip_addresses WHERE id = $1`, [world.ids[key]]))[0]
        ?.ip;
    expect(r.opportunities.map((o) => `${String(o.kind)} ${String(o.monthlySaving)}`).sort()).toEqual(
      [
        "billing_cycle 1.00",
        "billing_cycle 1.00",
        "idle_ip 4.99",
        "idle_ip 4.99",
        "idle_vps 19.98",
        "billed_after_decommission 10.00",
        "untracked 10.00",
      ].sort(),
    );
    expect(found[`billing_cycle:${String(SID.monthly30)}`]).toMatchObject({
      upfront: "108.00",
      breakEvenMonths: "10.80",
      tenantId: world.tenantId,
      ip: null,
      state: "open",
      evidence: { cycle: "monthly", targetCycle: "annually", targetMonthly: "9.00", priceSource: "catalogue rid 30" },
    });
    expect(found[`billing_cycle:${String(SID.ownPrice)}`]).toMatchObject({
      upfront: "84.00",
      breakEvenMonths: "10.50",
      evidence: { currentMonthly: "8.00", targetMonthly: "7.00", priceSource: "get_billingcycle_prices" },
    });
    expect(found[`idle_vps:${String(SID.idleVps)}`]).toMatchObject({ upfront: null, breakEvenMonths: null });
    expect(found[`billed_after_decommission:${String(SID.billedGone)}`]?.evidence).toMatchObject({
      invoiceMonth: thisMonth(),
      invoicedUsd: "10.00",
    });
    expect(found[`untracked:${String(SID.untracked)}`]).toMatchObject({ tenantId: null, ip: null });
    // The idle IPs are the never-assigned one and the burned one; the 13-day one is not idle.
    const idleIps = r.opportunities.filter((o) => o.kind === "idle_ip").map((o) => o.ip);
    expect(idleIps.sort()).toEqual([await ipOf("busy.ip1"), await ipOf("busy.ip3")].sort());
    // Near-misses and no dollar twice: none of these VPS has an opportunity of any kind.
    for (const sid of [SID.longest30, SID.pricier31, SID.emptyAnswer, SID.malformed, SID.youngVps, SID.goneThisMonth])
      expect(r.opportunities.filter((o) => o.serviceId === String(sid))).toEqual([]);
    expect(r.opportunities.filter((o) => o.serviceId === String(SID.idleVps)).map((o) => o.kind)).toEqual(["idle_vps"]);
    expect(r.totals).toEqual({
      billing_cycle: "2.00",
      idle_ip: "9.98",
      idle_vps: "19.98",
      billed_after_decommission: "10.00",
      untracked: "10.00",
    });
    // Attributed + unallocated: VPS 86.00 (two decommissioned at 0.00) and 12 IPs at 4.99.
    expect(r.fleetMonthlyCost).toBe("145.88");
    const monthlies = r.opportunities.map((o) => Number(o.monthlySaving));
    expect(monthlies).toEqual([...monthlies].sort((a, b) => b - a));
  }, 120_000);

  it("says why no cycle opportunity is known for {} and for an unreadable answer", async () => {
    await fleetReconciled();
    const answers = await h.sql(
      `SELECT serviceid::int AS sid, outcome, prices, reason IS NOT NULL AS has_reason
         FROM cost_savings_cycle_answers ORDER BY serviceid`,
    );
    expect(answers).toEqual([
      { sid: SID.ownPrice, outcome: "prices", prices: { monthly: "8.00", annually: "84.00" }, has_reason: false },
      { sid: SID.emptyAnswer, outcome: "none", prices: null, has_reason: false },
      { sid: SID.malformed, outcome: "malformed", prices: null, has_reason: true },
    ]);
    h.sim.requests.length = 0;
    const r = await runInProcess(["savings", "refresh"], { env: world.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("get_billingcycle_prices calls: 0");
    expect(r.stdout).toContain("no cycle opportunity known for 1 VPS: get_billingcycle_prices answered {}");
    expect(r.stdout).toMatch(/no cycle opportunity known for 1 VPS: get_billingcycle_prices answer not understood/);
    expect(h.sim.requestsFor("get_billingcycle_prices")).toEqual([]);
  });

  it("counts the catalogue VPS whose cycle has no term price, judged once per plan group and cycle", async () => {
    await h.sql(`UPDATE cost_reconciliation_cycles SET billing_cycle = 'hourly' WHERE serviceid = $1`, [SID.longest30]);
    const r = await runInProcess(["savings", "refresh"], { env: world.env() });
    expect(r.stdout).toContain("no cycle opportunity known for 1 VPS: hourly: billed by use, not on a term");
    expect((await report("--kind", "billing_cycle")).totals).toEqual({ billing_cycle: "2.00" });
    await h.sql(`UPDATE cost_reconciliation_cycles SET billing_cycle = 'annually' WHERE serviceid = $1`, [
      SID.longest30,
    ]);
  });

  it("filters by kind and tenant, and prints CSV", async () => {
    await fleetReconciled();
    const cycles = await report("--kind", "billing_cycle");
    expect(cycles.opportunities.map((o) => o.kind)).toEqual(["billing_cycle", "billing_cycle"]);
    expect(cycles.totals).toEqual({ billing_cycle: "2.00" });
    const tenant = await report("--tenant", world.tenantId);
    expect(tenant.opportunities.some((o) => o.kind === "untracked")).toBe(false);
    expect(tenant.opportunities).toHaveLength(6);
    const csv = await runInProcess(["report", "savings", "--csv"], { env: world.env() });
    expect(csv.stdout.split("\n")[0]).toBe(
      "id,kind,serviceId,ip,tenantId,monthlySaving,upfront,breakEvenMonths,state,method,firstSeen",
    );
  });
});
