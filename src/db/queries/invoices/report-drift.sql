-- report invoices: each invoiced VPS of the month, its drift (invoiced - modelled) and whether it
-- is a drift anomaly; largest drift first.
SELECT m.vps_id::text, v.hostwinds_instance_id AS serviceid, v.status, m.invoiced_usd::text,
       m.modelled_usd::text, (m.invoiced_usd - COALESCE(m.modelled_usd, 0))::text AS drift_usd,
       CASE WHEN COALESCE(m.modelled_usd, 0) <> 0
            THEN round((m.invoiced_usd - m.modelled_usd) / m.modelled_usd * 100, 2)::text END AS drift_pct,
       m.invoice_lines, m.modelled_from, (a.id IS NOT NULL) AS anomaly
  FROM invoice_vps_months m
  LEFT JOIN vps_instances v ON v.id = m.vps_id
  LEFT JOIN cost_anomalies a ON a.resource_kind = 'vps invoice' AND a.resource_id = m.vps_id AND a.invoice_month = m.month
 WHERE m.month = :month::date AND m.invoiced_usd IS NOT NULL
 ORDER BY abs(m.invoiced_usd - COALESCE(m.modelled_usd, 0)) DESC, m.vps_id
