import type { SqlRunner } from "../db/client.js";
import { ipExists } from "../db/writes/ip-costs.js";
import { findVpsByServiceId } from "../db/read-models/vps-lookup.js";
import { vpsExists } from "../db/writes/vps-costs.js";
import { uuidArg } from "./args.js";
import { UsageError } from "./usage-error.js";

/**
 * Ids as people type them: a VPS by its uuid or by its Hostwinds serviceid (digits, compared
 * without leading zeros), an IP by its uuid. An id that names nothing, or a serviceid that names
 * several rows, is a usage error naming it: nothing is written.
 */

const DIGITS = /^\d{1,19}$/;

/** The uuid of the VPS `raw` names (a uuid or a serviceid); throws a UsageError when it names none or several. */
export async function resolveVps(db: SqlRunner, raw: string | undefined): Promise<string> {
  if (raw !== undefined && DIGITS.test(raw)) {
    const rows = await findVpsByServiceId(db, raw);
    const [only, second] = rows;
    if (!only) throw new UsageError(`no VPS with Hostwinds serviceid ${raw}`);
    if (second) {
      const named = rows.map((r) => `${r.storedAs} = ${r.id}`).join(", ");
      throw new UsageError(
        `Hostwinds serviceid ${raw} names ${rows.length} VPS rows (${named}): a data problem (one instance, several rows; \`cost-sync status\` lists them); use the VPS uuid`,
      );
    }
    return only.id;
  }
  if (raw !== undefined && !/^[0-9a-f-]{36}$/i.test(raw))
    throw new UsageError(`VPS id must be a uuid or a Hostwinds serviceid (digits), got ${JSON.stringify(raw)}`);
  const id = uuidArg(raw, "VPS");
  if (!(await vpsExists(db, id))) throw new UsageError(`no VPS with id ${id}`);
  return id;
}

/** The uuid of an existing IP; throws a UsageError otherwise. */
export async function resolveIp(db: SqlRunner, raw: string | undefined): Promise<string> {
  const id = uuidArg(raw, "IP");
  if (!(await ipExists(db, id))) throw new UsageError(`no IP with id ${id}`);
  return id;
}

/** A VPS or an IP, as `kind` says. */
export function resolveResource(db: SqlRunner, kind: "vps" | "ip", raw: string | undefined): Promise<string> {
  return kind === "vps" ? resolveVps(db, raw) : resolveIp(db, raw);
}
