-- The budgets in force in :month (a cleared scope has none), oldest scope first.
SELECT scope, scope_id AS "scopeId", amount::text, to_char(from_month, 'YYYY-MM') AS "fromMonth",
       changed_by AS "changedBy", reason, changed_at AS "changedAt"
  FROM (SELECT DISTINCT ON (scope, scope_id) *
          FROM cost_budgets
         WHERE from_month <= :month::date
         ORDER BY scope, scope_id, from_month DESC, id DESC) b
 WHERE amount IS NOT NULL
 ORDER BY scope, scope_id
