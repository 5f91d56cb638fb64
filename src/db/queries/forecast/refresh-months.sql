-- Recomputes the month-end figures of :months (first days) per tenant, per plan and for the fleet in
-- one pass over cost_history (cost_month_end_rows, migration 20261207930100), replacing what the cache
-- held. The newest history id is read first: a change committed meanwhile makes a month stale again.
WITH seen AS (SELECT COALESCE(max(id), 0) AS id FROM cost_history),
gone AS (DELETE FROM cost_month_end_figures WHERE month = ANY(:months::date[]) RETURNING 1)
INSERT INTO cost_month_end_figures (month, scope, scope_id, vps_cost, ip_cost, unallocated, history_id)
SELECT f.month, f.scope, f.scope_id, f.vps_cost, f.ip_cost, f.unallocated, seen.id
  FROM cost_month_end_rows(:months::date[]) f, seen, (SELECT count(*) FROM gone) AS after_delete
