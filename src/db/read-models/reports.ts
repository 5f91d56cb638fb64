import { queryWithColumns, statement, type PgQueryable, type NoParams } from "../sql.js";

/**
 * The reports of `cost-sync report`. Each is one statement in src/db/queries/reports/: its select
 * list is the report's only definition of its columns (read back from the result, so an empty
 * report still has its header).
 */
export const REPORTS = {
  executive: statement<NoParams, Record<string, string | null>>("reports/executive"),
  allocation: statement<NoParams, Record<string, string | null>>("reports/allocation"),
  untracked: statement<NoParams, Record<string, string | null>>("reports/untracked"),
} as const;

export type ReportName = keyof typeof REPORTS;

export interface Report {
  columns: string[];
  rows: Record<string, string | null>[];
}

export async function runReport(pg: PgQueryable, name: ReportName): Promise<Report> {
  const { rows, columns } = await queryWithColumns(pg, REPORTS[name], {});
  return { rows, columns };
}
