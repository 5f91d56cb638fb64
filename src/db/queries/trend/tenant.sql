-- `report trend --tenant`: one tenant's closed months from :from on, oldest first, as exact text.
SELECT to_char(month, 'YYYY-MM') AS month,
       cost::text, vps_cost::text, ip_cost::text, revenue::text, margin::text, margin_percent::text, health,
       cost_change::text, cost_change_percent::text, revenue_change::text, revenue_change_percent::text,
       margin_change::text, margin_change_percent::text
  FROM executive_monthly_trend
 WHERE scope = 'tenant' AND tenant_id = :tenantId::uuid AND month >= :from::date
 ORDER BY month
