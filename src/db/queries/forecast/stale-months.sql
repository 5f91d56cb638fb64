-- Which of :months (first days) have no month-end figures yet, or figures computed before a
-- cost_history row that lies inside the month (a back-dated change): those are (re)computed.
SELECT to_char(m.month, 'YYYY-MM') AS month
  FROM unnest(:months::date[]) AS m(month)
  LEFT JOIN cost_month_end_figures f ON f.scope = 'fleet' AND f.scope_id = '' AND f.month = m.month
 WHERE f.month IS NULL
    OR EXISTS (SELECT 1 FROM cost_history h
                WHERE h.id > f.history_id AND h.changed_at <= cost_month_last_instant(m.month))
 ORDER BY m.month
