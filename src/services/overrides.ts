import type { CommandRepositories } from "../db/command-repositories.js";
import { formatCents } from "../money.js";
import { resolveResource, type ResourceRef } from "./resources.js";

/** The queue a cleared VPS override is repriced through (the producer, from the composition root). */
export interface VpsRepricing {
  enqueueVpsCostSync(vpsId: string, o: { reason: string }): Promise<{ id?: string | undefined }>;
}

export interface OverrideRequest {
  target: ResourceRef;
  /** The override in cents, or null to clear it. */
  cents: bigint | null;
  reason: string;
  /** Recorded in cost_history.job_id and changed_by. */
  jobId: string;
  changedBy: string;
}

/** What an override did, as `override --json` prints it. */
export interface OverrideResult {
  kind: "vps" | "ip";
  id: string;
  override: string | null;
  costBefore: string | null;
  costAfter: string;
  reason: string;
  repricingJob: string | null;
}

type Repos = Pick<CommandRepositories, "lookup" | "overrides" | "ips" | "settings" | "attribution">;

/**
 * Sets or clears a Finance override, applied at once and recorded in the cost history. Clearing an
 * IP's reprices it at once from the constant; clearing a VPS's enqueues its repricing, so the
 * queue is reached before anything is written. The attribution behind the views is then refreshed.
 */
export async function applyOverride(
  deps: { repos: Repos; repricing: () => Promise<VpsRepricing> },
  r: OverrideRequest,
): Promise<OverrideResult> {
  const { repos } = deps;
  const kind = r.target.kind;
  const id = await resolveResource(repos.lookup, r.target);
  const producer = r.cents === null && kind === "vps" ? await deps.repricing() : undefined;
  const write = { jobId: r.jobId, reason: r.reason, changedBy: r.changedBy };
  const [change] = await repos.overrides.set({ kind, id, cents: r.cents, write });
  if (!change) throw new Error(`${kind} ${id} disappeared before its override was written; nothing was changed`);
  let repriced: string | null = null;
  let job: string | undefined;
  if (r.cents === null && kind === "ip") {
    const constantCents = await repos.settings.ipConstantCents();
    const out = await repos.ips.reprice({ ipIds: [id] }, { constantCents, write, returnChanges: true });
    repriced = out.changes[0] ? formatCents(out.changes[0].newCents) : null;
  }
  if (producer) job = (await producer.enqueueVpsCostSync(id, { reason: r.reason })).id;
  await repos.attribution.refresh();
  return {
    kind,
    id,
    override: r.cents === null ? null : formatCents(r.cents),
    costBefore: change.oldCents === null ? null : formatCents(change.oldCents),
    costAfter: repriced ?? formatCents(change.newCents),
    reason: r.reason,
    repricingJob: job ?? null,
  };
}
