import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { runInProcess } from "./cli-streams.js";
import { API_KEY, Harness, insertVps, settle } from "./harness.js";
import { HEADER, row } from "./invoice-csv.js";

/**
 * A fleet built to hold each kind of savings opportunity exactly once, and the near-misses beside
 * them (docs/savings.md; issue 24's "Done when"). Plans 30 and 31 are the test's own:
 *  30: monthly 10.00, quarterly 29.40 (9.80), semiannually 57.00 (9.50), annually 108.00 (9.00)
 *  31: monthly 10.00, quarterly 31.50 (10.50), annually 126.00 (10.50): longer costs more a month
 */
export const SID = {
  monthly30: 8001, // billing_cycle from the catalogue: 1.00/month, upfront 108.00, break-even 10.80
  longest30: 8002, // near-miss: already on the longest cycle its plan offers
  pricier31: 8003, // near-miss: the longer cycle costs more a month
  ownPrice: 8004, // billing_cycle from get_billingcycle_prices (group in catalogue mismatch)
  emptyAnswer: 8005, // own price, get_billingcycle_prices answers {}: nothing invented
  malformed: 8006, // own price, an answer we cannot read: nothing invented
  busy: 8007, // carries mail; holds the idle IP, the 13-day near-miss and a burned IP
  idleVps: 8008, // idle_vps: every IP idle (and on a monthly cycle: no billing_cycle for it)
  youngVps: 8009, // near-miss: no IPs, created 5 days ago
  billedGone: 8010, // billed_after_decommission: decommissioned 60 days ago, invoiced this month
  goneThisMonth: 8011, // near-miss: decommissioned this month, invoiced this month
  untracked: 8012, // untracked: no row names it
} as const;

const DAY = "interval '1 day'";

