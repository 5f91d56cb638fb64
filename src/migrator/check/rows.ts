import type pg from "pg";
import { query, statementFrom, type Statement } from "../../db/sql.js";
import { MONEY_GUARDS } from "../objects.js";
import type { Catalog } from "./catalog.js";
import { ID_LIMIT, type Finding } from "./report.js";

export type Guard = (typeof MONEY_GUARDS)[number];

/** Types where `< 0` and `= 'NaN'` mean what they say (a text column is a type finding instead). */
const NUMERIC = /^(numeric|real|double precision)\b/;

/**
 * Rows that the money constraints (20261101000100 and 20261126100200) would reject: negative or
 * NaN costs and overrides, NaN history values. Only where the column exists and its constraint
 * does not already exclude NaN (then no such row can exist). Listed by id, first ID_LIMIT, with a
 * count. Each query runs under a savepoint so that a failure cannot end the check's transaction.
 */
export async function rowFindings(c: pg.Client, cat: Catalog): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const g of MONEY_GUARDS) {
    if (cat.guarded.has(`${g.table}.${g.constraint}`)) continue;
    const cols = cat.columns.get(g.table) ?? [];
    const type = cols.find((col) => col.column === g.column)?.type;
    if (type === undefined || !NUMERIC.test(type) || !cols.some((col) => col.column === "id")) continue;
    const found = await badRows(c, g);
    if ("error" in found) {
      findings.push({
        severity: "block",
        topic: "check",
        object: g.table,
        column: g.column,
        problem: `could not be read: ${found.error}`,
        fix: `GRANT SELECT ON ${g.table} TO <the migrating role>, then check again`,
      });
    } else if (found.count > 0) {
      findings.push({
        severity: "block",
        topic: "rows",
        object: g.table,
        column: g.column,
        ...found,
        ...advice(g, found.count),
      });
    }
  }
  return findings;
}

export interface MoneyRows {
  ids: string[] | null;
  count: number;
}

/** The ids (first ID_LIMIT) and count of the rows whose money column is negative or NaN. */
export function moneyRowsStatement(g: Guard): Statement<Record<string, never>, MoneyRows> {
  const col = `"${g.column}"`;
  return statementFrom(
    `check/money-rows ${g.table}.${g.column}`,
    `SELECT (array_agg(id::text ORDER BY id))[1:${String(ID_LIMIT)}] AS ids, count(*)::int AS count
       FROM "${g.table}" WHERE ${col} < 0 OR ${col} = 'NaN'`,
  );
}

async function badRows(c: pg.Client, g: Guard): Promise<{ ids: string[]; count: number } | { error: string }> {
  await c.query("SAVEPOINT cost_sync_rows");
  try {
    const r = await query(c, moneyRowsStatement(g), {});
    await c.query("RELEASE SAVEPOINT cost_sync_rows");
    return { ids: r[0]?.ids ?? [], count: r[0]?.count ?? 0 };
  } catch (err) {
    await c.query("ROLLBACK TO SAVEPOINT cost_sync_rows");
    return { error: (err as Error).message };
  }
}

function advice(g: Guard, count: number): { problem: string; fix: string } {
  const where = `WHERE ${g.column} < 0 OR ${g.column} = 'NaN'`;
  const problem = `${String(count)} row${count === 1 ? "" : "s"} hold a negative or NaN ${g.column}, which the constraint ${g.constraint} rejects`;
  if (g.table === "cost_history") {
    return {
      problem,
      fix: `these record a change to a value that was never a cost: keep a copy and remove them (CREATE TABLE cost_history_rejected AS SELECT * FROM cost_history ${where}; DELETE FROM cost_history ${where})`,
    };
  }
  if (g.column === "approximate_cost_override") {
    return {
      problem,
      fix: `Finance decides the right figure: UPDATE ${g.table} SET ${g.column} = NULL ${where}; then \`npx cost-sync override ${g.table === "vps_instances" ? "vps" : "ip"} <id> <usd>\` where an override is still wanted`,
    };
  }
  return {
    problem,
    fix: `UPDATE ${g.table} SET ${g.column} = NULL ${where}; once migrated, \`npx cost-sync reconcile --wait\` prices them again`,
  };
}
