import { query, statement, type PgQueryable } from "../sql.js";

/** One invoice line of a month as `export focus` reads it; amounts and dates as exact text. */
export interface FocusLineRow {
  invoice_number: string;
  line_no: number;
  billed: string;
  modelled: string;
  category: string;
  kind: string;
  matched: string;
  matched_by: string | null;
  line_type: string | null;
  charge_start: string;
  charge_end: string;
  billing_start: string;
  billing_end: string;
  resource_id: string | null;
  hostname: string | null;
  description: string;
  tenant_id: string | null;
  monthly_method: string;
}

const LINES = statement<{ month: string }, FocusLineRow>("focus/month-lines");

/** The lines of the invoices dated in `month` (`YYYY-MM`), in invoice and line order. */
export async function focusMonthLines(pg: PgQueryable, month: string): Promise<FocusLineRow[]> {
  return await query(pg, LINES, { month: `${month}-01` });
}
