import { createHash } from "node:crypto";

/** The kinds of savings opportunity (docs/savings.md), in report order. */
export const SAVINGS_KINDS = [
  "billing_cycle",
  "idle_ip",
  "idle_vps",
  "billed_after_decommission",
  "untracked",
] as const;
export type SavingsKind = (typeof SAVINGS_KINDS)[number];

const PREFIX: Record<SavingsKind, string> = {
  billing_cycle: "cyc",
  idle_ip: "ip",
  idle_vps: "vps",
  billed_after_decommission: "dec",
  untracked: "unt",
};

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * An opportunity's stable id: its kind and its resource (the VPS row, the IP row, or the untracked
 * serviceid), so the same opportunity keeps its id from one refresh to the next and a dismissal
 * or a done record stays attached to it.
 */
export function opportunityId(kind: SavingsKind, resource: string): string {
  return `${PREFIX[kind]}-${sha(`${kind}:${resource}`).slice(0, 10)}`;
}

/**
 * The hash of the facts an opportunity rests on: a dismissal holds while it is the same. The SQL kinds
 * compute it, and their id, in PostgreSQL (savings/candidates.sql): both must stay the same as here.
 */
export function factsHash(facts: unknown): string {
  return sha(stableJson(facts)).slice(0, 16);
}

/** JSON with object keys sorted, so equal facts always hash the same. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
