-- VPS that cost money by their status but have neither a cost nor a reason why they could not be
-- priced: never synced (a missed event, a worker that never ran), or zeroed by hand. A Hostwinds
-- "Free Account" costs 0.00 by its source (src/pricing/monthly-price.ts, FREE_ACCOUNT_SOURCE).
SELECT (array_agg(id::text ORDER BY id))[1 : :limit::int] AS ids, count(*)::int AS count
  FROM vps_instances
 WHERE status IN ('active', 'provisioning', 'scheduled_decommission')
   AND (approximate_cost IS NULL OR approximate_cost = 0)
   AND approximate_cost_unpriced_reason IS NULL
   AND approximate_cost_source IS DISTINCT FROM 'Free Account: Hostwinds bills this instance nothing (billingcycle "Free Account")'
