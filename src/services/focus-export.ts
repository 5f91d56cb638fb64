import { focusMonthLines, type FocusLineRow } from "../db/read-models/focus-export.js";
import type { PgQueryable } from "../db/sql.js";

/**
 * `export focus`: a month's invoice lines as a FOCUS 1.2 CSV (FinOps Open Cost and Usage
 * Specification; docs/focus.md). Every Mandatory column of 1.2 is written, then the columns the
 * issue asks for that are not mandatory (ResourceId, ResourceName, InvoiceId) and cost-sync's own as
 * `x_` columns, which the spec reserves for extensions.
 */

export const FOCUS_VERSION = "1.2";

/** The Mandatory columns of FOCUS 1.2, in the spec's (alphabetical) order. */
const FOCUS_MANDATORY_COLUMNS = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
] as const;

const FOCUS_COLUMNS = [
  ...FOCUS_MANDATORY_COLUMNS,
  "InvoiceId",
  "ResourceId",
  "ResourceName",
  "x_InvoiceLine",
  "x_LineType",
  "x_Category",
  "x_Matched",
  "x_MatchedBy",
  "x_TenantId",
] as const;

export type FocusRow = Record<(typeof FOCUS_COLUMNS)[number], string>;

/** FOCUS's ChargeCategory: what kind of charge a line is. */
function chargeCategory(category: string): string {
  if (category === "promo" || category === "discount") return "Credit";
  if (["hourly", "snapshot", "backup", "block-storage", "bandwidth"].includes(category)) return "Usage";
  return "Purchase";
}

/** FOCUS's ServiceCategory (one of the spec's values) and a service name, by what the line pays for. */
function service(category: string): [string, string] {
  switch (category) {
    case "vps":
    case "promo":
    case "upgrade":
    case "hourly":
      return ["Compute", "Cloud VPS"];
    case "ip":
      return ["Networking", "Dedicated IP address"];
    case "bandwidth":
      return ["Networking", "Bandwidth"];
    case "snapshot":
    case "backup":
    case "block-storage":
      return ["Storage", category === "block-storage" ? "Block storage" : "Snapshots and backups"];
    default:
      return ["Other", category === "late-fee" ? "Late fee" : category === "fee" ? "Fees" : "Other charges"];
  }
}

const instant = (day: string) => `${day}T00:00:00Z`;

/** One invoice line as a FOCUS row; money as the exact decimals the database gave. */
function focusRow(l: FocusLineRow): FocusRow {
  const [serviceCategory, serviceName] = service(l.category);
  return {
    BilledCost: l.billed,
    BillingAccountId: "hostwinds",
    BillingAccountName: "Hostwinds (PenguinMails)",
    BillingCurrency: "USD",
    BillingPeriodEnd: instant(l.billing_end),
    BillingPeriodStart: instant(l.billing_start),
    ChargeCategory: chargeCategory(l.category),
    ChargeClass: "",
    ChargeDescription: l.description,
    ChargePeriodEnd: instant(l.charge_end),
    ChargePeriodStart: instant(l.charge_start),
    ContractedCost: l.billed,
    EffectiveCost: l.modelled,
    InvoiceIssuerName: "Hostwinds",
    ListCost: l.modelled,
    PricingQuantity: "1",
    PricingUnit: l.monthly_method === "one-off" ? "Each" : "Service period",
    ProviderName: "Hostwinds",
    PublisherName: "Hostwinds",
    ServiceCategory: serviceCategory,
    ServiceName: serviceName,
    InvoiceId: l.invoice_number,
    ResourceId: l.resource_id ?? "",
    ResourceName: l.hostname ?? "",
    x_InvoiceLine: String(l.line_no),
    x_LineType: l.line_type ?? "",
    x_Category: l.category,
    x_Matched: l.matched,
    x_MatchedBy: l.matched_by ?? "",
    x_TenantId: l.tenant_id ?? "",
  };
}

/** RFC 4180: a cell with a comma, a quote or a line break is quoted, quotes doubled. */
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The CSV text: the header, then one line per row, CRLF as RFC 4180 writes it. */
export function focusCsv(rows: readonly FocusRow[]): string {
  const lines = [FOCUS_COLUMNS.join(","), ...rows.map((r) => FOCUS_COLUMNS.map((c) => cell(r[c])).join(","))];
  return lines.join("\r\n") + "\r\n";
}

/** `export focus --month`: the lines of the invoices dated in `month` (YYYY-MM), as FOCUS rows. */
export async function focusExport(pg: PgQueryable, month: string): Promise<FocusRow[]> {
  return (await focusMonthLines(pg, month)).map(focusRow);
}
