import type pg from "pg";
import { pgTransaction } from "../../db/sql.js";
import { withPgClient } from "../../infrastructure.js";
import { readMigrations, type MigrationSource } from "../migration-files.js";
import { accessFindings } from "./access.js";
import { readCatalog } from "./catalog.js";
import { columnFindings } from "./columns.js";
import { historyFindings, pendingMigrations } from "./history.js";
import { relationFindings } from "./relations.js";
import type { CheckReport } from "./report.js";
import { rowFindings } from "./rows.js";

/**
 * Everything `migrate` needs to know before it writes: the pending migrations and every
 * incompatibility between this database and cost-sync's migrations and SQL. Runs inside a
 * READ ONLY transaction that is rolled back, on the caller's connection: it changes nothing.
 */
export async function inspectDatabase(c: pg.Client, migrations: readonly MigrationSource[]): Promise<CheckReport> {
  return pgTransaction(c, () => inspect(c, migrations), { readOnly: true, lockTimeout: "10s", keep: () => false });
}

async function inspect(c: pg.Client, migrations: readonly MigrationSource[]): Promise<CheckReport> {
  const cat = await readCatalog(c);
  const pending = pendingMigrations(migrations, cat);
  const findings = [
    ...historyFindings(migrations, cat, pending),
    ...relationFindings(cat),
    ...columnFindings(cat),
    ...accessFindings(cat, pending.length > 0),
    ...(await rowFindings(c, cat)),
  ];
  return {
    database: cat.session.database,
    role: cat.session.role,
    pending,
    findings,
    ready: !findings.some((f) => f.severity === "block"),
  };
}

/** `migrate --check`: connects, inspects, changes nothing. */
export async function checkDatabase(databaseUrl: string, dir?: string): Promise<CheckReport> {
  const migrations = await readMigrations(dir);
  return withPgClient(databaseUrl, (c) => inspectDatabase(c, migrations));
}
