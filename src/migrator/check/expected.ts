import { loadSchemaSnapshot, type SnapshotTable } from "../snapshot/schema-snapshot.js";
import { APPLICATION_TABLES, PRISMA_MIGRATIONS_TABLE, type Privilege } from "./policy.js";

export { PRISMA_MIGRATIONS_TABLE, type Privilege } from "./policy.js";

/**
 * What `migrate --check` compares a database with (docs/first-deployment.md): the committed schema
 * snapshot, which `npm run schema:snapshot` reads from a freshly migrated database, and the choices
 * of policy.ts. Types are written as PostgreSQL's format_type() prints them.
 */

/** What cost-sync expects of one table. */
export interface ExpectedTable {
  name: string;
  /** "application": PenguinMails owns it, cost-sync creates it only where it is missing. */
  owner: "application" | "cost-sync";
  /** Columns cost-sync's SQL reads or writes, with the type its migrations give them. */
  columns: Readonly<Record<string, string>>;
  /** Columns whose type must match exactly: all of cost-sync's own, and those it adds to an application table. */
  exact: readonly string[];
  /** Columns cost-sync's INSERTs give; any other NOT NULL column needs a default. */
  inserts?: readonly string[];
  /** Characters the longest value cost-sync writes into a text column needs. */
  minChars?: Readonly<Record<string, number>>;
  /** What the worker and the CLI do with the table once migrated. */
  privileges: readonly Privilege[];
  /** Whether the migrations ALTER, index, trigger or comment it (then PostgreSQL wants its owner). */
  altered: boolean;
}

const SNAPSHOT = loadSchemaSnapshot();

function typesOf(name: string, t: SnapshotTable, only?: readonly string[]): Record<string, string> {
  const types = new Map(t.columns.map((c) => [c.name, c.type]));
  return Object.fromEntries(
    (only ?? [...types.keys()]).map((col) => {
      const type = types.get(col);
      if (type === undefined) throw new Error(`check/policy.ts names ${name}.${col}, which the schema snapshot lacks`);
      return [col, type];
    }),
  );
}

function expectedTable(name: string, t: SnapshotTable): ExpectedTable {
  const app = APPLICATION_TABLES[name];
  if (!app) {
    const columns = typesOf(name, t);
    const all = Object.keys(columns);
    return { name, owner: "cost-sync", columns, exact: all, inserts: all, privileges: ALL, altered: true };
  }
  return {
    name,
    owner: "application",
    columns: typesOf(name, t, [...app.reads, ...(app.adds ?? [])]),
    exact: app.adds ?? [],
    ...(app.inserts ? { inserts: app.inserts } : {}),
    ...(app.minChars ? { minChars: app.minChars } : {}),
    privileges: app.privileges ?? ["SELECT"],
    altered: app.unaltered !== true,
  };
}

const ALL: readonly Privilege[] = ["SELECT", "INSERT", "UPDATE"];
const tableOf = (name: string): SnapshotTable => {
  const t = SNAPSHOT.tables[name];
  if (!t) throw new Error(`check/policy.ts names the table ${name}, which the schema snapshot lacks`);
  return t;
};

/** PenguinMails' tables first (in policy order), then cost-sync's own; Prisma's table apart. */
export const EXPECTED_TABLES: readonly ExpectedTable[] = [
  ...Object.keys(APPLICATION_TABLES).map((name) => expectedTable(name, tableOf(name))),
  ...Object.entries(SNAPSHOT.tables)
    .filter(([name]) => !(name in APPLICATION_TABLES) && name !== PRISMA_MIGRATIONS_TABLE)
    .map(([name, t]) => expectedTable(name, t)),
];

/**
 * The views, with their columns: a plain view is replaced with CREATE OR REPLACE VIEW, which
 * PostgreSQL allows only when the existing columns come first, unchanged.
 */
export const EXPECTED_VIEWS: Readonly<Record<string, readonly [string, string][]>> = Object.fromEntries(
  Object.entries(SNAPSHOT.views).map(([name, v]) => [name, v.columns]),
);

/** Materialised views, their column names in order (CREATE ... IF NOT EXISTS keeps one of another shape). */
export const EXPECTED_MATVIEWS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(SNAPSHOT.materializedViews).map(([name, v]) => [name, v.columns.map(([col]) => col)]),
);

/** Every index a CREATE INDEX of the migrations makes, and its table (IF NOT EXISTS skips a name taken elsewhere). */
export const EXPECTED_INDEXES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SNAPSHOT.indexes)
    .filter(([, i]) => !i.constraint)
    .map(([name, i]) => [name, i.table]),
);

/** The NOLOGIN group roles of the views' access matrix (20261101000400): the roles granted anything. */
export const GROUP_ROLES: readonly string[] = SNAPSHOT.roles;
