import { readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { withClient } from "./pg.js";
import { REPO_ROOT } from "./promtool.js";

/** A Grafana dashboard as far as the tests read it (deploy/grafana/dashboards/*.json). */
export interface Target {
  refId: string;
  datasource?: { type?: string; uid?: string };
  expr?: string;
  rawSql?: string;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

/** A provisioned dashboard by its file's name: "executive" is deploy/grafana/dashboards/cost-sync-executive.json. */
export function dashboard(name: string): Dashboard {
  const file = join(REPO_ROOT, "deploy/grafana/dashboards", `cost-sync-${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as Dashboard;
}

/** The SQL of the panel titled `title` (its PostgreSQL target); throws when there is none. */
export function panelSql(d: Dashboard, title: string): string {
  const panel = d.panels.find((p) => p.title === title);
  const sql = panel?.targets?.find(
    (t) => (t.datasource ?? panel.datasource)?.type === "grafana-postgresql-datasource",
  )?.rawSql;
  if (!sql) throw new Error(`${d.uid}: no panel "${title}" with SQL`);
  return sql;
}

/** Grafana's macros in our SQL, expanded as Grafana would for a wide time range. */
export function expandMacros(sql: string): string {
  const expanded = sql.replace(
    /\$__timeFilter\(([^)]+)\)/g,
    "$1 BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z'",
  );
  if (expanded.includes("$")) throw new Error(`a Grafana macro or variable this test does not expand: ${expanded}`);
  return expanded;
}

/** Runs a panel's SQL the way Grafana's data source does: as `role` (a login-less member of executives), read-only. */
export function runAsGrafana(url: string, role: string, sql: string): Promise<Record<string, unknown>[]> {
  return withClient(url, async (c: pg.Client) => {
    await c.query(`SET ROLE ${role}`);
    await c.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    return (await c.query<Record<string, unknown>>(expandMacros(sql))).rows;
  });
}
