-- Realised savings (docs/savings.md, "Realised"): each opportunity marked done in the last :months
-- calendar months, with its predicted monthly saving beside the change in what Hostwinds invoiced
-- for its resource: the invoiced monthly equivalent of the latest month before the month it was
-- done, minus that of the first imported month after it (0 when that month's invoices no longer
-- bill it). NULL while either month is missing: read from invoices, never from the model.
WITH done AS (
    SELECT s.id AS change_id, s.opportunity_id AS id, s.changed_at AS done_at, s.reason, s.monthly_saving AS predicted,
           o.kind, o.vps_id, o.ip_id, o.serviceid, o.ip, o.tenant_id,
           date_trunc('month', s.changed_at AT TIME ZONE 'UTC')::date AS done_month
      FROM cost_savings_state_changes s
      JOIN cost_savings_opportunities o ON o.id = s.opportunity_id
     WHERE s.to_state = 'done'
       AND s.changed_at >= (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => :months - 1)) AT TIME ZONE 'UTC'
),
line_months AS (
    SELECT l.vps_id, l.ip_id, l.untracked_serviceid,
           (l.first_month + make_interval(months => (m.n - 1)::int))::date AS month, m.usd
      FROM invoice_lines l
     CROSS JOIN LATERAL unnest(l.month_usd) WITH ORDINALITY AS m(usd, n)
     WHERE l.vps_id IN (SELECT vps_id FROM done)
        OR l.ip_id IN (SELECT ip_id FROM done)
        OR l.ip_id IN (SELECT x.id FROM smtp_ip_addresses x JOIN done d ON d.kind = 'idle_vps' AND x.vps_instance_id = d.vps_id)
        OR l.untracked_serviceid IN (SELECT serviceid FROM done WHERE kind = 'untracked')
),
billed AS (
    SELECT d.change_id, lm.month, sum(lm.usd) AS usd
      FROM done d
      JOIN line_months lm
        ON (d.kind IN ('billing_cycle', 'billed_after_decommission', 'idle_vps') AND lm.vps_id = d.vps_id)
        OR (d.kind = 'idle_vps' AND lm.ip_id IN (SELECT x.id FROM smtp_ip_addresses x WHERE x.vps_instance_id = d.vps_id))
        OR (d.kind = 'idle_ip' AND lm.ip_id = d.ip_id)
        OR (d.kind = 'untracked' AND lm.untracked_serviceid = d.serviceid)
     GROUP BY d.change_id, lm.month
)
SELECT d.id, d.kind, d.serviceid AS "serviceId", d.ip, d.tenant_id::text AS "tenantId", d.done_at AS "doneAt",
       d.reason AS "doneReason", d.predicted::text AS "predictedMonthlySaving",
       to_char(b.month, 'YYYY-MM') AS "invoicedBeforeMonth", b.usd::text AS "invoicedBefore",
       to_char(a.month, 'YYYY-MM') AS "invoicedAfterMonth",
       CASE WHEN a.month IS NOT NULL THEN COALESCE(aa.usd, 0)::numeric(12,2)::text END AS "invoicedAfter",
       CASE WHEN b.month IS NOT NULL AND a.month IS NOT NULL
            THEN (b.usd - COALESCE(aa.usd, 0))::numeric(12,2)::text END AS "realisedMonthlySaving"
  FROM done d
  LEFT JOIN LATERAL (SELECT month, usd FROM billed x WHERE x.change_id = d.change_id AND x.month < d.done_month
                      ORDER BY month DESC LIMIT 1) b ON true
  LEFT JOIN LATERAL (SELECT month FROM invoice_month_totals t WHERE t.month > d.done_month
                      ORDER BY month LIMIT 1) a ON true
  LEFT JOIN billed aa ON aa.change_id = d.change_id AND aa.month = a.month
 ORDER BY d.done_at DESC, d.id
