import { ours, TS } from "./table-kinds.js";

/** The forecast's and the budgets' tables (20261207200100_forecast_and_budgets). */
export const FORECAST_TABLES = [
  ours("cost_month_end_figures", {
    ...{ month: "date", scope: "text", scope_id: "text", vps_cost: "numeric(14,2)", ip_cost: "numeric(14,2)" },
    ...{ unallocated: "numeric(14,2)", history_id: "bigint", computed_at: TS },
  }),
  ours("cost_forecasts", {
    ...{ scope: "text", scope_id: "text", month: "date", run_rate: "numeric(14,2)", p10: "numeric(14,2)" },
    ...{ p50: "numeric(14,2)", p90: "numeric(14,2)", history_months: "integer", computed_at: TS },
  }),
  ours("cost_budgets", {
    ...{ id: "bigint", scope: "text", scope_id: "text", amount: "numeric(14,2)", from_month: "date" },
    ...{ changed_by: "text", reason: "text", changed_at: TS },
  }),
];
