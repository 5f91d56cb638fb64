-- A month's payment of a subscription (:back months before the current UTC month): its plan's price, paid
-- on the month's first day.
INSERT INTO payments (subscription_id, amount, status, processed, billing_period_start, billing_period_end)
SELECT :subscriptionId::uuid, p.price_monthly / 100.0, 'succeeded', m.start, m.start, m.start + interval '1 month'
  FROM plans p,
       LATERAL (SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => :back::int)) AT TIME ZONE 'UTC' AS start) m
 WHERE p.slug = :plan
