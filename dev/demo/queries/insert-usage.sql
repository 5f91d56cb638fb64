-- A month of a tenant's email usage (:back months before the current UTC month; the current month so far).
INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end)
SELECT :tenantId, :subscriptionId, :emails, m.start,
       CASE WHEN :back::int = 0 THEN date_trunc('day', now()) ELSE m.start + interval '1 month' END
  FROM (SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => :back::int)) AT TIME ZONE 'UTC' AS start) m
