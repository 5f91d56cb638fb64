-- An active subscription for the current month on the plan :plan.
INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
SELECT :tenantId::uuid, id, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month'
  FROM plans WHERE slug = :plan
RETURNING id::text
