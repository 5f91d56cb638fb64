-- The first month (UTC) cost-sync has any history for: its first recorded cost change or its first
-- reconciliation run. NULL when it has none.
SELECT to_char(min(first_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS month
  FROM (SELECT min(changed_at) AS first_at FROM cost_history
        UNION ALL
        SELECT min(started_at) FROM cost_reconciliation_runs) x
