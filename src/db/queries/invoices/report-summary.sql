-- report invoices: the month's line of invoice_monthly_accuracy, with the IP constant beside the
-- most common invoiced monthly figure per IP (a suggestion for Finance; nothing changes the constant).
SELECT to_char(a.month, 'YYYY-MM') AS month, a.invoiced_usd::text, a.modelled_usd::text, a.abs_drift_usd::text,
       a.accuracy::text, a.vps_invoiced, a.vps_not_invoiced, a.unmatched_lines, a.unmatched_usd::text,
       a.other_spend_usd::text, a.ip_lines, a.ip_invoiced_usd::text, a.ip_typical_usd::text,
       c.usd::text AS ip_constant_usd,
       CASE WHEN a.ip_typical_usd IS NULL OR c.usd IS NULL THEN NULL
            WHEN a.ip_typical_usd = c.usd THEN 'invoices match the IP constant'
            ELSE 'IPs are invoiced at ' || a.ip_typical_usd::text || ' a month, the constant is ' || c.usd::text
                 || ': Finance may review cost_sync.smtp_ip_monthly_cost_usd (never changed automatically)' END
           AS ip_suggestion,
       a.total_invoiced_usd::text
  FROM invoice_monthly_accuracy a
  LEFT JOIN LATERAL (SELECT CASE WHEN s.value #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$' THEN (s.value #>> '{}')::numeric END AS usd
                       FROM system_config s WHERE s.key = 'cost_sync.smtp_ip_monthly_cost_usd') c ON true
 WHERE a.month = :month::date
