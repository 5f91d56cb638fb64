import { formatCents } from "../../money.js";
import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/** What changing the IP constant would do: IPs that follow it, and the fleet's monthly IP total before and after (exact decimals). */
export interface IpConstantImpact {
  following: number;
  ips: number;
  totalBefore: string;
  totalAfter: string;
}

const IMPACT = statement<{ newValue: string }, IpConstantImpact>("ip/constant-impact");

/** Reads what setting the constant to `cents` would change; writes nothing. */
export async function ipConstantImpact(db: SqlRunner, cents: bigint): Promise<IpConstantImpact> {
  const [row] = await query(db, IMPACT, { newValue: formatCents(cents) });
  if (!row) throw new Error("the IP constant's impact returned no row");
  return row;
}
