import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "../../src/migrator/migrate.js";
import { DB_NAME, type BenchContext } from "../context.js";
import { generateFleet } from "../fleet.js";
import { ms, percentile } from "../measure.js";
import { startPrivateCluster, type PrivateCluster } from "../private-cluster.js";

/**
 * 100 concurrent clients on the full summary, with pgbench. This machine's
 * server allows ~95 clients (max_connections = 100); then the same data shape
 * is generated in a private cluster of the same binaries with room for 100.
 */
export async function concurrentClients(ctx: BenchContext, query: string): Promise<void> {
  const free = await freeConnections(ctx.c);
  let target = ctx.dbUrl;
  let where = "this server";
  let cluster: PrivateCluster | undefined;
  if (free - 1 < 100) {
    cluster = startPrivateCluster();
    if (cluster) {
      ctx.report.log(
        `  max_connections leaves ${free - 1} clients here: loading the data set into a private cluster for 100`,
      );
      target = await loadPrivateCluster(ctx, cluster);
      where = "private cluster, same binaries";
    }
  }
  const clients = cluster ? 100 : Math.min(100, free - 1);
  const dir = mkdtempSync(path.join(tmpdir(), "cs-pgbench-"));
  try {
    const lats = pgbench({ dir, query, clients, target, transactions: ctx.quick ? 3 : 5 });
    ctx.report.add({
      section: "5 views",
      metric: `${clients} concurrent clients (pgbench, ${where}), full summary x ${lats.length}: p95`,
      value: ms(percentile(lats, 95)),
      target: "100 clients, ≤ 3000 ms",
      met: percentile(lats, 95) <= 3000 && clients >= 100,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    cluster?.stop();
  }
}

/** Client connections the server still accepts. */
async function freeConnections(c: pg.Client): Promise<number> {
  const { rows } = await c.query<{ free: number }>(
    `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS free`,
  );
  const [row] = rows;
  if (!row) throw new Error("the free-connections query returned no row");
  return row.free;
}

/** The same data set, with the costs a reconciliation would write, in the private cluster; its URL. */
async function loadPrivateCluster(ctx: BenchContext, cluster: PrivateCluster): Promise<string> {
  const u = new URL(cluster.url);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  u.pathname = `/${DB_NAME}`;
  await migrate({ databaseUrl: u.toString(), smtpIpMonthlyCostUsd: "4.99" });
  const pc = new pg.Client({ connectionString: u.toString() });
  await pc.connect();
  await generateFleet(pc, ctx.scale);
  // The modelled costs a reconciliation would have written (same spread of plans).
  await pc.query("SET session_replication_role = replica");
  await pc.query(
    `UPDATE vps_instances SET approximate_cost = (ARRAY[9.99, 3.33, 39.99])[1 + hostwinds_instance_id::int % 3] WHERE status <> 'decommissioned'`,
  );
  await pc.query(`UPDATE smtp_ip_addresses SET approximate_cost = 4.99`);
  await pc.query("REFRESH MATERIALIZED VIEW cost_attribution_by_tenant");
  await pc.query("REFRESH MATERIALIZED VIEW tenant_business_snapshot");
  await pc.query("ANALYZE");
  await pc.end();
  return u.toString();
}

/** Runs `query` from `clients` pgbench clients, `transactions` times each; every latency, in ms. */
function pgbench(o: { dir: string; query: string; clients: number; target: string; transactions: number }): number[] {
  writeFileSync(path.join(o.dir, "q.sql"), `${o.query};\n`);
  const r = spawnSync(
    "pgbench",
    [
      "-n",
      "-c",
      String(o.clients),
      "-j",
      "2",
      "-t",
      String(o.transactions),
      "-f",
      path.join(o.dir, "q.sql"),
      "-l",
      "--log-prefix",
      path.join(o.dir, "log"),
      o.target,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
  return readdirSync(o.dir)
    .filter((f) => f.startsWith("log"))
    .flatMap((f) =>
      readFileSync(path.join(o.dir, f), "utf8")
        .trim()
        .split("\n")
        .map((l) => Number(l.split(" ")[2]) / 1000),
    );
}
