import type { Catalog } from "./catalog.js";
import {
  EXPECTED_INDEXES,
  EXPECTED_MATVIEWS,
  EXPECTED_TABLES,
  EXPECTED_VIEWS,
  PRISMA_MIGRATIONS_TABLE,
} from "./expected.js";
import type { Finding } from "./report.js";

const KIND_NAMES: Record<string, string> = {
  r: "a table",
  p: "a partitioned table",
  v: "a view",
  m: "a materialized view",
  i: "an index",
  I: "a partitioned index",
  S: "a sequence",
  f: "a foreign table",
  c: "a composite type",
};
const kindName = (k: string) => KIND_NAMES[k] ?? `a relation of kind ${k}`;

const DROP: Record<string, string> = {
  r: "TABLE",
  p: "TABLE",
  v: "VIEW",
  m: "MATERIALIZED VIEW",
  i: "INDEX",
  S: "SEQUENCE",
};

function wrongKind(name: string, actual: string, wanted: string, owner: "application" | "cost-sync"): Finding {
  const drop = `${DROP[actual] ?? "<kind>"} ${name}`;
  return {
    severity: "block",
    topic: "relation kind",
    object: name,
    problem: `is ${kindName(actual)}; cost-sync ${owner === "application" ? "needs" : "creates"} ${wanted} of that name`,
    fix:
      owner === "application"
        ? `the application's ${name} is not the documented table (docs/data-model.md): tell the cost-sync team before going further`
        : `if it is a leftover (an earlier attempt at the seed's SQL), ALTER ${drop} RENAME TO ${name}_old (or DROP ${drop}); anything that reads it must move to cost-sync's`,
  };
}

/** Tables, views, materialised views and indexes named like cost-sync's that are something else. */
export function relationFindings(cat: Catalog): Finding[] {
  const findings: Finding[] = [];
  for (const t of [...EXPECTED_TABLES, { name: PRISMA_MIGRATIONS_TABLE, owner: "cost-sync" as const }]) {
    const r = cat.relations.get(t.name);
    if (r && r.kind !== "r" && r.kind !== "p") findings.push(wrongKind(t.name, r.kind, "a table", t.owner));
  }
  for (const [name, columns] of Object.entries(EXPECTED_VIEWS)) {
    const r = cat.relations.get(name);
    if (r && r.kind !== "v") findings.push(wrongKind(name, r.kind, "a view", "cost-sync"));
    else if (r) findings.push(...viewColumns(cat, name, columns));
  }
  for (const [name, columns] of Object.entries(EXPECTED_MATVIEWS)) {
    const r = cat.relations.get(name);
    if (r && r.kind !== "m") findings.push(wrongKind(name, r.kind, "a materialized view", "cost-sync"));
    else if (r) findings.push(...matviewColumns(cat, name, columns));
  }
  for (const [name, table] of Object.entries(EXPECTED_INDEXES)) {
    const r = cat.relations.get(name);
    if (r && (r.kind !== "i" || r.index_table !== table)) {
      findings.push({
        severity: "block",
        topic: "index",
        object: name,
        problem: `is ${r.kind === "i" ? `an index on ${r.index_table ?? "another table"}` : kindName(r.kind)}; cost-sync creates an index of that name on ${table} (IF NOT EXISTS: it would be skipped)`,
        fix: `ALTER ${DROP[r.kind] ?? "INDEX"} ${name} RENAME TO ${name}_old`,
      });
    }
  }
  return findings;
}

/** CREATE OR REPLACE VIEW keeps the existing columns' names, order and types: ours must extend them. */
function viewColumns(cat: Catalog, name: string, expected: readonly [string, string][]): Finding[] {
  const actual = (cat.columns.get(name) ?? []).map((c) => [c.column, c.type] as const);
  const compatible =
    actual.length <= expected.length && actual.every(([n, t], i) => expected[i]?.[0] === n && expected[i][1] === t);
  if (compatible) return [];
  return [
    {
      severity: "block",
      topic: "view columns",
      object: name,
      problem: `is a view whose columns (${actual.map(([n]) => n).join(", ")}) are not cost-sync's: CREATE OR REPLACE VIEW cannot change them`,
      fix: `if it is the seed's own view (or another earlier attempt), DROP VIEW ${name} (dashboards read cost-sync's view of the same name once migrated); otherwise rename it`,
    },
  ];
}

/** CREATE MATERIALIZED VIEW IF NOT EXISTS keeps whatever is there: it must be cost-sync's. */
function matviewColumns(cat: Catalog, name: string, expected: readonly string[]): Finding[] {
  const actual = (cat.columns.get(name) ?? []).map((c) => c.column);
  if (actual.join(",") === expected.join(",")) return [];
  return [
    {
      severity: "block",
      topic: "view columns",
      object: name,
      problem: `is a materialized view whose columns (${actual.join(", ")}) are not cost-sync's; CREATE ... IF NOT EXISTS would keep it`,
      fix: `DROP MATERIALIZED VIEW ${name} (cost-sync recomputes it), or rename it if something else needs it`,
    },
  ];
}
