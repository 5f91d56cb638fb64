INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end)
VALUES (:tenantId, :subscriptionId, :emails, date_trunc('day', now()) - interval '7 days', date_trunc('day', now()))
