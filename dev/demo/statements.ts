import { statement, type NoParams } from "../../src/db/sql.js";

/** The demo's own statements (dev/demo/queries/*.sql), loaded like the service's. */
const ROOT = new URL("./queries/", import.meta.url);
const s = <P extends Record<string, unknown>, R = unknown>(name: string) => statement<P, R>(name, ROOT);

type Id = { id: string };
/** A VPS or IP the demo's invoice bills, with its server's listed host name. */
export interface InvoiceSource {
  kind: "vps" | "ip";
  serviceId: string | null;
  ip: string | null;
  cost: string;
  hostname: string | null;
  /** A VPS our rows call decommissioned (Hostwinds still bills it). */
  decommissioned: boolean;
}
export const Q = {
  insertPlan: s<{ name: string; slug: string; cents: number }>("insert-plan"),
  insertTenant: s<{ name: string }, Id>("insert-tenant"),
  insertCompany: s<{ tenantId: string; name: string; workspace: string }>("insert-company"),
  insertSubscription: s<{ tenantId: string; plan: string }, Id>("insert-subscription"),
  insertPayment: s<{ subscriptionId: string; plan: string; back: number }>("insert-payment"),
  insertUsage: s<{ tenantId: string; subscriptionId: string; emails: number; back: number }>("insert-usage"),
  insertDomain: s<{ tenantId: string; domain: string }>("insert-domain"),
  assignIps: s<{ tenantId: string; ipIds: string[]; status: string }>("assign-ips"),
  insertVps: s<
    { serviceId: string; status: string; tenantId: string | null; label: string; monthlyCost: string | null },
    Id
  >("insert-vps"),
  insertIp: s<{ vpsId: string; address: string; status: string }, Id>("insert-ip"),
  vpsCosts: s<NoParams, Record<string, unknown>>("vps-costs"),
  history: s<NoParams, Record<string, unknown>>("history"),
  runs: s<NoParams, Record<string, unknown>>("runs"),
  executive: s<NoParams, Record<string, unknown>>("executive"),
  attribution: s<NoParams, Record<string, unknown>>("attribution"),
  invoiceSource: s<NoParams, InvoiceSource>("invoice-source"),
  backdate: s<{ since: string; to: string }, { history: number; resources: number; runs: number; other: number }>(
    "backdate",
  ),
  databaseMarker: s<{ name: string }, { comment: string | null }>("database-marker"),
};
