-- Month-end figures (total modelled cost) from :first to :last, for one scope (:scope, :scopeId)
-- or, with :scope NULL, for every scope: one row per scope, its months and totals in month order
-- (10k tenants × 24 months are 10k rows, not 240k).
SELECT scope, scope_id AS "scopeId",
       array_agg(to_char(month, 'YYYY-MM') ORDER BY month) AS months,
       array_agg((vps_cost + ip_cost)::text ORDER BY month) AS totals
  FROM cost_month_end_figures
 WHERE month BETWEEN :first::date AND :last::date
   AND (:scope::text IS NULL OR (scope = :scope::text AND scope_id = :scopeId::text))
 GROUP BY scope, scope_id
 ORDER BY scope, scope_id
