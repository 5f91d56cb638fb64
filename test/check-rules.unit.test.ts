import { describe, expect, it } from "vitest";
import { accessFindings } from "../src/migrator/check/access.js";
import type { Catalog, Relation, Session } from "../src/migrator/check/catalog.js";
import { constantMigrationSkip, historyFindings, pendingMigrations } from "../src/migrator/check/history.js";

// The rules of `migrate --check` on catalogs a shared test cluster cannot produce (its group roles
// exist already, and its test role is a superuser). The matrix on real databases is in
// migrate-production.test.ts and migrate-check.test.ts.

const session = (s: Partial<Session> = {}): Session => ({
  role: "cost_sync",
  database: "prod",
  schema: "public",
  superuser: false,
  bypass_rls: false,
  create_role: false,
  schema_create: true,
  missing_roles: [],
  ...s,
});
const table = (name: string, r: Partial<Relation> = {}): [string, Relation] => [
  name,
  {
    name,
    kind: "r",
    owned: true,
    rls: false,
    force_rls: false,
    policies: false,
    privileges: ["SELECT", "INSERT", "UPDATE"],
    index_table: null,
    ...r,
  },
];
const catalog = (s: Partial<Session>, relations: [string, Relation][] = [], c: Partial<Catalog> = {}): Catalog => ({
  session: session(s),
  relations: new Map(relations),
  columns: new Map(),
  guarded: new Set(),
  history: null,
  ...c,
});
const topics = (findings: { topic: string; object: string; severity: string }[]) =>
  findings.map((f) => `${f.severity} ${f.topic}: ${f.object}`);

describe("migrate --check rules", () => {
  it("group roles that do not exist: a block without CREATEROLE, nothing with it or as a superuser", () => {
    const missing = ["executives", "db_administrators"];
    expect(topics(accessFindings(catalog({ missing_roles: missing }), true))).toEqual([
      "block role: executives, db_administrators",
    ]);
    expect(accessFindings(catalog({ missing_roles: missing, create_role: true }), true)).toEqual([]);
    expect(accessFindings(catalog({ missing_roles: missing, superuser: true }), true)).toEqual([]);
    expect(accessFindings(catalog({ missing_roles: missing }), false)).toEqual([]); // nothing pending: nothing to create
  });

  it("row-level security: BYPASSRLS and superusers are exempt, owners unless FORCE; policies make it a warning", () => {
    const rls = (r: Partial<Relation>, s: Partial<Session> = {}) =>
      topics(accessFindings(catalog(s, [table("smtp_ip_addresses", { rls: true, ...r })]), false));
    expect(rls({ owned: true })).toEqual([]);
    expect(rls({ owned: true, force_rls: true })).toEqual(["block row-level security: smtp_ip_addresses"]);
    expect(rls({ owned: false, policies: true })).toEqual(["warn row-level security: smtp_ip_addresses"]);
    expect(rls({ owned: false }, { bypass_rls: true })).toEqual([]);
    expect(rls({ owned: false, force_rls: true }, { superuser: true })).toEqual([]);
  });

  it("a search_path that names no schema, and ownership only while migrations are pending", () => {
    expect(topics(accessFindings(catalog({ schema: null }), false))).toEqual(["block privilege: search_path"]);
    const notOwned = [table("domains", { owned: false })];
    expect(topics(accessFindings(catalog({}, notOwned), true))).toEqual(["block privilege: domains"]);
    expect(accessFindings(catalog({}, notOwned), false)).toEqual([]);
  });

  it("0300 is marked applied on a non-text updated_by, or none; a failed 0300 is then no block", () => {
    const withUpdatedBy = (type: string | undefined) =>
      catalog({}, [table("system_config")], {
        columns: new Map([
          [
            "system_config",
            type === undefined
              ? []
              : [{ relation: "system_config", column: "updated_by", type, not_null: false, has_default: false }],
          ],
        ]),
        history: [{ name: "20261101000300_smtp_ip_cost_constant", finished: false, rolled_back: false }],
      });
    expect(constantMigrationSkip(withUpdatedBy("character varying(255)"))).toBeUndefined();
    expect(constantMigrationSkip(withUpdatedBy("text"))).toBeUndefined();
    expect(constantMigrationSkip(withUpdatedBy("uuid"))).toMatch(/updated_by is uuid/);
    expect(constantMigrationSkip(withUpdatedBy("bigint"))).toMatch(/updated_by is bigint/);
    expect(constantMigrationSkip(withUpdatedBy(undefined))).toMatch(/no updated_by column/);
    const local = [{ name: "20261101000300_smtp_ip_cost_constant", sql: "" }];
    const uuid = withUpdatedBy("uuid");
    const pending = pendingMigrations(local, uuid);
    expect(pending).toEqual([expect.objectContaining({ action: "mark-applied" })]);
    expect(historyFindings(local, uuid, pending)).toEqual([]);
    const text = withUpdatedBy("text");
    expect(topics(historyFindings(local, text, pendingMigrations(local, text)))).toEqual([
      "block failed migration: _prisma_migrations",
    ]);
  });
});
