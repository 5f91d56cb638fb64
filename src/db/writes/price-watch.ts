import type { Db } from "../client.js";
import { execute, pgTransaction, query, statement, type NoParams } from "../sql.js";

/** One plan's offered price at one recurring cycle, as an exact decimal string. */
export interface CataloguePrice {
  rid: string;
  cycle: string;
  price: string;
}

/** A change found by a watch, as recorded: its id, the VPS priced on it, and a member to ask. */
export interface RecordedChange {
  id: string;
  vpsOnPlan: number;
  verifyServiceid: string | null;
}

const LOCK = statement("price-watch/lock");
const LAST_COPY = statement<NoParams, CataloguePrice>("price-watch/last-copy");
const SAVE_COPY = statement<{ prices: string }>("price-watch/save-copy");
const OPEN = statement<{ trigger: string }, { id: string }>("price-watch/open-run");
const RECORD = statement<
  { runId: string; rid: string; cycle: string; oldPrice: string; newPrice: string },
  RecordedChange
>("price-watch/record-change");
const MEMBERS = statement<{ rid: string; cycle: string }, { vpsId: string; serviceid: string | null }>(
  "price-watch/members",
);
const CONFIRM = statement<{ id: string; confirmed: boolean | null; serviceid: string | null; note: string | null }>(
  "price-watch/confirm",
);
const COMPLETE = statement<{ runId: string; baseline: boolean; prices: number; changes: number; calls: number }>(
  "price-watch/complete-run",
);
const FAIL = statement<{ runId: string; calls: number; error: string }>("price-watch/fail-run");

/** What the comparison of a new catalogue with the kept copy decides, given the copy. */
export type Comparison = (previous: readonly CataloguePrice[]) => {
  changes: { rid: string; cycle: string; oldPrice: string; newPrice: string }[];
};

/**
 * The price watch's data, bound to one database. `compareAndRecord` runs in one transaction under
 * an advisory lock: the copy it compares with is the one it replaces, so two watches at once never
 * report the same change twice.
 */
export function createPriceWatchStore(db: Db) {
  return {
    open: async (trigger: "schedule" | "manual") => (await query(db, OPEN, { trigger }))[0]?.id ?? "",
    compareAndRecord: (o: { runId: string; prices: readonly CataloguePrice[]; compare: Comparison }) =>
      pgTransaction(db, async (tx) => {
        await query(tx, LOCK, {});
        const previous = await query(tx, LAST_COPY, {});
        const { changes } = o.compare(previous);
        const recorded: (RecordedChange & (typeof changes)[number])[] = [];
        for (const c of changes) {
          const [row] = await query(tx, RECORD, { runId: o.runId, ...c });
          if (row) recorded.push({ ...c, ...row });
        }
        await execute(tx, SAVE_COPY, { prices: JSON.stringify(o.prices) });
        return { baseline: previous.length === 0, changes: recorded };
      }),
    members: (rid: string, cycle: string) => query(db, MEMBERS, { rid, cycle }),
    confirm: (id: string, o: { confirmed: boolean | null; serviceid: string | null; note: string | null }) =>
      execute(db, CONFIRM, { id, ...o }),
    complete: (runId: string, o: { baseline: boolean; prices: number; changes: number; calls: number }) =>
      execute(db, COMPLETE, { runId, ...o }),
    fail: (runId: string, o: { calls: number; error: string }) => execute(db, FAIL, { runId, ...o }),
  };
}

export type PriceWatchStore = ReturnType<typeof createPriceWatchStore>;
