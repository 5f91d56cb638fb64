import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { query, statement, type NoParams, type PgQueryable } from "../../db/sql.js";

/**
 * The schema cost-sync's migrations build, as read from a freshly migrated database by
 * `npm run schema:snapshot` and committed as schema-snapshot.json. `migrate --check` compares a
 * database with it (with the few choices of check/policy.ts), and test/schema-snapshot.test.ts
 * fails when the migrations build something else: the snapshot is never edited by hand.
 */
export interface SnapshotColumn {
  name: string;
  /** As PostgreSQL's format_type() prints it. */
  type: string;
  notNull: boolean;
  default?: string;
  /** "a" (ALWAYS) or "d" (BY DEFAULT) for an identity column. */
  identity?: string;
}

/** Roles other than the owner, each with the privileges granted to it (sorted). */
export type Grants = Record<string, string[]>;

export interface SnapshotTable {
  columns: SnapshotColumn[];
  /** Constraint name → pg_get_constraintdef. */
  constraints: Record<string, string>;
  grants: Grants;
}

export interface SnapshotView {
  /** Name and type, in order. */
  columns: [string, string][];
  /** md5 of its query as pg_get_viewdef prints it. */
  definitionMd5: string;
  grants: Grants;
}

export interface SnapshotIndex {
  table: string;
  definition: string;
  /** Made by a constraint (primary key, unique) rather than by a CREATE INDEX. */
  constraint: boolean;
}

export interface SnapshotFunction {
  result: string;
  securityDefiner: boolean;
  settings: string;
  /** md5 of the body as written in the migration. */
  bodyMd5: string;
}

export interface SchemaSnapshot {
  tables: Record<string, SnapshotTable>;
  views: Record<string, SnapshotView>;
  materializedViews: Record<string, SnapshotView>;
  indexes: Record<string, SnapshotIndex>;
  /** "name(identity arguments)" → what it is. */
  functions: Record<string, SnapshotFunction>;
  /** "table.trigger" → pg_get_triggerdef. */
  triggers: Record<string, string>;
  /** The roles granted anything (the group roles of the views' access matrix). */
  roles: string[];
}

/** The committed snapshot, beside this file (the build copies it to dist/). */
export const SNAPSHOT_FILE = fileURLToPath(new URL("./schema-snapshot.json", import.meta.url));

/** The committed snapshot. */
export function loadSchemaSnapshot(file = SNAPSHOT_FILE): SchemaSnapshot {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as SchemaSnapshot & { $comment?: string };
  delete parsed.$comment;
  return parsed;
}

const q = <R>(name: string) => statement<NoParams, R>(`snapshot/${name}`);
const RELATIONS = q<{ name: string; kind: string }>("relations");
const COLUMNS = q<{ relation: string; name: string; type: string; not_null: boolean } & Nullables>("columns");
const CONSTRAINTS = q<{ table: string; name: string; definition: string }>("constraints");
const INDEXES = q<{ name: string; table: string; definition: string; of_constraint: boolean }>("indexes");
const FUNCTIONS = q<FunctionRow>("functions");
const TRIGGERS = q<{ table: string; name: string; definition: string }>("triggers");
const VIEW_DEFINITIONS = q<{ name: string; definition_md5: string }>("view-definitions");
const GRANTS = q<{ relation: string; grantee: string; privileges: string[] }>("grants");

interface Nullables {
  default: string | null;
  identity: string | null;
}
interface FunctionRow {
  name: string;
  arguments: string;
  result: string;
  security_definer: boolean;
  settings: string;
  body_md5: string;
}

/** Keys in code-point order, so the JSON is the same whatever order rows arrive in. */
const sorted = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const groupBy = <T>(rows: T[], key: (r: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
};

/** Reads the current schema of the connected database (one statement at a time). */
export async function readSchemaSnapshot(c: PgQueryable): Promise<SchemaSnapshot> {
  const relations = await query(c, RELATIONS, {});
  const columns = groupBy(await query(c, COLUMNS, {}), (r) => r.relation);
  const constraints = groupBy(await query(c, CONSTRAINTS, {}), (r) => r.table);
  const grantRows = await query(c, GRANTS, {});
  const definitions = new Map((await query(c, VIEW_DEFINITIONS, {})).map((v) => [v.name, v.definition_md5]));
  const grants = groupBy(grantRows, (r) => r.relation);
  const grantsOf = (name: string): Grants => sorted((grants.get(name) ?? []).map((g) => [g.grantee, g.privileges]));
  const view = (name: string): SnapshotView => ({
    columns: (columns.get(name) ?? []).map((col) => [col.name, col.type]),
    definitionMd5: definitions.get(name) ?? "",
    grants: grantsOf(name),
  });
  const table = (name: string): SnapshotTable => ({
    columns: (columns.get(name) ?? []).map((col) => ({
      name: col.name,
      type: col.type,
      notNull: col.not_null,
      ...(col.default === null ? {} : { default: col.default }),
      ...(col.identity === null ? {} : { identity: col.identity }),
    })),
    constraints: sorted((constraints.get(name) ?? []).map((k) => [k.name, k.definition])),
    grants: grantsOf(name),
  });
  const of = (kinds: string[]) => relations.filter((r) => kinds.includes(r.kind)).map((r) => r.name);
  return {
    tables: sorted(of(["r", "p"]).map((n) => [n, table(n)])),
    views: sorted(of(["v"]).map((n) => [n, view(n)])),
    materializedViews: sorted(of(["m"]).map((n) => [n, view(n)])),
    indexes: sorted(
      (await query(c, INDEXES, {})).map((i) => [
        i.name,
        { table: i.table, definition: i.definition, constraint: i.of_constraint },
      ]),
    ),
    functions: sorted(
      (await query(c, FUNCTIONS, {})).map((f) => [
        `${f.name}(${f.arguments})`,
        { result: f.result, securityDefiner: f.security_definer, settings: f.settings, bodyMd5: f.body_md5 },
      ]),
    ),
    triggers: sorted((await query(c, TRIGGERS, {})).map((t) => [`${t.table}.${t.name}`, t.definition])),
    roles: [...new Set(grantRows.map((g) => g.grantee).filter((g) => g !== "PUBLIC"))].sort(),
  };
}
