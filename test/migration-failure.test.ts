import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { splitStatements } from "../src/db/sql.js";
import { migrate } from "../src/migrator/migrate.js";
import { isAtomic, MigrationFailedError } from "../src/migrator/migration-failure.js";
import { MIGRATIONS_DIR, readMigrations } from "../src/migrator/migration-files.js";
import { createEmptyDatabase, withClient, type TestDatabase } from "./support/pg.js";

// Every migrate failure reads in PostgreSQL's words: message, SQLSTATE, the migration, the statement.

const dbs: TestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dbs.splice(0)) await d.drop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BROKEN = "20991231000000_fails_on_purpose";

/** The real migrations plus one that fails on its second statement. */
function migrationsWith(failing: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cost-sync-migrations-"));
  dirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  mkdirSync(path.join(dir, BROKEN));
  writeFileSync(
    path.join(dir, BROKEN, "migration.sql"),
    `-- a migration that fails half-way; its first statement must not survive it\nCREATE TABLE probe_of_failure (id int);\n\n-- then:\n${failing};\nCREATE TABLE after_failure (id int);\n`,
  );
  return dir;
}

describe("a migration that fails", () => {
  it.each([
    [
      "a value of the wrong type",
      "INSERT INTO vps_instances (id, status)\nVALUES ('not-a-uuid', 'active')",
      /invalid input syntax for type uuid: "not-a-uuid" \(SQLSTATE 22P02\)/,
      "INSERT INTO vps_instances (id, status)",
    ],
    [
      "a missing table",
      "ALTER TABLE no_such_table ADD COLUMN x int",
      /relation "no_such_table" does not exist \(SQLSTATE 42P01\)/,
      "ALTER TABLE no_such_table ADD COLUMN x int",
    ],
  ])(
    "reports %s in PostgreSQL's words, keeps nothing of it, and lets the next run retry it",
    async (_, sql, message, first) => {
      const db = await createEmptyDatabase("cs_fail");
      dbs.push(db);
      const dir = migrationsWith(sql);
      const err = await migrate({ databaseUrl: db.url, smtpIpMonthlyCostUsd: "4.99", dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationFailedError);
      const text = (err as Error).message;
      expect(text).toMatch(new RegExp(`^migration ${BROKEN} failed: `));
      expect(text).toMatch(message);
      expect(text).toContain(`statement 2 (line 5): ${first}`);
      expect(text).toContain("recorded as rolled back");
      expect(text).not.toMatch(/unknown variant|wasm|WASM_ERROR|schema_engine/);
      await withClient(db.url, async (c) => {
        const kept = await c.query(
          `SELECT to_regclass('probe_of_failure') AS probe, to_regclass('after_failure') AS after`,
        );
        expect(kept.rows[0]).toEqual({ probe: null, after: null });
        const history = await c.query(
          `SELECT count(*) FILTER (WHERE finished_at IS NOT NULL)::int AS finished,
                array_agg(migration_name) FILTER (WHERE finished_at IS NULL) AS unfinished,
                bool_and(rolled_back_at IS NOT NULL) FILTER (WHERE finished_at IS NULL) AS rolled_back
           FROM _prisma_migrations`,
        );
        expect(history.rows[0]).toEqual({
          finished: (await readMigrations()).length,
          unfinished: [BROKEN],
          rolled_back: true,
        });
      });
      // Fixed: the next run applies it (a rolled-back migration is pending again).
      writeFileSync(path.join(dir, BROKEN, "migration.sql"), "CREATE TABLE probe_of_failure (id int);\n");
      const again = await migrate({ databaseUrl: db.url, smtpIpMonthlyCostUsd: "4.99", dir });
      expect(again.applied).toEqual([BROKEN]);
    },
  );
});

describe("splitStatements", () => {
  it("splits at the semicolons that end statements, not those in strings, comments or dollar quotes", () => {
    const script = [
      "-- header; with a semicolon",
      "CREATE TABLE t (x text DEFAULT 'a;b');",
      "/* block; comment */ DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;",
      "COMMENT ON TABLE t IS 'it''s; fine';",
      "SELECT $f$ ; $f$",
    ].join("\n");
    expect(splitStatements(script)).toEqual([
      { text: "CREATE TABLE t (x text DEFAULT 'a;b')", line: 2 },
      { text: "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$", line: 3 },
      { text: "COMMENT ON TABLE t IS 'it''s; fine'", line: 4 },
      { text: "SELECT $f$ ; $f$", line: 5 },
    ]);
    expect(splitStatements("-- only a comment\n")).toEqual([]);
  });

  it("tells a migration that commits on its own from one that runs as one transaction", () => {
    expect(isAtomic({ name: "a", sql: "CREATE TABLE a (x int);\nDO $$ BEGIN NULL; END $$;" })).toBe(true);
    expect(isAtomic({ name: "b", sql: "CREATE TABLE b (x int);\nCOMMIT;\nCREATE INDEX b_x ON b (x);" })).toBe(false);
  });
});
