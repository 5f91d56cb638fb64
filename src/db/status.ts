import type { SqlRunner } from "./client.js";
import { query, statement } from "./sql.js";

export interface UnpricedVps {
  kind: "vps";
  id: string;
  serviceid: string | null;
  kept_cost: string | null;
  reason: string;
}

const UNPRICED_VPS = statement<{ limit: number }, UnpricedVps>("status/unpriced-vps");

/** VPS the last sync could not price, with the cost they keep (at most `limit`). */
export function listUnpricedVps(db: SqlRunner, limit: number): Promise<UnpricedVps[]> {
  return query(db, UNPRICED_VPS, { limit });
}
