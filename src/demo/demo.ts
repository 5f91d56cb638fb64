import { randomBytes } from "node:crypto";
import pg from "pg";
import { loadConfig, type Config } from "../config/env.js";
import { migrate } from "../db/migrate.js";
import { setOverride } from "../db/cost-writes.js";
import { Catalogue } from "../hostwinds/simulator/catalogue.js";
import { HostwindsSimulator } from "../hostwinds/simulator/server.js";
import { createLogger } from "../logger.js";
import { startRuntime, type Runtime } from "../runtime.js";
import { RECONCILE_SCHEDULER_ID, VIEWS_REFRESH_SCHEDULER_ID } from "../jobs/definitions.js";
import { render } from "../cli/table.js";
import { EXIT } from "../cli/usage-error.js";
import { assign, seedBusiness } from "./seed.js";

const DEMO_DB = "cost_sync_demo";

/** Demo fleet: [label, Hostwinds plan rid, cycle, owner tenant index or null (shared), IPs, status]. */
const FLEET = [
  ["acme-1 (dedicated, monthly)", "10", "monthly", 0, 2, "active"],
  ["acme-2 (dedicated, quarterly)", "11", "quarterly", 0, 2, "active"],
  ["birch-1 (dedicated, hourly)", "10", "hourly", 1, 1, "active"],
  ["cobalt-1 (dedicated, custom plan)", "20", "monthly", 2, 3, "active"],
  ["shared-1 (shared, semiannual)", "11", "semiannually", null, 3, "active"],
  ["delta-1 (annual, cycle not offered)", "12", "annually", 3, 1, "provisioning"],
  ["old-1 (decommissioned)", "10", "monthly", 1, 1, "decommissioned"],
] as const;

const out = (s: string) => process.stdout.write(s);

/**
 * The main job end to end on an embedded default: its own database, the
 * built-in Hostwinds simulator (or, with HOSTWINDS_API_KEY and
 * HOSTWINDS_API_URL set, the real API, read-only), the worker in-process.
 */
export async function demoCommand(_cfg: Config, _args: string[], _o: NodeJS.WritableStream): Promise<number> {
  const real = Boolean(process.env.HOSTWINDS_API_KEY && process.env.HOSTWINDS_API_URL);
  const server = new URL(process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres");
  const admin = new URL(server);
  admin.pathname = "/postgres";
  const demoUrl = new URL(server);
  demoUrl.pathname = `/${DEMO_DB}`;

  out(`1. demo database ${DEMO_DB} on ${server.host}\n`);
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${DEMO_DB} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${DEMO_DB}`);
  await c.end();
  const m = await migrate({ databaseUrl: demoUrl.toString(), smtpIpMonthlyCostUsd: process.env.SMTP_IP_MONTHLY_COST_USD || "4.99" });
  out(`   migrated: ${m.applied.length} migrations in ${m.elapsedMs.toFixed(0)} ms\n`);

  const sim = real ? undefined : new HostwindsSimulator({ apiKey: "demo-key-not-secret", catalogue: new Catalogue() });
  if (sim) await sim.start();
  out(real ? `2. Hostwinds: the real API at ${process.env.HOSTWINDS_API_URL} (read-only)\n` : `2. Hostwinds: built-in simulator at ${sim!.url}\n`);

  const cfg = loadConfig({
    ...process.env,
    DATABASE_URL: demoUrl.toString(),
    QUEUE_PREFIX: `cost-sync-demo-${randomBytes(3).toString("hex")}`,
    OPS_PORT: "0",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
    ...(sim ? { HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: "demo-key-not-secret", HOSTWINDS_REQUESTS_PER_SECOND: "50" } : {}),
  });
  const rt = await startRuntime(cfg, { logger: createLogger(cfg.LOG_LEVEL), relaySweepMs: 500, attributionRefreshDelayMs: 100 });
  try {
    out(`3. worker running in-process (ops on ${rt.opsUrl})\n`);
    const tenants = [...(await seedBusiness(rt.db)).values()];
    const serviceIds = sim ? FLEET.map((_, i) => 5001 + i) : (await rt.hostwinds.getInstances()).slice(0, FLEET.length).map((i) => i.serviceid);
    FLEET.forEach(([, rid, cycle], i) => sim?.catalogue.setInstance({ serviceid: serviceIds[i]!, rid, billingcycle: cycle, hourly: cycle === "hourly" }));

    out(`4. creating ${serviceIds.length} VPS rows and their IPs: database triggers turn each insert into a sync\n`);
    const vpsIds: string[] = [];
    const sharedIps: string[] = [];
    for (const [i, [label, , , owner, ips, status]] of FLEET.slice(0, serviceIds.length).entries()) {
      const [row] = await rt.db.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, region, monthly_cost) VALUES ($1, $2, $3::uuid, $4, $5) RETURNING id::text`,
        String(serviceIds[i]), status, owner === null ? null : tenants[owner], label, i === 0 ? "9.99" : null,
      );
      vpsIds.push(row!.id);
      const ipStates = ["warming", "warmed", "assigned", "degraded"];
      for (let k = 0; k < ips; k++) {
        const [ip] = await rt.db.$queryRawUnsafe<{ id: string }[]>(
          `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status) VALUES ($1::uuid, $2, $3) RETURNING id::text`,
          row!.id, `198.51.100.${i * 10 + k + 1}`, ipStates[k % ipStates.length],
        );
        if (owner === null) sharedIps.push(ip!.id);
      }
    }
    // The shared VPS: Acme holds two of its IPs, Delta one.
    if (sharedIps.length >= 3) {
      await assign(rt.db, tenants[0]!, sharedIps.slice(0, 2));
      await assign(rt.db, tenants[3]!, sharedIps.slice(2, 3), "warming");
    }
    await settle(rt);

    out("5. Finance overrides birch-1 (special contract: 5.00) and an upgrade event prices acme-1 at plan rid 11\n");
    await setOverride(rt.db, "vps", vpsIds[2]!, 500n, { jobId: "demo", reason: "special contract (demo)" });
    sim?.catalogue.setInstance({ serviceid: serviceIds[0]!, rid: "11", billingcycle: "monthly", pendingUpgrade: { total: "10.00", duedate: "2026-12-01" } });
    await rt.producer.enqueueVpsCostSync(vpsIds[0]!, { reason: "upgrade to rid 11 (demo)", targetRid: "11" });
    await settle(rt);

    out("6. Hostwinds raises plan rid 11's semiannual price; the monthly reconciliation runs\n");
    if (sim) {
      const p = sim.catalogue.plans.get("11")!;
      sim.catalogue.setPlan({ ...p, prices: { ...p.prices, semiannually: "179.94" } });
    }
    await rt.producer.enqueueReconciliation({ trigger: "manual" });
    await settle(rt);

    await printResults(rt, sim);
    return EXIT.ok;
  } finally {
    // The demo's queue lives under its own random prefix: leave nothing behind in Redis.
    await rt.queue.obliterate({ force: true }).catch(() => {});
    await rt.queue.removeJobScheduler(RECONCILE_SCHEDULER_ID).catch(() => {});
    await rt.queue.removeJobScheduler(VIEWS_REFRESH_SCHEDULER_ID).catch(() => {});
    await rt.close();
    await sim?.close();
  }
}

