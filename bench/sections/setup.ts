import pg from "pg";
import { HostwindsSimulator } from "../../dev/simulator/server.js";
import { migrate } from "../../src/migrator/migrate.js";
import { ADMIN_URL, DB_NAME, KEY, type BenchContext, type Report, type Settings } from "../context.js";
import { generateFleet } from "../fleet.js";
import { ms } from "../measure.js";

/** A fresh, migrated database with the generated fleet, and the simulator serving its instances. */
export async function setUp(s: Settings, report: Report): Promise<BenchContext> {
  const dbUrl = await freshDatabase(report);
  const sim = new HostwindsSimulator({ apiKey: KEY });
  const t0 = performance.now();
  sim.catalogue.addGenerated(s.scale.vps + s.latencyInserts);
  await sim.start();
  report.add({
    section: "setup",
    metric: `simulator start with ${s.scale.vps + s.latencyInserts} instances`,
    value: ms(performance.now() - t0),
    target: "< 1000 ms",
    met: performance.now() - t0 < 1000,
  });

  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const t1 = performance.now();
  const { scale } = s;
  await generateFleet(c, scale);
  report.log(
    `  generated ${scale.tenants} tenants, ${scale.vps} VPS, ${scale.vps * scale.ipsPerVps} IPs, ${scale.vps * scale.ipsPerVps * scale.assignmentsPerIp} assignments, ${scale.payments} payments in ${ms(performance.now() - t1)}`,
  );
  return { ...s, report, dbUrl, c, sim };
}

/** Drops the run's database at the end (it is named after the run, so nothing else would). */
export async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function freshDatabase(report: Report): Promise<string> {
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${DB_NAME}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const mig = await migrate({ databaseUrl: dbUrl.toString(), smtpIpMonthlyCostUsd: "4.99" });
  report.add({ section: "setup", metric: "migrate, fresh database", value: ms(mig.elapsedMs) });
  return dbUrl.toString();
}
