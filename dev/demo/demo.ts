import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/config/env.js";
import { noArgs, parse } from "../../src/cli/args.js";
import type { CliIo } from "../../src/cli/spec.js";
import { EXIT } from "../../src/cli/usage-error.js";
import { countPendingEvents } from "../../src/db/writes/events.js";
import { setOverride } from "../../src/db/writes/overrides.js";
import { migrate } from "../../src/migrator/migrate.js";
import { createLogger, prettyDestination } from "../../src/logger.js";
import { startRuntime, type Runtime } from "../../src/runtime.js";
import { Catalogue } from "../simulator/catalogue.js";
import { HostwindsSimulator } from "../simulator/server.js";
import { query } from "../../src/db/sql.js";
import { demoDatabaseName, recreateDemoDatabase } from "./database.js";
import { DEMO_HELP } from "./help.js";
import { FLEET, insertFleet } from "./fleet.js";
import { closeMonth, monthsAgo, printMoney, printSavings } from "./money.js";
import { importInvoice } from "./invoice.js";
import { backdateTo } from "./backdate.js";
import { removePrefix, removeQueue } from "./cleanup.js";
import { printResults } from "./results.js";
import { printBacktest } from "./backtest.js";
import { assign, seedBusiness } from "./seed.js";
import { Q } from "./statements.js";

const SIM_KEY = "demo-key-not-secret";
const out = (s: string) => process.stdout.write(s);

