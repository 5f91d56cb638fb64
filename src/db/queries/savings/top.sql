-- The largest open opportunities of the latest refresh (the executive page's "savings available").
SELECT o.id, o.kind, o.serviceid AS "serviceId", o.ip, o.tenant_id::text AS "tenantId",
       o.monthly_saving::text AS "monthlySaving", o.method
  FROM cost_savings_opportunities o
 WHERE o.state = 'open' AND o.current AND o.monthly_saving IS NOT NULL
 ORDER BY o.monthly_saving DESC, o.id
 LIMIT :n
