import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_INDEXES, EXPECTED_TABLES, EXPECTED_VIEWS, GROUP_ROLES } from "../src/migrator/check/expected.js";
import { APPLICATION_TABLES } from "../src/migrator/check/policy.js";
import { loadSchemaSnapshot, readSchemaSnapshot, SNAPSHOT_FILE } from "../src/migrator/snapshot/schema-snapshot.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

// The committed schema snapshot is what the migrations build: `migrate --check` compares production
// databases with it, so a migration that changes the schema without `npm run schema:snapshot` fails here.

let db: TestDatabase;
beforeAll(async () => {
  db = await createMigratedDatabase("cs_snap");
});
afterAll(async () => {
  await db.drop();
});

describe("the schema snapshot", () => {
  it("is what the migrations build (else: run `npm run schema:snapshot` and commit it)", async () => {
    const built = await withClient(db.url, readSchemaSnapshot);
    expect(
      built,
      `the migrated schema differs from ${SNAPSHOT_FILE}: run \`npm run schema:snapshot\` and commit the result`,
    ).toEqual(loadSchemaSnapshot());
  });

  it("gives migrate --check every table, view, index and group role, and the policy names only real columns", () => {
    const snapshot = loadSchemaSnapshot();
    expect(EXPECTED_TABLES.map((t) => t.name).sort()).toEqual(
      Object.keys(snapshot.tables)
        .filter((t) => t !== "_prisma_migrations")
        .sort(),
    );
    expect(EXPECTED_TABLES.filter((t) => t.owner === "application").map((t) => t.name)).toEqual(
      Object.keys(APPLICATION_TABLES),
    );
    expect(Object.keys(EXPECTED_VIEWS)).toContain("executive_business_summary");
    expect(EXPECTED_INDEXES).toMatchObject({ idx_domains_tenant: "domains", uq_cost_history_change: "cost_history" });
    expect(EXPECTED_INDEXES).not.toHaveProperty("cost_history_pkey");
    expect([...GROUP_ROLES]).toEqual(["application_service", "business_analysts", "db_administrators", "executives"]);
  });
});
