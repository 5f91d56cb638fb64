import { ours, TS, UUID } from "./table-kinds.js";

/** The savings tables (20261207500000_savings) and the digests (20261207800000_digests). */
export const SAVINGS_TABLES = [
  ours("cost_digests", { id: "bigint", taken_at: TS, period_start: TS, trigger: "text", fleet_cost: "numeric(14,2)" }),
  ours("cost_reconciliation_cycles", { run_id: UUID, serviceid: "bigint", billing_cycle: "text", group_key: "text" }),
  ours("cost_savings_cycle_answers", {
    ...{ run_id: UUID, serviceid: "bigint", outcome: "text", prices: "jsonb", reason: "text", fetched_at: TS },
  }),
  ours("cost_savings_opportunities", {
    ...{ id: "text", kind: "text", vps_id: UUID, ip_id: UUID, serviceid: "text", ip: "text", tenant_id: UUID },
    ...{ monthly_saving: "numeric(12,2)", upfront: "numeric(12,2)", break_even_months: "numeric(8,2)" },
    ...{ method: "text", evidence: "jsonb", facts_hash: "text", state: "text", current: "boolean" },
    ...{ first_seen: TS, last_seen: TS, dismissed_at: TS, dismissed_by: "text", dismiss_reason: "text" },
    ...{ dismissed_facts: "text", done_at: TS, done_reason: "text" },
  }),
  ours("cost_savings_runs", {
    ...{ id: "bigint", trigger: "text", started_at: TS, finished_at: TS, reconciliation_run_id: UUID },
    ...{ idle_days: "integer", opportunities: "integer", opened: "integer", done: "integer", reopened: "integer" },
    ...{ calls_billingcycle: "integer", cycle_unknown: "integer" },
  }),
  ours("cost_savings_state_changes", {
    ...{ id: "bigint", opportunity_id: "text", from_state: "text", to_state: "text", changed_at: TS },
    ...{ changed_by: "text", reason: "text", monthly_saving: "numeric(12,2)" },
  }),
];
