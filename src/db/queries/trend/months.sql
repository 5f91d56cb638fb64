-- The :months latest closed months (closes in force): the first of them is where `report trend` starts.
SELECT to_char(min(month), 'YYYY-MM') AS "from", count(*)::int AS months
  FROM (SELECT month FROM cost_month_closes WHERE reopened_at IS NULL ORDER BY month DESC LIMIT :months::int) m