/**
 * The main job end to end on an embedded default: its own database, the built-in Hostwinds
 * simulator (or, with HOSTWINDS_API_KEY and HOSTWINDS_API_URL set, the real API, read-only), the
 * worker in-process. It builds its own configuration and writes to stdout; its logs (warnings) are
 * readable lines on stderr, never JSON between its steps.
 */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, DEMO_HELP.flags);
  noArgs(positionals);
  const real = Boolean(process.env.HOSTWINDS_API_KEY && process.env.HOSTWINDS_API_URL);
  const name = demoDatabaseName(values.database);
  const demoUrl = await freshDatabase({ yes: values.yes === true, io, name });
  if (demoUrl === undefined) {
    io.err.write("cancelled: the demo database was left as it was\n");
    return EXIT.failure;
  }
  const sim = real ? undefined : new HostwindsSimulator({ apiKey: SIM_KEY, catalogue: new Catalogue() });
  if (sim) await sim.start();
  out(
    real
      ? `2. Hostwinds: the real API at ${process.env.HOSTWINDS_API_URL ?? ""} (read-only)\n`
      : `2. Hostwinds: built-in simulator at ${sim?.url ?? ""}\n`,
  );
  const cfg = loadConfig({
    ...process.env,
    DATABASE_URL: demoUrl,
    // Its own queue under a random prefix (QUEUE_PREFIX, when set, is its stem: a test gives its own).
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX || "cost-sync"}-demo-${randomBytes(3).toString("hex")}`,
    OPS_PORT: "0",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
    ...(sim ? { HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: SIM_KEY, HOSTWINDS_REQUESTS_PER_SECOND: "50" } : {}),
  });
  const rt = await startRuntime(cfg, {
    logger: createLogger(cfg.LOG_LEVEL, prettyDestination(2)),
    relaySweepMs: 500,
    attributionRefreshDelayMs: 100,
  });
  try {
    out(`3. worker running in-process (ops on ${rt.opsUrl ?? "-"})\n`);
    await runScenario(rt, sim);
    await printResults(rt.db, sim, out);
    await printMoney(cfg);
    await printBacktest(rt.db, out);
    await printSavings(cfg);
    out("\nInternal cost modelling only — not billing, never shown to tenants.\n");
    return EXIT.ok;
  } finally {
    // Its own random prefix in Redis: nothing is left behind there (cleanup.ts).
    await removeQueue(rt);
    await rt.close();
    await removePrefix(cfg).catch(() => undefined);
    await sim?.close();
  }
}

/** Recreates the demo database (see database.ts), then migrates it; undefined when the person declined. */
async function freshDatabase(o: { yes: boolean; io: CliIo; name: string }): Promise<string | undefined> {
  const server = new URL(process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres");
  const demoUrl = new URL(server);
  demoUrl.pathname = `/${o.name}`;
  out(`1. demo database ${o.name} on ${server.host}\n`);
  if (!(await recreateDemoDatabase(server, o))) return undefined;
  const m = await migrate({
    databaseUrl: demoUrl.toString(),
    smtpIpMonthlyCostUsd: process.env.SMTP_IP_MONTHLY_COST_USD || "4.99",
  });
  out(`   migrated: ${String(m.applied.length)} migrations in ${m.elapsedMs.toFixed(0)} ms\n`);
  return demoUrl.toString();
}

/** Steps 4 to 7: creation events, an override, an upgrade and a close; then a price change, the reconciliation, the invoice and a close. */
async function runScenario(rt: Runtime, sim: HostwindsSimulator | undefined): Promise<void> {
  const cfg = rt.cfg;
  const tenants = [...(await seedBusiness(rt.db)).values()];
  const serviceIds = sim
    ? FLEET.map((_, i) => 5001 + i)
    : (await rt.hostwinds.getInstances()).instances.slice(0, FLEET.length).map((i) => i.serviceid);
  FLEET.forEach((v, i) => {
    sim?.catalogue.setInstance({
      serviceid: serviceIds[i] ?? 0,
      rid: v.rid,
      billingcycle: v.cycle,
      hourly: v.cycle === "hourly",
    });
  });
  out(
    `4. creating ${String(serviceIds.length)} VPS rows and their IPs: database triggers turn each insert into a sync\n`,
  );
  const { vpsIds, sharedIps, ownedIps } = await insertFleet(rt.db, { serviceIds, tenants });
  for (const [tenant, ips] of ownedIps) await assign(rt.db, tenant, ips);
  // The shared VPS: Acme holds two of its IPs, Delta one.
  if (sharedIps.length >= 3) {
    await assign(rt.db, tenants[0] ?? "", sharedIps.slice(0, 2));
    await assign(rt.db, tenants[3] ?? "", sharedIps.slice(2, 3), "warming");
  }
  await settle(rt);

  out("5. Finance overrides birch-1 (special contract: 5.00) and an upgrade event prices acme-1 at plan rid 11\n");
  await setOverride(rt.db, {
    kind: "vps",
    id: vpsIds[2] ?? "",
    cents: 500n,
    write: { jobId: "demo", reason: "special contract (demo)" },
  });
  sim?.catalogue.setInstance({
    serviceid: serviceIds[0] ?? 0,
    rid: "11",
    billingcycle: "monthly",
    pendingUpgrade: { total: "10.00", duedate: "2026-12-01" },
  });
  await rt.producer.enqueueVpsCostSync(vpsIds[0] ?? "", { reason: "upgrade to rid 11 (demo)", targetRid: "11" });
  await settle(rt);
  const [before, last] = [monthsAgo(2), monthsAgo(1)];
  // The demo compresses months: what it did so far stands for the month before last, what follows for last month.
  await backdateTo(rt.db, before);
  await settle(rt);
  out(`   Finance closes ${before}, from its cost history (${last} closes after the price change below)\n`);
  await closeMonth(cfg, before, "demo: month-end close");

  await priceChangeAndMonthEnd(rt, sim, last);
}

/** Steps 6 and 7: a price change, untracked spend and a ghost found by the reconciliation, the invoice, a close. */
async function priceChangeAndMonthEnd(rt: Runtime, sim: HostwindsSimulator | undefined, last: string): Promise<void> {
  const cfg = rt.cfg;
  out("6. Hostwinds raises plan rid 11's semiannual price; a server nobody tracks runs at Hostwinds, and a row names");
  out(" one Hostwinds no longer lists; the monthly reconciliation runs\n");
  const plan = sim?.catalogue.plans.get("11");
  if (sim && plan) sim.catalogue.setPlan({ ...plan, prices: { ...plan.prices, semiannually: "179.94" } });
  sim?.catalogue.setInstance({ serviceid: UNTRACKED_SID, rid: "10", billingcycle: "monthly" });
  if (sim) await insertGhost(rt.db);
  await settle(rt);
  await rt.producer.enqueueReconciliation({ trigger: "manual" });
  await settle(rt);
  await backdateTo(rt.db, last);
  await settle(rt);

  out(`7. Finance imports ${last}'s Hostwinds invoice (typed from the client area, as WHMCS writes it), then closes ${last}\n`); // prettier-ignore
  await importInvoice(cfg, rt.db, last, sim ? UNTRACKED_SID : undefined);
  await closeMonth(cfg, last, "demo: month-end close");
}

/** A Hostwinds server no VPS row names (untracked), and a row whose serviceid Hostwinds does not list (a ghost). */
const UNTRACKED_SID = 5090;
async function insertGhost(db: Runtime["db"]): Promise<void> {
  await query(db, Q.insertVps, {
    serviceId: "5099",
    status: "active",
    tenantId: null,
    label: "relay-old (cancelled at Hostwinds)",
    monthlyCost: null,
  });
}

/** Waits until every event is relayed and the queue is idle. */
async function settle(rt: Runtime): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    await new Promise((r) => setTimeout(r, 200));
    const pending = await countPendingEvents(rt.pool);
    const counts = await rt.queue.getJobCounts("waiting", "active", "prioritized");
    // The monthly schedule always holds one delayed job: only other delayed jobs count as work.
    const delayed = (await rt.queue.getDelayed()).filter((j) => !j.repeatJobKey).length;
    quiet = pending === 0 && delayed === 0 && Object.values(counts).every((v) => v === 0) ? quiet + 1 : 0;
  }
}
