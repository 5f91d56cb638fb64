import { HostwindsClient } from "../../src/hostwinds/client.js";
import { openDatabase } from "../../src/infrastructure.js";
import { Resources } from "../../src/resources.js";
import { createSavingsService } from "../../src/services/savings/service.js";
import { Agent } from "undici";
import { KEY, type BenchContext } from "../context.js";
import { ms } from "../measure.js";

/**
 * 9. Savings: every opportunity of the whole fleet computed and recorded by one refresh
 * (docs/savings.md), twice: the first records them all, the second is the steady state (nothing
 * new). The fleet's VPS are on a plan group verified against the catalogue, as a reconciliation
 * records it: their cycle prices come from the catalogue, and Hostwinds must see no call. One VPS
 * in 20 is on a monthly cycle (a billing_cycle opportunity), one IP in 6 has no live assignment
 * since long ago (idle), and one VPS in 100 has every IP idle (idle_vps).
 */
export async function savingsSection(ctx: BenchContext): Promise<void> {
  const ipCount = ctx.scale.vps * ctx.scale.ipsPerVps;
  ctx.report.log(`9. savings refresh (${String(ctx.scale.vps)} VPS, ${String(ipCount)} IPs)`);
  await seedForSavings(ctx);
  const res = new Resources();
  try {
    const { db } = openDatabase(res, ctx.dbUrl, { poolSize: 4 });
    const agent = res.add("agent", new Agent(), (a) => a.close());
    const hostwinds = new HostwindsClient({ url: ctx.sim.url, apiKey: KEY, dispatcher: agent });
    const savings = createSavingsService({
      db,
      hostwinds: () => Promise.resolve(hostwinds),
      idleDays: 14,
      operator: "bench",
      concurrency: 8,
      resolveTenant: () => Promise.reject(new Error("no tenant in the benchmark")),
    });
    const callsBefore = ctx.sim.requestsFor("get_billingcycle_prices").length;
    const timed = async () => {
      const t0 = performance.now();
      const found = (await savings.refresh("bench")).opportunities;
      return { found, ms: performance.now() - t0 };
    };
    const [{ found, ms: first }, { ms: second }] = [await timed(), await timed()];
    const calls = ctx.sim.requestsFor("get_billingcycle_prices").length - callsBefore;
    ctx.report.add({
      section: "9 savings",
      metric: `every opportunity, ${String(ctx.scale.vps)} VPS and ${String(ipCount)} IPs: first refresh (${String(found)} found)`,
      value: ms(first),
      target: "≤ 5 s",
      met: first <= 5000,
    });
    ctx.report.add({
      section: "9 savings",
      metric: "the same, steady state (nothing new)",
      value: ms(second),
      target: "≤ 5 s",
      met: second <= 5000,
    });
    ctx.report.add({
      section: "9 savings",
      metric: "Hostwinds calls in catalogue mode",
      value: String(calls),
      target: "0",
      met: calls === 0,
    });
  } finally {
    await res.close();
  }
}

/** Costs, a completed run with the fleet's cycles on one verified catalogue group, and idle IPs and VPS. */
async function seedForSavings(ctx: BenchContext): Promise<void> {
  const plan = { rid: "30", monthly: "10.00", quarterly: "29.40", annually: "108.00" };
  await ctx.c.query(
    `UPDATE vps_instances SET approximate_cost = CASE WHEN status = 'decommissioned' THEN 0.00
            WHEN hostwinds_instance_id::bigint % 20 = 0 THEN 10.00 ELSE 9.00 END,
            created = now() - interval '90 days'`,
  );
  await ctx.c.query(
    `UPDATE smtp_ip_addresses i SET approximate_cost = CASE WHEN v.status = 'decommissioned' THEN 0.00 ELSE 4.99 END,
            created = now() - interval '90 days'
       FROM vps_instances v WHERE v.id = i.vps_instance_id`,
  );
  // One IP in 6, and every IP of one VPS in 100, carries no live assignment, and has not for long.
  await ctx.c.query(
    `UPDATE domain_ip_assignments a SET status = 'expired', expires = now() - interval '30 days'
       FROM smtp_ip_addresses i JOIN vps_instances v ON v.id = i.vps_instance_id
      WHERE a.smtp_ip_address_id = i.id
        AND (hashtext(i.id::text) % 6 = 0 OR v.hostwinds_instance_id::bigint % 100 = 7)`,
  );
  const [run] = (
    await ctx.c.query<{ id: string }>(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, total_before, status, finished_at)
       VALUES ('bench-savings', 'manual', 0, 'completed', now()) RETURNING id::text`,
    )
  ).rows;
  await ctx.c.query(
    `INSERT INTO cost_reconciliation_groups (run_id, group_key, mode, rid, members, sampled, plan)
     VALUES ($1, 'g30', 'catalogue', '30', $2, 1, $3)`,
    [run?.id, ctx.scale.vps, JSON.stringify(plan)],
  );
  await ctx.c.query(
    `INSERT INTO cost_reconciliation_cycles (run_id, serviceid, billing_cycle, group_key)
     SELECT $1, hostwinds_instance_id::bigint,
            CASE WHEN hostwinds_instance_id::bigint % 20 = 0 THEN 'monthly' ELSE 'annually' END, 'g30'
       FROM vps_instances`,
    [run?.id],
  );
  await ctx.c.query("ANALYZE");
}
