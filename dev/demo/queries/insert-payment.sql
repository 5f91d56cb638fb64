-- The month's payment of a subscription: its plan's price, paid.
INSERT INTO payments (subscription_id, amount, status, processed, billing_period_start, billing_period_end)
SELECT :subscriptionId::uuid, p.price_monthly / 100.0, 'succeeded', now(), date_trunc('month', now()), date_trunc('month', now()) + interval '1 month'
  FROM plans p WHERE p.slug = :plan
