import type { Catalog, Relation } from "./catalog.js";
import {
  EXPECTED_MATVIEWS,
  EXPECTED_TABLES,
  EXPECTED_VIEWS,
  PRISMA_MIGRATIONS_TABLE,
  type Privilege,
} from "./expected.js";
import type { Finding } from "./report.js";

const REQUIRED: { name: string; privileges: readonly Privilege[] }[] = [
  ...EXPECTED_TABLES,
  { name: PRISMA_MIGRATIONS_TABLE, privileges: ["SELECT", "INSERT", "UPDATE"] },
];
/** Relations the migrations ALTER, index, trigger, comment or replace: PostgreSQL wants their owner. */
const ALTERED = [
  ...EXPECTED_TABLES.filter((t) => t.altered).map((t) => t.name),
  ...Object.keys(EXPECTED_VIEWS),
  ...Object.keys(EXPECTED_MATVIEWS),
];

const block = (f: Omit<Finding, "severity">): Finding => ({ severity: "block", ...f });

/** The connecting role's rights: schema, ownership (while migrations are pending), privileges, group roles. */
export function accessFindings(cat: Catalog, pending: boolean): Finding[] {
  return [
    ...schemaFindings(cat, pending),
    ...tableFindings(cat, pending),
    ...roleFindings(cat, pending),
    ...rlsFindings(cat),
  ];
}

function schemaFindings(cat: Catalog, pending: boolean): Finding[] {
  const s = cat.session;
  if (s.schema === null) {
    return [
      block({
        topic: "privilege",
        object: "search_path",
        problem: "names no schema that exists: there is nowhere to create cost-sync's objects",
        fix: `ALTER ROLE ${s.role} SET search_path = <the application's schema>`,
      }),
    ];
  }
  if (!pending || s.schema_create || s.superuser) return [];
  return [
    block({
      topic: "privilege",
      object: `schema ${s.schema}`,
      problem: `${s.role} may not create objects in it (the migrations create tables, views and functions)`,
      fix: `GRANT CREATE ON SCHEMA ${s.schema} TO ${s.role}`,
    }),
  ];
}

function tableFindings(cat: Catalog, pending: boolean): Finding[] {
  const role = cat.session.role;
  const findings: Finding[] = [];
  for (const name of pending ? ALTERED : Object.keys(EXPECTED_MATVIEWS)) {
    const r = cat.relations.get(name);
    if (r && !r.owned) findings.push(notOwner(name, role, pending));
  }
  for (const t of REQUIRED) {
    const r = cat.relations.get(t.name);
    const missing = r ? t.privileges.filter((p) => !(r.privileges ?? []).includes(p)) : [];
    if (missing.length) {
      findings.push(
        block({
          topic: "privilege",
          object: t.name,
          problem: `${role} lacks ${missing.join(", ")} (cost-sync needs ${t.privileges.join(", ")} on it)`,
          fix: `GRANT ${missing.join(", ")} ON ${t.name} TO ${role}`,
        }),
      );
    }
  }
  return findings;
}

function roleFindings(cat: Catalog, pending: boolean): Finding[] {
  const s = cat.session;
  if (!pending || !s.missing_roles.length || s.create_role || s.superuser) return [];
  return [
    block({
      topic: "role",
      object: s.missing_roles.join(", "),
      problem: `the group roles of the views' access matrix do not exist and ${s.role} may not create them`,
      fix: `as a superuser: ${s.missing_roles.map((r) => `CREATE ROLE ${r} NOLOGIN;`).join(" ")} (or ALTER ROLE ${s.role} CREATEROLE)`,
    }),
  ];
}

function notOwner(name: string, role: string, pending: boolean): Finding {
  return block({
    topic: "privilege",
    object: name,
    problem: pending
      ? `${role} does not own it, and the pending migrations alter it (columns, constraints, indexes, triggers or the view itself)`
      : `${role} does not own it, and only its owner may refresh it`,
    fix: `run migrate as its owner, or make ${role} a member of the owning role: GRANT <owner> TO ${role}`,
  });
}

/**
 * Row-level security hides rows from a role it applies to: with no policy for cost-sync, reads see
 * nothing and writes change nothing, without an error. It does not apply to a superuser, a role
 * with BYPASSRLS, or the table's owner unless FORCE ROW LEVEL SECURITY is set.
 */
function rlsFindings(cat: Catalog): Finding[] {
  const s = cat.session;
  if (s.superuser || s.bypass_rls) return [];
  return EXPECTED_TABLES.flatMap((t) => {
    const r: Relation | undefined = cat.relations.get(t.name);
    if (!r?.rls || (r.owned && !r.force_rls)) return [];
    const writes = t.privileges.filter((p) => p !== "SELECT");
    const what = writes.length ? `reads and writes (${writes.join(", ")})` : "reads";
    return [
      {
        severity: r.policies ? "warn" : "block",
        topic: "row-level security",
        object: t.name,
        problem: r.policies
          ? `row-level security applies to ${s.role} through policies: cost-sync ${what} every row, and rows a policy hides are silently left out`
          : `row-level security is enabled${r.force_rls ? " and forced" : ""} with no policy for ${s.role}: cost-sync ${what} it and would see no row at all`,
        fix: `CREATE POLICY cost_sync_all ON ${t.name} TO ${s.role} USING (true) WITH CHECK (true), or ALTER ROLE ${s.role} BYPASSRLS${r.force_rls && r.owned ? `, or ALTER TABLE ${t.name} NO FORCE ROW LEVEL SECURITY` : ""}`,
      },
    ];
  });
}
