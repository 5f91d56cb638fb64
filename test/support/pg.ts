import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the tests use: local PostgreSQL, trust auth (toolchain notes). */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
/**
 * A database migrated once per test run (global setup) and cloned for each test file. Its name is
 * unique to the run (vitest.config.ts), so two checkouts testing at once never drop each other's.
 */
export const TEMPLATE_DB = process.env.COST_SYNC_TEST_TEMPLATE_DB ?? "cost_sync_test_template";

export function urlFor(database: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new empty database (no migrations). */
export async function createEmptyDatabase(prefix = "cs_t"): Promise<TestDatabase> {
  return createDatabase(prefix, undefined);
}

/** A new database cloned from the migrated template: isolated, and fast to make. */
export async function createMigratedDatabase(prefix = "cs_t"): Promise<TestDatabase> {
  return createDatabase(prefix, TEMPLATE_DB);
}

async function createDatabase(prefix: string, template: string | undefined): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  return {
    name,
    url: urlFor(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A short-lived client for assertions. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The rows one statement returns, on a short-lived client (the tests' `sql` helper). */
export function queryRows<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text, params)).rows as T[]);
}
