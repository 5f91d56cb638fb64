import type { Config } from "../config/env.js";
import { attributionRefreshedAt, refreshAttribution } from "../db/attribution.js";
import { parse } from "./args.js";
import { withSession } from "./session.js";
import { render, type Format } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

const REPORTS = {
  executive: {
    view: "executive_business_summary",
    columns: ["tenant_id", "company_name", "plan_name", "monthly_subscription_revenue", "infrastructure_costs", "email_service_costs", "total_operational_cost",
      "monthly_profit", "gross_margin_ratio", "gross_margin_percent", "cost_efficiency_score", "business_health_status"],
    order: "cost_efficiency_score DESC, tenant_id",
  },
  allocation: {
    view: "business_cost_allocation",
    columns: ["tenant_id", "company_name", "plan_name", "total_infrastructure_cost", "total_email_service_cost", "total_monthly_cost",
      "payments_received", "monthly_profit", "emails_sent_30d", "cost_per_email_delivered", "business_efficiency_ratio"],
    order: "total_monthly_cost DESC, tenant_id",
  },
} as const;

/** `report executive|allocation [--json|--csv]`. */
export async function reportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" }, csv: { type: "boolean" } });
  const [name, extra] = positionals;
  if (extra !== undefined || (name !== "executive" && name !== "allocation")) throw new UsageError("usage: cost-sync report executive|allocation [--json|--csv]");
  if (values.json && values.csv) throw new UsageError("choose one of --json and --csv");
  const format: Format = values.json ? "json" : values.csv ? "csv" : "table";
  return withSession(cfg, async (s) => {
    const r = REPORTS[name];
    // Every column as text: exact decimals, no float on the way out.
    const rows = await s.db.$queryRawUnsafe<Record<string, string | null>[]>(`SELECT ${r.columns.map((c) => `${c}::text AS ${c}`).join(", ")} FROM ${r.view} ORDER BY ${r.order}`);
    const text = render(rows, format, [...r.columns]);
    out.write(text);
    if (format === "table") out.write(`\n${rows.length} tenant(s); internal cost modelling, not billing. Attribution refreshed ${(await attributionRefreshedAt(s.db))?.toISOString() ?? "never"}.\n`);
    return EXIT.ok;
  });
}

/** `refresh`: recomputes the attribution behind the views (after bulk changes made in SQL). */
export async function refreshCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    const t0 = performance.now();
    await refreshAttribution(s.db);
    out.write(`attribution refreshed in ${Math.round(performance.now() - t0)} ms (as of ${(await attributionRefreshedAt(s.db))?.toISOString() ?? "no costs yet"})\n`);
    return EXIT.ok;
  });
}
