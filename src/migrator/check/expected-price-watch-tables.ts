import { ours, TS, UUID } from "./table-kinds.js";

/** The daily price watch's tables (20261207400000_price_watch). */
export const PRICE_WATCH_TABLES = [
  ours("cost_catalogue_prices", { rid: "text", billing_cycle: "text", price: "numeric", seen_at: TS }),
  ours("cost_price_watch_runs", {
    ...{ id: UUID, trigger: "text", started_at: TS, finished_at: TS, status: "text", baseline: "boolean" },
    ...{ prices: "integer", changes: "integer", hostwinds_calls: "integer", error: "text" },
  }),
  ours("cost_catalogue_price_changes", {
    ...{ id: "bigint", watch_run_id: UUID, rid: "text", billing_cycle: "text", old_price: "numeric" },
    ...{ new_price: "numeric", vps_on_plan: "integer", confirmed: "boolean", verified_serviceid: "text" },
    ...{ verified_note: "text", detected_at: TS },
  }),
];
