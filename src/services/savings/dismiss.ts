import type { SqlRunner } from "../../db/client.js";
import { dismissOpportunity } from "../../db/savings/dismiss-store.js";
import { findOpportunity } from "../../db/savings/read-store.js";
import { InputError } from "../errors.js";

/**
 * Dismisses an open opportunity with the operator and a reason (1..300 characters). It stays
 * dismissed while the facts it rests on are unchanged (docs/savings.md, "State"). An unknown id, a
 * missing reason or an opportunity that is not open is an InputError: nothing is written.
 */
export async function dismissSavings(
  db: SqlRunner,
  o: { id: string; reason: string; operator: string },
): Promise<{ id: string; state: "dismissed" }> {
  const reason = o.reason.trim();
  if (reason.length === 0 || reason.length > 300) throw new InputError("--reason must hold 1 to 300 characters");
  const found = await findOpportunity(db, o.id);
  if (!found) throw new InputError(`no savings opportunity ${JSON.stringify(o.id)} (report savings lists them)`);
  const done = await dismissOpportunity(db, { id: o.id, operator: o.operator, reason });
  if (!done.dismissed)
    throw new InputError(`opportunity ${o.id} is ${done.state ?? "gone"}, not open: nothing dismissed`);
  return { id: o.id, state: "dismissed" };
}
