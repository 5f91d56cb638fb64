import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

const DISMISS = statement<
  { id: string; operator: string; reason: string },
  { dismissed: number; state: string | null }
>("savings/dismiss");

/** Dismisses an open opportunity; `dismissed` 0 when it was not open (its state says what it is). */
export async function dismissOpportunity(
  db: SqlRunner,
  o: { id: string; operator: string; reason: string },
): Promise<{ dismissed: boolean; state: string | null }> {
  const [row] = await query(db, DISMISS, o);
  return { dismissed: (row?.dismissed ?? 0) > 0, state: row?.state ?? null };
}
