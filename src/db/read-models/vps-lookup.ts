import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/** A VPS row found by its Hostwinds service id, with the id as stored (`0030`). */
export interface VpsByServiceId {
  id: string;
  storedAs: string;
}

const BY_SERVICEID = statement<{ serviceid: string }, VpsByServiceId>("vps/by-serviceid");

/** A service id as compared everywhere: digits without leading zeros (`0030` → `30`, `000` → `0`). */
function normaliseServiceId(digits: string): string {
  return digits.trim().replace(/^0+(?=\d)/, "");
}

/** The VPS rows (at most five) whose service id is `serviceid` once normalised; more than one is a data problem. */
export function findVpsByServiceId(db: SqlRunner, serviceid: string): Promise<VpsByServiceId[]> {
  return query(db, BY_SERVICEID, { serviceid: normaliseServiceId(serviceid) });
}
