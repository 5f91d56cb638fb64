-- Which of :months (first days) have no month-end figures yet, or figures computed before a
-- cost_history row that lies inside the month (a back-dated change): those are (re)computed.
-- The rows newer than the oldest cached month's are read once, by id (a check per month scanned
-- an index of the whole history for each).
WITH cached AS (
    SELECT f.month, f.history_id
      FROM cost_month_end_figures f
     WHERE f.scope = 'fleet' AND f.scope_id = '' AND f.month = ANY(:months::date[])
),
newer AS MATERIALIZED (
    SELECT h.id, h.changed_at FROM cost_history h
     WHERE h.id > (SELECT COALESCE(min(history_id), 0) FROM cached)
)
SELECT to_char(m.month, 'YYYY-MM') AS month
  FROM unnest(:months::date[]) AS m(month)
  LEFT JOIN cached f ON f.month = m.month
 WHERE f.month IS NULL
    OR EXISTS (SELECT 1 FROM newer h
                WHERE h.id > f.history_id AND h.changed_at <= cost_month_last_instant(m.month))
 ORDER BY m.month
