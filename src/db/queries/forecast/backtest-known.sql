-- The known changes of the backtest (docs/forecast.md, "Backtest"): for each of :months (first days),
-- the scheduled decommissions known at the previous month's end (its last instant, the forecast's
-- anchor), as vps_decommission_schedule_changes recorded them then, that fall within the month: each
-- VPS's latest schedule change made at or before that instant, scheduled after it and at or before
-- the month's last instant. Effect: minus the VPS's and its IPs' (its IPs now, as the forecast's) cost
-- at that instant by the rules of cost_resources_as_of (looked up by index for these few resources),
-- summed per month. A month without any: no row.
WITH m AS (
    SELECT mo::date AS month, cost_month_last_instant((mo::date - 1)) AS known_at, cost_month_last_instant(mo::date) AS last_at
      FROM unnest(:months::date[]) AS mo
),
known AS (
    SELECT DISTINCT ON (m.month, c.vps_id) m.month, m.known_at, m.last_at, c.vps_id, c.new_scheduled_for AS scheduled_for
      FROM m JOIN vps_decommission_schedule_changes c ON c.changed_at <= m.known_at
     ORDER BY m.month, c.vps_id, c.changed_at DESC, c.id DESC
),
resources AS (
    SELECT k.month, k.known_at, 'vps'::text AS kind, v.id, v.approximate_cost, v.created
      FROM known k JOIN vps_instances v ON v.id = k.vps_id
     WHERE k.scheduled_for > k.known_at AND k.scheduled_for <= k.last_at
    UNION ALL
    SELECT k.month, k.known_at, 'ip', i.id, i.approximate_cost, i.created
      FROM known k JOIN smtp_ip_addresses i ON i.vps_instance_id = k.vps_id
     WHERE k.scheduled_for > k.known_at AND k.scheduled_for <= k.last_at
),
valued AS (
    SELECT r.month,
           CASE WHEN l.new_value IS NOT NULL THEN l.new_value
                WHEN r.created > r.known_at THEN 0.00
                WHEN f.found THEN COALESCE(f.old_value, 0.00)
                ELSE r.approximate_cost END AS cost
      FROM resources r
      LEFT JOIN LATERAL (
            SELECT h.new_value FROM cost_history h
             WHERE h.resource_kind = r.kind AND h.resource_id = r.id AND h.changed_at <= r.known_at
             ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) l ON true
      LEFT JOIN LATERAL (
            SELECT true AS found, h.old_value FROM cost_history h
             WHERE h.resource_kind = r.kind AND h.resource_id = r.id AND h.changed_at > r.known_at
             ORDER BY h.changed_at, h.id LIMIT 1) f ON true
)
SELECT to_char(month, 'YYYY-MM') AS month, (-COALESCE(sum(cost), 0))::text AS effect
  FROM valued
 WHERE cost > 0 AND cost <> 'NaN'::numeric
 GROUP BY month
 ORDER BY month
