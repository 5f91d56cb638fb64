import type { Share, TenantExplanation, VpsExplanation } from "../services/explain.js";
import { clean } from "./output.js";
import { render } from "./table.js";

/** The text form of `explain`: a few lines of facts, then tables. */

const basis = (x: Share): string =>
  x.weights <= 1 ? "whole" : `${x.weight}/${x.weights} ${x.kind === "vps" ? "assignments" : "tenants"}`;

const shareRows = (shares: readonly Share[], withTenant: boolean) =>
  shares.map((x) => ({
    kind: x.kind,
    resource: x.label ?? x.resourceId,
    ...(withTenant ? { tenant: x.tenantId ?? "unallocated" } : {}),
    cost: x.resourceCost,
    basis: basis(x),
    share: x.share,
  }));

export function printVps(out: NodeJS.WritableStream, d: VpsExplanation, maxWidth: number | undefined): void {
  const { vps, lastChange, ips, split } = d;
  const w = (line: string) => out.write(`${clean(line)}\n`);
  w(`vps: ${vps.id}`);
  w(`serviceid: ${vps.serviceid ?? "none"}`);
  w(`status: ${vps.status ?? "none"}`);
  w(`owner: ${vps.shared ? "none (shared: split by the tenants' IP assignments)" : `tenant ${vps.tenantId ?? ""}`}`);
  w(`cost: ${vps.cost ?? "none"} USD/month${vps.unpricedReason ? " (the last good figure: see unpriced)" : ""}`);
  w(`source: ${vps.source ?? "none yet"}`);
  w(`plan: ${vps.planRid ? `rid ${vps.planRid}` : "-"}`);
  w(`cycle: ${vps.cycle ?? "-"}`);
  w(`override: ${vps.override ? `${vps.override} USD/month (Finance; no sync replaces it)` : "none"}`);
  w(`unpriced: ${vps.unpricedReason ?? "no"}`);
  w(`synced: ${vps.syncedAt?.toISOString() ?? "never"}`);
  if (lastChange)
    w(
      `last change: ${lastChange.changedAt.toISOString()} ${lastChange.oldValue ?? "none"} -> ${lastChange.newValue} (${lastChange.reason}${lastChange.changedBy && !lastChange.reason.endsWith(")") ? `, by ${lastChange.changedBy}` : ""})`,
    );
  out.write(`\nIPs (${ips.count}; ${ips.monthlyUsd} USD/month):\n`);
  if (ips.count) out.write(render(ips.list, "table", undefined, { maxWidth }));
  out.write(`\nsplit among tenants (as the attribution computes it from the current figures):\n`);
  out.write(
    split.length ? render(shareRows(split, true), "table", undefined, { maxWidth }) : "(nothing to split: no cost)\n",
  );
}

export function printTenant(out: NodeJS.WritableStream, d: TenantExplanation, maxWidth: number | undefined): void {
  const { tenant, shares } = d;
  const w = (line: string) => out.write(`${clean(line)}\n`);
  w(`tenant: ${tenant.name}`);
  w(`id: ${tenant.id}`);
  w(
    tenant.totalCost === null
      ? "attribution: no row in tenant_cost_attribution (no cost attributed at the last refresh)"
      : `attribution: VPS ${tenant.vpsCost ?? "0.00"} + IP ${tenant.ipCost ?? "0.00"} = ${tenant.totalCost} USD/month (tenant_cost_attribution)`,
  );
  w(`refreshed: ${tenant.refreshedAt?.toISOString() ?? "never"}`);
  out.write(`\nshares (${shares.length}):\n`);
  out.write(shares.length ? render(shareRows(shares, false), "table", undefined, { maxWidth }) : "(none)\n");
  w(
    d.matches
      ? `\nsum of shares: ${d.sharesTotal} = the tenant's total in tenant_cost_attribution`
      : `\nsum of shares: ${d.sharesTotal}, but tenant_cost_attribution says ${d.attributionTotal}: the attribution predates the latest changes; run \`cost-sync refresh\``,
  );
}
