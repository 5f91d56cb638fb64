import type pg from "pg";
import { MONEY_GUARDS } from "../objects.js";
import { query, statement, type NoParams } from "../../db/sql.js";
import {
  EXPECTED_INDEXES,
  EXPECTED_MATVIEWS,
  EXPECTED_TABLES,
  EXPECTED_VIEWS,
  GROUP_ROLES,
  PRISMA_MIGRATIONS_TABLE,
} from "./expected.js";

/** The connecting role and what it may do in general. */
export interface Session {
  role: string;
  database: string;
  schema: string | null;
  superuser: boolean;
  bypass_rls: boolean;
  create_role: boolean;
  schema_create: boolean;
  missing_roles: string[];
}

export interface Relation {
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialised view, i index… */
  kind: string;
  owned: boolean;
  rls: boolean;
  force_rls: boolean;
  policies: boolean;
  privileges: string[] | null;
  index_table: string | null;
}

export interface Column {
  relation: string;
  column: string;
  type: string;
  not_null: boolean;
  has_default: boolean;
}

export interface HistoryRow {
  name: string;
  finished: boolean;
  rolled_back: boolean;
}

/** What the checks read, once, inside the check's read-only transaction. */
export interface Catalog {
  session: Session;
  relations: Map<string, Relation>;
  columns: Map<string, Column[]>;
  /** "table.constraint" of the money constraints that already reject NaN. */
  guarded: Set<string>;
  /** Prisma's records; null when `_prisma_migrations` does not exist (or cannot be read). */
  history: HistoryRow[] | null;
}

const SESSION = statement<{ groups: string[] }, Session>("check/session");
const RELATIONS = statement<{ names: string[] }, Relation>("check/relations");
const COLUMNS = statement<{ names: string[] }, Column>("check/columns");
const GUARDS = statement<{ tables: string[]; names: string[] }, { table: string; constraint: string }>(
  "check/money-guards",
);
const HISTORY = statement<NoParams, HistoryRow>("check/migration-history");

const TABLES = [...EXPECTED_TABLES.map((t) => t.name), PRISMA_MIGRATIONS_TABLE];
const VIEWS = [...Object.keys(EXPECTED_VIEWS), ...Object.keys(EXPECTED_MATVIEWS)];

export async function readCatalog(c: pg.Client): Promise<Catalog> {
  const [session] = await query(c, SESSION, { groups: [...GROUP_ROLES] });
  if (!session) throw new Error("the connecting role is not in pg_roles");
  const names = [...TABLES, ...VIEWS, ...Object.keys(EXPECTED_INDEXES)];
  const relations = new Map((await query(c, RELATIONS, { names })).map((r) => [r.name, r]));
  const columns = new Map<string, Column[]>();
  for (const col of await query(c, COLUMNS, { names: [...TABLES, ...VIEWS] })) {
    columns.set(col.relation, [...(columns.get(col.relation) ?? []), col]);
  }
  const guards = await query(c, GUARDS, {
    tables: MONEY_GUARDS.map((g) => g.table),
    names: MONEY_GUARDS.map((g) => g.constraint),
  });
  const prisma = relations.get(PRISMA_MIGRATIONS_TABLE);
  const readable = prisma?.kind === "r" && prisma.privileges?.includes("SELECT") === true;
  return {
    session,
    relations,
    columns,
    guarded: new Set(guards.map((g) => `${g.table}.${g.constraint}`)),
    history: readable ? await query(c, HISTORY, {}) : null,
  };
}
