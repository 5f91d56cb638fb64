-- export focus: one row per line of the invoices dated in the month, as FOCUS 1.2 columns
-- (docs/focus.md). BilledCost is the line's amount; ListCost and EffectiveCost are the model's figure
-- for the line's charge period where the line is the resource's own charge (its VPS's, or its IP's),
-- rebuilt from cost_history at the month's end (cost_resources_as_of); 0.00 where the model has no
-- figure for it (promotions, upgrades, fees, usage, unmatched lines). Amounts as exact text.
WITH bounds AS (
    SELECT :month::date AS first_day, cost_month_last_instant(:month::date) AS last_instant
), modelled AS (
    SELECT r.resource_kind, r.resource_id, r.cost FROM bounds b CROSS JOIN LATERAL cost_resources_as_of(b.last_instant) r
), lines AS (
    SELECT l.*, v.hostwinds_instance_id AS vps_serviceid, v.tenant_id,
           CASE WHEN l.matched = 'vps' AND l.category = 'vps' THEN mv.cost
                WHEN l.matched = 'ip' AND l.ip_id IS NOT NULL THEN mi.cost END AS model_monthly,
           CASE WHEN l.monthly_method = 'whole-months' THEN cardinality(l.month_usd)::numeric
                WHEN l.monthly_method = 'days' THEN (l.period_end - l.period_start + 1) * 48 / 1461.0
                ELSE 1 END AS months
      FROM invoice_lines l CROSS JOIN bounds b
      LEFT JOIN vps_instances v ON v.id = l.vps_id
      LEFT JOIN modelled mv ON mv.resource_kind = 'vps' AND mv.resource_id = l.vps_id
      LEFT JOIN modelled mi ON mi.resource_kind = 'ip' AND mi.resource_id = l.ip_id
     WHERE l.invoice_date >= b.first_day AND l.invoice_date < (b.first_day + interval '1 month')::date
)
SELECT l.invoice_number, l.line_no, l.amount_usd::text AS billed,
       round(COALESCE(l.model_monthly, 0) * l.months, 2)::text AS modelled,
       l.category, l.kind, l.matched, l.matched_by, l.line_type,
       to_char(COALESCE(l.period_start, l.invoice_date), 'YYYY-MM-DD') AS charge_start,
       to_char(COALESCE(l.period_end, l.invoice_date) + 1, 'YYYY-MM-DD') AS charge_end,
       to_char(b.first_day, 'YYYY-MM-DD') AS billing_start,
       to_char((b.first_day + interval '1 month')::date, 'YYYY-MM-DD') AS billing_end,
       COALESCE(l.vps_serviceid, l.service_id, l.untracked_serviceid) AS resource_id, l.hostname,
       split_part(l.description, E'\n', 1) AS description, l.tenant_id::text AS tenant_id,
       l.monthly_method
  FROM lines l CROSS JOIN bounds b
 ORDER BY l.invoice_number, l.line_no
