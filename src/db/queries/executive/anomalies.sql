-- The open anomalies for the page: how many, how many appeared after the last close, and the latest few.
-- Open is what status counts (cost_anomalies_recent.in_latest_run): found by the latest completed
-- reconciliation. Each row carries the totals, so one statement answers all three.
WITH open AS (
    SELECT * FROM cost_anomalies_recent WHERE in_latest_run
),
closed AS (
    SELECT max(closed_at) AS at FROM cost_month_closes WHERE reopened_at IS NULL
)
SELECT (SELECT count(*) FROM open)::int AS open,
       (SELECT CASE WHEN closed.at IS NULL THEN NULL
                    ELSE (SELECT count(*) FROM open WHERE detected_at > closed.at) END FROM closed)::int AS "openSinceClose",
       o.detected_at AS "detectedAt",
       o.resource_kind AS kind,
       COALESCE(o.serviceid, i.ip_address)::text AS label,
       o.resource_id::text AS "resourceId",
       o.old_value::text AS "oldValue",
       o.new_value::text AS "newValue",
       o.change_usd::text AS change
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (SELECT * FROM open ORDER BY detected_at DESC, resource_id LIMIT :limit) o ON true
  LEFT JOIN smtp_ip_addresses i ON o.resource_kind = 'ip' AND i.id = o.resource_id
 ORDER BY o.detected_at DESC, o.resource_id
