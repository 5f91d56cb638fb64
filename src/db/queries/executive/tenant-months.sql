-- One tenant's closed months, oldest first, from executive_monthly_trend (its tenant rows).
SELECT to_char(month, 'YYYY-MM') AS month,
       revenue::numeric(14,2)::text AS revenue,
       cost::numeric(14,2)::text AS cost,
       margin_percent::text AS "marginPercent",
       health
  FROM executive_monthly_trend
 WHERE scope = 'tenant' AND tenant_id = :tenantId::uuid
 ORDER BY month
