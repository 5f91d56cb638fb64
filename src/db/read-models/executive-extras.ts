import type {
  ExecutiveAnomalies,
  ExecutiveFleetClose,
  ExecutiveInvoiceAccuracy,
} from "../../reports/executive-page-data.js";
import type { SqlRunner } from "../client.js";
import { query, statement, type NoParams } from "../sql.js";

/** The executive page's parts beyond today's figures: the last close, open anomalies, invoice accuracy. */

interface AnomalyRow {
  open: number;
  openSinceClose: number | null;
  detectedAt: Date | null;
  kind: string | null;
  label: string | null;
  resourceId: string | null;
  oldValue: string | null;
  newValue: string | null;
  change: string | null;
}

const LAST_CLOSE = statement<NoParams, ExecutiveFleetClose>("executive/last-close");
const ANOMALIES = statement<{ limit: number }, AnomalyRow>("executive/anomalies");
const INVOICES = statement<NoParams, { month: string; accuracy: string | null; invoiced: string }>(
  "executive/invoice-accuracy",
);

/** How many open anomalies the page lists; `cost-sync anomalies` lists them all. */
const LISTED_ANOMALIES = 5;

/** The fleet at the last closed month, or null while none is closed. */
export async function loadLastClose(db: SqlRunner): Promise<ExecutiveFleetClose | null> {
  return (await query(db, LAST_CLOSE, {}))[0] ?? null;
}

/** The open anomalies: their count, those since the last close, and the latest few. */
export async function loadOpenAnomalies(db: SqlRunner): Promise<ExecutiveAnomalies> {
  const rows = await query(db, ANOMALIES, { limit: LISTED_ANOMALIES });
  const first = rows[0];
  const latest = rows.flatMap((r) =>
    r.detectedAt === null || r.kind === null || r.resourceId === null || r.newValue === null || r.change === null
      ? []
      : [
          {
            detectedAt: r.detectedAt,
            kind: r.kind,
            label: r.label,
            resourceId: r.resourceId,
            oldValue: r.oldValue,
            newValue: r.newValue,
            change: r.change,
          },
        ],
  );
  return { open: first?.open ?? 0, openSinceClose: first?.openSinceClose ?? null, latest };
}

/** The latest imported invoice month's accuracy and the month before it; null while no invoice is imported. */
export async function loadInvoiceAccuracy(db: SqlRunner): Promise<ExecutiveInvoiceAccuracy | null> {
  const [latest, previous] = await query(db, INVOICES, {});
  if (!latest) return null;
  return { ...latest, previous: previous ? { month: previous.month, accuracy: previous.accuracy } : null };
}
