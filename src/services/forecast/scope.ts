import type { SqlRunner } from "../../db/client.js";
import { planKnown, type Scope } from "../../db/month-end/forecast-history.js";
import { InputError } from "../errors.js";
import { resolveTenant } from "../tenants/resolve-tenant.js";

/** A scope as the forecast and budgets name it, with a label for people. */
export interface NamedScope {
  scope: Scope;
  /** '' for the fleet, the tenant's uuid, the plan's rid. */
  scopeId: string;
  label: string;
}

export const FLEET: NamedScope = { scope: "fleet", scopeId: "", label: "fleet" };

/** The tenant `text` names (uuid or name; InputError when unknown or ambiguous, with candidates). */
export async function tenantScope(db: SqlRunner, text: string): Promise<NamedScope> {
  const t = await resolveTenant(db, text);
  return { scope: "tenant", scopeId: t.id, label: `tenant ${t.name} (${t.id})` };
}

/** A Hostwinds plan rid that priced a VPS, now or before (InputError otherwise). */
export async function planScope(db: SqlRunner, rid: string): Promise<NamedScope> {
  const wanted = rid.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(wanted)) throw new InputError(`plan rid must be a Hostwinds resource id, got ${JSON.stringify(rid)}`); // prettier-ignore
  if (!(await planKnown(db, wanted))) throw new InputError(`no VPS was ever priced from plan rid ${wanted}`);
  return { scope: "plan", scopeId: wanted, label: `plan rid ${wanted}` };
}

/** A scope as an operator types it: the fleet, a tenant by uuid or name, a plan by rid. */
export type ScopeRef = { kind: "fleet" } | { kind: "tenant"; text: string } | { kind: "plan"; rid: string };

/** The scope `ref` names (InputError when the tenant or plan is unknown). */
export async function resolveScope(db: SqlRunner, ref: ScopeRef): Promise<NamedScope> {
  if (ref.kind === "fleet") return FLEET;
  return ref.kind === "tenant" ? tenantScope(db, ref.text) : planScope(db, ref.rid);
}
