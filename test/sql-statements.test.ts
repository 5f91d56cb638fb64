import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, withIncludes } from "../src/db/sql.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// Every .sql statement the code runs (src/**, and the demo's under dev/**), PREPAREd against the migrated
// schema: a renamed column or table, a wrong type or a typo fails here, in `npm test`, and not when a job
// first runs it. New files are found by the walk below, with nothing to register. The blocks statements include
// (src/db/queries/include/, `/* @include name */`) are not statements: they are checked inside each includer.
const ROOT = path.resolve(import.meta.dirname, "..");
const sqlFiles = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".sql"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .sort();
const INCLUDES = "src/db/queries/include/";
const FILES = [...sqlFiles("src"), ...sqlFiles("dev")].filter((f) => !f.startsWith(INCLUDES));
/** A statement's text as `statement()` sends it: includes resolved, parameters numbered. */
const textOf = (file: string) => compile(withIncludes(readFileSync(path.join(ROOT, file), "utf8"))).text;

/** The statement's first keyword, past its comments. */
const verb = (text: string) =>
  /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? "";
// What PREPARE accepts; the rest (DDL of temporary tables, SET LOCAL, REFRESH, VACUUM) runs instead, in a
// transaction rolled back, but VACUUM, which cannot run in one, on this test's own copy of the schema.
const PREPARABLE = new Set(["SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES", "MERGE", "TABLE"]);

let db: TestDatabase;
let c: pg.Client;
beforeAll(async () => {
  db = await createMigratedDatabase("cs_sql");
  c = new pg.Client({ connectionString: db.url });
  await c.connect();
});
afterAll(async () => {
  await c.end();
  await db.drop();
});

describe("every .sql statement", () => {
  it("is found: the statement folders of src/ and dev/ are walked", () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain("src/db/queries/vps/load-chunk.sql");
    expect(FILES.some((f) => f.startsWith("dev/demo/queries/"))).toBe(true);
  });

  it("covers the cost writes, their shared blocks included", () => {
    for (const f of ["vps/write-costs", "ip/reprice-ips", "ip/reprice-share-vps", "overrides/set-ip"])
      expect(FILES).toContain(`src/db/queries/${f}.sql`);
    expect(textOf("src/db/queries/vps/write-costs.sql")).toContain("INSERT INTO cost_anomalies");
    expect(FILES.filter((f) => textOf(f).includes("@include"))).toEqual([]);
  });

  it("prepares (or, if PREPARE cannot take it, runs) against the migrated schema", async () => {
    const statements = FILES.map((file) => ({ file, text: textOf(file) }));
    const failures: string[] = [];
    const attempt = async (file: string, sql: string, savepoint: boolean) => {
      if (savepoint) await c.query("SAVEPOINT one");
      try {
        await c.query(sql);
        if (savepoint) await c.query("RELEASE SAVEPOINT one");
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message}`);
        if (savepoint) await c.query("ROLLBACK TO SAVEPOINT one");
      }
    };
    for (const s of statements.filter((x) => verb(x.text) === "VACUUM")) await attempt(s.file, s.text, false);
    await c.query("BEGIN");
    try {
      // Utility statements first: the invoice import's statements read the temporary tables some of them
      // create. Those that create (CREATE TEMP TABLE …, in file order: the matching's reads the staging's)
      // run before the others (ANALYZE of those tables), so every statement still runs, nothing skipped.
      const utility = statements.filter((x) => !PREPARABLE.has(verb(x.text)) && verb(x.text) !== "VACUUM");
      const creates = (x: { text: string }) => verb(x.text) === "CREATE";
      for (const s of [...utility.filter(creates), ...utility.filter((x) => !creates(x))])
        await attempt(s.file, s.text, true);
      for (const [i, s] of statements.filter((x) => PREPARABLE.has(verb(x.text))).entries()) {
        await attempt(s.file, `PREPARE stmt_${String(i)} AS ${s.text}`, true);
      }
    } finally {
      await c.query("ROLLBACK");
    }
    expect(failures).toEqual([]);
  });

  it("refuses a statement whose column was renamed", async () => {
    const file = "src/db/queries/vps/load-one.sql";
    const text = textOf(file);
    await c.query("BEGIN");
    try {
      await c.query(`ALTER TABLE vps_instances RENAME COLUMN approximate_cost_override TO cost_override`);
      await expect(c.query(`PREPARE renamed AS ${text}`)).rejects.toThrow(/approximate_cost_override/);
    } finally {
      await c.query("ROLLBACK");
    }
  });
});
