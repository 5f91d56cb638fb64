-- Month-end figures (total modelled cost) from :first to :last, for one scope (:scope, :scopeId)
-- or, with :scope NULL, for every scope.
SELECT scope, scope_id AS "scopeId", to_char(month, 'YYYY-MM') AS month, (vps_cost + ip_cost)::text AS total
  FROM cost_month_end_figures
 WHERE month BETWEEN :first::date AND :last::date
   AND (:scope::text IS NULL OR (scope = :scope::text AND scope_id = :scopeId::text))
 ORDER BY scope, scope_id, month
