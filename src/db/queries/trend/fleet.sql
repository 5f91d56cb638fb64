-- `report trend`: the fleet's closed months from :from on, oldest first, every figure as exact text.
-- cost includes the unallocated cost; untracked spend is beside it, not in it.
SELECT to_char(month, 'YYYY-MM') AS month,
       cost::text, unallocated_cost::text, untracked_monthly_cost::text, revenue::text, margin::text,
       margin_percent::text, cost_change::text, cost_change_percent::text, revenue_change::text,
       revenue_change_percent::text, margin_change::text, margin_change_percent::text
  FROM executive_monthly_trend
 WHERE scope = 'fleet' AND month >= :from::date
 ORDER BY month
