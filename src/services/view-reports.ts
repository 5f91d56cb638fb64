import type { SqlRunner } from "../db/client.js";
import { REPORTS, runReport, type Report, type ReportName } from "../db/read-models/reports.js";
import type { PgQueryable } from "../db/sql.js";
import { attributionRefreshedAt } from "../db/writes/attribution.js";
import { latestUntracked, type LatestUntracked } from "../db/writes/untracked.js";

/** The reports read straight from one view each: executive, allocation, untracked. */
export const VIEW_REPORTS = Object.keys(REPORTS) as ReportName[];
export type { ReportName };

/** What a table of the report is printed with under it. */
export type ReportFootnote =
  { kind: "untracked"; latest: LatestUntracked | undefined } | { kind: "attribution"; refreshedAt: Date | null };

/**
 * `report executive|allocation|untracked`: every column as text (exact decimals, no float on the
 * way out), and, when `footnote` is asked, what the table's footnote says: the run the untracked
 * figures come from, or when the attribution behind the views was refreshed.
 */
export async function viewReport(
  deps: { db: SqlRunner; pg: PgQueryable },
  name: ReportName,
  o: { footnote: boolean },
): Promise<Report & { footnote: ReportFootnote | undefined }> {
  const { rows, columns } = await runReport(deps.pg, name);
  if (!o.footnote) return { rows, columns, footnote: undefined };
  const footnote: ReportFootnote =
    name === "untracked"
      ? { kind: "untracked", latest: await latestUntracked(deps.db) }
      : { kind: "attribution", refreshedAt: await attributionRefreshedAt(deps.db) };
  return { rows, columns, footnote };
}
