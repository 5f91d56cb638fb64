import type { SqlRunner } from "../client.js";
import { execute, statement } from "../sql.js";

const VACUUM_COST_TABLES = statement("maintenance/vacuum-cost-tables");

/** A run rewrites most cost rows: reclaim the dead versions now rather than whenever autovacuum comes by. */
export async function vacuumCostTables(db: SqlRunner): Promise<void> {
  await execute(db, VACUUM_COST_TABLES, {});
}