export function savingsWorld() {
  const h = new Harness();
  const w = { h, rt: undefined as unknown as Runtime, tenantId: "", ids: {} as Record<string, string> };
  beforeAll(async () => {
    await h.setup({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "100", COST_SYNC_OPERATOR: "finance-lead" });
    h.sim.catalogue.setPlan(
      plan("30", {
        monthly: "10.00",
        quarterly: "29.40",
        semiannually: "57.00",
        annually: "108.00",
        biennially: "-1.00",
        triennially: "",
      }),
    );
    h.sim.catalogue.setPlan(plan("31", { monthly: "10.00", quarterly: "31.50", annually: "126.00" }));
    w.rt = await h.start();
  }, 60_000);
  afterAll(() => h.teardown(), 60_000);
  return {
    ...w,
    get rt() {
      return w.rt;
    },
    get tenantId() {
      return w.tenantId;
    },
    get ids() {
      return w.ids;
    },
    env: () => envOf(h),
    build: () => buildFleet(h, w),
    reconcile: async () => {
      await settle(h, w.rt);
      h.sim.requests.length = 0;
      return h.finished<{ runId: string }>(await w.rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    },
    importInvoice: async (rows: string[]) => {
      const file = join(tmpdir(), `savings-${h.prefix}-${String(Date.now())}.csv`);
      await writeFile(file, [HEADER, ...rows].join("\n") + "\n");
      return runInProcess(["invoices", "import", file], { env: envOf(h) });
    },
  };
}

const envOf = (h: Harness) => ({
  DATABASE_URL: h.db.url,
  QUEUE_PREFIX: h.prefix,
  HOSTWINDS_API_URL: h.sim.url,
  HOSTWINDS_API_KEY: API_KEY,
  HOSTWINDS_REQUESTS_PER_SECOND: "1000",
  COST_SYNC_OPERATOR: "finance-lead",
});

function plan(rid: string, prices: Record<string, string>) {
  return { rid, name: `Plan ${rid}`, ram: rid, cpu: "1", disk: "50", bandwidth: "2", prices };
}

async function buildFleet(h: Harness, w: { tenantId: string; ids: Record<string, string> }) {
  const c = h.sim.catalogue;
  const on = (serviceid: number, rid: string, billingcycle: "monthly" | "annually", productId?: string | null) =>
    c.setInstance({ serviceid, rid, billingcycle, ...(productId === undefined ? {} : { productId }) });
  on(SID.monthly30, "30", "monthly");
  on(SID.longest30, "30", "annually");
  on(SID.pricier31, "31", "monthly");
  // Its own product id makes a group of its own; its quote makes that group fail verification.
  c.setInstance({
    serviceid: SID.ownPrice,
    rid: "30",
    billingcycle: "monthly",
    productId: "930",
    quote: { monthly: "8.00" },
  });
  on(SID.emptyAnswer, "30", "monthly", null);
  on(SID.malformed, "30", "monthly", null);
  on(SID.busy, "30", "annually");
  on(SID.idleVps, "30", "monthly");
  on(SID.youngVps, "31", "monthly");
  on(SID.untracked, "30", "monthly");
  const billing = "get_billingcycle_prices";
  h.sim.inject(
    {
      type: "body",
      json: '{"success":{"monthly":{"price":"8.00"},"Annually":{"price":"84.00","duedate":"2027-01-01"}}}',
    },
    { action: billing, serviceid: SID.ownPrice },
  );
  h.sim.inject({ type: "body", json: '{"success":{}}' }, { action: billing, serviceid: SID.emptyAnswer });
  h.sim.inject(
    { type: "body", json: '{"success":{"monthly":{"due":"soon"}}}' },
    { action: billing, serviceid: SID.malformed },
  );

  const [t] = await h.sql<{ id: string }>(`INSERT INTO tenants (name) VALUES ('Acme Mail') RETURNING id::text`);
  w.tenantId = t!.id;
  const [d] = await h.sql<{ id: string }>(
    `INSERT INTO domains (tenant_id, domain) VALUES ($1, 'acme.example') RETURNING id::text`,
    [w.tenantId],
  );
  const vps = async (name: keyof typeof SID, o: { ips?: number; status?: string; ageDays?: number } = {}) => {
    const r = await insertVps(h, { serviceid: SID[name], tenantId: w.tenantId, ips: o.ips ?? 0, status: o.status });
    await h.sql(`UPDATE vps_instances SET created = now() - $2::int * ${DAY} WHERE id = $1`, [
      r.vpsId,
      o.ageDays ?? 60,
    ]);
    await h.sql(`UPDATE smtp_ip_addresses SET created = now() - 60 * ${DAY} WHERE vps_instance_id = $1`, [r.vpsId]);
    w.ids[name] = r.vpsId;
    r.ipIds.forEach((id, i) => (w.ids[`${name}.ip${String(i)}`] = id));
    return r;
  };
  const assign = (ipId: string, status: string, expiresDaysAgo: number | null) =>
    h.sql(
      `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status, assigned, expires)
       VALUES ($1, $2, $3, now() - 90 * ${DAY}, CASE WHEN $4::int IS NULL THEN NULL ELSE now() - $4::int * ${DAY} END)`,
      [d!.id, ipId, status, expiresDaysAgo],
    );
  for (const name of ["monthly30", "longest30", "pricier31", "ownPrice", "emptyAnswer", "malformed"] as const) {
    const r = await vps(name, { ips: 1 });
    await assign(r.ipIds[0]!, "active", null);
  }
  const busy = await vps("busy", { ips: 4 });
  await assign(busy.ipIds[0]!, "active", null); // carries mail
  // ip1: no assignment ever, created 60 days ago: idle_ip
  await assign(busy.ipIds[2]!, "expired", 13); // near-miss: idle 13 days
  await h.sql(`UPDATE smtp_ip_addresses SET status = 'burned' WHERE id = $1`, [busy.ipIds[3]]);
  await assign(busy.ipIds[3]!, "active", null); // burned, still billed: idle_ip whatever its assignment
  const idle = await vps("idleVps", { ips: 2 });
  await assign(idle.ipIds[1]!, "expired", 20);
  await vps("youngVps", { ageDays: 5 });
  await vps("billedGone", { status: "decommissioned" });
  await h.sql(`UPDATE cost_sync_events SET created_at = now() - 60 * ${DAY} WHERE resource_id = $1`, [
    w.ids.billedGone,
  ]);
  await vps("goneThisMonth", { status: "decommissioned" });
}

/** This month's invoice: the two decommissioned VPS billed 10.00 each. */
export function decommissionedInvoice(month: string): string[] {
  const [y = "", m = ""] = month.split("-");
  const last = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  const period = `(${m}/01/${y} - ${m}/${String(last)}/${y})`;
  const line = (sid: number, n: string) =>
    row({
      invoice_number: n,
      invoice_date: `${month}-01`,
      service_id: String(sid),
      amount: "10.00",
      description: `Cloud VPS - Plan 30 (sim-${String(sid)}.example.net) ${period}`,
    });
  return [line(SID.billedGone, "500001"), line(SID.goneThisMonth, "500002")];
}
