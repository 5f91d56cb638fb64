-- Replaces the stored forecast of the given scopes (every month of theirs) with the rows given. Two
-- refreshes at once (the worker's and a CLI run): the later one's DELETE cannot see the rows the earlier
-- one inserted meanwhile, so its rows replace them (ON CONFLICT), never a duplicate key error.
WITH gone AS (
    DELETE FROM cost_forecasts f
     USING unnest(:scopes::text[], :scopeIds::text[]) AS s(scope, scope_id)
     WHERE f.scope = s.scope AND f.scope_id = s.scope_id
    RETURNING 1
)
INSERT INTO cost_forecasts (scope, scope_id, month, run_rate, p10, p50, p90, history_months, computed_at)
SELECT r.scope, r.scope_id, r.month, r.run_rate, r.p10, r.p50, r.p90, r.history_months, :at::timestamptz
  FROM unnest(:rowScopes::text[], :rowIds::text[], :months::date[], :runRates::numeric[], :p10s::numeric[],
              :p50s::numeric[], :p90s::numeric[], :historyMonths::int[])
       AS r(scope, scope_id, month, run_rate, p10, p50, p90, history_months),
       (SELECT count(*) FROM gone) AS after_delete
ON CONFLICT (scope, scope_id, month) DO UPDATE
   SET run_rate = EXCLUDED.run_rate, p10 = EXCLUDED.p10, p50 = EXCLUDED.p50, p90 = EXCLUDED.p90,
       history_months = EXCLUDED.history_months, computed_at = EXCLUDED.computed_at