/** Waits until every event is relayed and the queue is idle. */
async function settle(rt: Runtime): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 200));
    const [{ n }] = (await rt.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM cost_sync_events WHERE relayed_at IS NULL`)) as [{ n: number }];
    const counts = await rt.queue.getJobCounts("waiting", "active", "prioritized");
    // The monthly schedule always holds one delayed job: only other delayed jobs count as work.
    const delayed = (await rt.queue.getDelayed()).filter((j) => !j.repeatJobKey).length;
    quiet = n === 0 && delayed === 0 && Object.values(counts).every((v) => v === 0) ? quiet + 1 : 0;
  }
}

async function printResults(rt: Runtime, sim: HostwindsSimulator | undefined): Promise<void> {
  const q = <T = Record<string, unknown>>(sql: string) => rt.db.$queryRawUnsafe<T[]>(sql);
  out("\n== VPS costs ==\n");
  out(render(await q(`SELECT region AS vps, status, approximate_cost::text AS cost, approximate_cost_source AS source, approximate_cost_unpriced_reason AS unpriced FROM vps_instances ORDER BY created, id`), "table"));
  out("\n== what changed (cost_history) ==\n");
  out(render(await q(`SELECT h.resource_kind AS kind, COALESCE(v.region, iv.region || ' / ' || i.ip_address) AS resource, h.old_value::text AS "from", h.new_value::text AS "to", h.reason
      FROM cost_history h LEFT JOIN vps_instances v ON h.resource_kind = 'vps' AND v.id = h.resource_id
      LEFT JOIN smtp_ip_addresses i ON h.resource_kind = 'ip' AND i.id = h.resource_id LEFT JOIN vps_instances iv ON iv.id = i.vps_instance_id
      ORDER BY h.id`), "table"));
  out("\n== reconciliation ==\n");
  out(render(await q(`SELECT status, vps_checked, vps_changed, vps_unpriced, vps_failed, ip_checked, ip_changed, anomalies, hostwinds_calls, total_before::text, total_after::text, monthly_cost_difference::text FROM cost_reconciliation_runs`), "table"));
  out("\n== executive_business_summary ==\n");
  out(render(await q(`SELECT company_name, plan_name, monthly_subscription_revenue::text AS revenue, infrastructure_costs::text AS vps, email_service_costs::text AS ips, total_operational_cost::text AS cost, monthly_profit::text AS profit, gross_margin_percent::text AS margin_pct, business_health_status AS health FROM executive_business_summary ORDER BY company_name`), "table"));
  out("\n== tenant_cost_attribution (NULL tenant = unallocated) ==\n");
  out(render(await q(`SELECT COALESCE(t.name, '(unallocated)') AS tenant, a.vps_cost::text, a.ip_cost::text, a.total_cost::text FROM tenant_cost_attribution a LEFT JOIN tenants t ON t.id = a.tenant_id ORDER BY tenant`), "table"));
  if (sim) {
    const actions = new Map<string, number>();
    for (const r of sim.requests) actions.set(r.action, (actions.get(r.action) ?? 0) + 1);
    out(`\nHostwinds requests: ${[...actions].map(([a, n]) => `${a}=${n}`).join(", ")} (no mutating action sent)\n`);
  }
  out("\nInternal cost modelling only — not billing, never shown to tenants.\n");
}
