-- report invoices: how many IP addresses were invoiced at each monthly figure in the month (all IP
-- lines, matched or not), beside the IP constant.
SELECT p.usd::text AS monthly_usd, count(*)::int AS ips, (p.usd = c.usd) AS is_constant
  FROM (SELECT COALESCE(l.ip_id::text, l.ip, 'service ' || l.service_id) AS ip_key, sum(m.usd) AS usd
          FROM invoice_lines l
         CROSS JOIN LATERAL unnest(l.month_usd) WITH ORDINALITY AS m(usd, n)
         WHERE l.kind = 'ip'
           AND l.first_month BETWEEN :month::date - interval '36 months' AND :month::date
           AND (l.first_month + (m.n - 1) * interval '1 month')::date = :month::date
         GROUP BY 1) p
  LEFT JOIN LATERAL (SELECT CASE WHEN s.value #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$' THEN (s.value #>> '{}')::numeric END AS usd
                       FROM system_config s WHERE s.key = 'cost_sync.smtp_ip_monthly_cost_usd') c ON true
 GROUP BY p.usd, c.usd
 ORDER BY count(*) DESC, p.usd DESC
