import type { CommandRepositories } from "../db/command-repositories.js";
import type { IpConstantImpact } from "../db/read-models/ip-constant-impact.js";
import type { PlanPriceUnit } from "../db/writes/settings.js";
import { formatCents } from "../money.js";

export type { IpConstantImpact, PlanPriceUnit };

type Repos = Pick<CommandRepositories, "settings" | "attribution">;

/** The queue every IP without an override is repriced through after the constant changes. */
export interface IpConstantRepricing {
  enqueueIpConstantChanged(o: { reason: string; changedBy?: string }): Promise<{ id?: string | undefined }>;
}

/** What changing the IP constant to `cents` would do: the current value (null when unreadable) and the fleet impact. */
export async function previewIpConstant(
  repos: Repos,
  cents: bigint,
): Promise<{ current: bigint | null; impact: IpConstantImpact }> {
  const current = await repos.settings.ipConstantCents().catch(() => null);
  return { current, impact: await repos.settings.ipConstantImpact(cents) };
}

/**
 * Sets the IP constant (recorded with the operator) and enqueues the repricing of every IP without
 * an override. The caller reaches the queue before calling, so nothing is written when it is down.
 */
export async function changeIpConstant(
  deps: { repos: Repos; repricing: IpConstantRepricing },
  r: { cents: bigint; changedBy: string; reason: string },
): Promise<{ was: string; job: string | undefined }> {
  const old = await deps.repos.settings.setIpConstant(r.cents, r.changedBy, r.reason);
  const was = old === null ? "unset" : formatCents(old);
  const job = await deps.repricing.enqueueIpConstantChanged({
    reason: `IP constant ${was} -> ${formatCents(r.cents)}`,
    changedBy: r.changedBy,
  });
  return { was, job: job.id };
}

/** Sets how plans.price_monthly is read, then refreshes the views, which convert revenue at refresh time. */
export async function changePlanPriceUnit(
  repos: Repos,
  r: { unit: PlanPriceUnit; changedBy: string; reason: string },
): Promise<void> {
  await repos.settings.setPlanPriceUnit(r.unit, r.changedBy, r.reason);
  await repos.attribution.refresh();
}
