-- Per kind: open opportunities of the latest refresh, their monthly saving, and those first seen
-- in the last :hours hours (the alert on new opportunities reads these).
SELECT k.kind, count(o.id)::int AS open, COALESCE(sum(o.monthly_saving), 0)::numeric(14,2)::text AS "monthlyUsd",
       count(o.id) FILTER (WHERE o.first_seen > now() - make_interval(hours => :hours))::int AS new,
       COALESCE(sum(o.monthly_saving) FILTER (WHERE o.first_seen > now() - make_interval(hours => :hours)), 0)::numeric(14,2)::text AS "newMonthlyUsd"
  FROM unnest(ARRAY['billing_cycle', 'idle_ip', 'idle_vps', 'billed_after_decommission', 'untracked']) AS k(kind)
  LEFT JOIN cost_savings_opportunities o ON o.kind = k.kind AND o.state = 'open' AND o.current
 GROUP BY k.kind
 ORDER BY k.kind
