-- A VPS whose invoiced figure for a month is 1,000,000.00 or more: cost_anomalies.new_value holds
-- less, and no real month comes near it. The import stops with these named instead of overflowing.
SELECT to_char(m.month, 'YYYY-MM') AS month, v.hostwinds_instance_id AS serviceid, m.invoiced_usd::text
  FROM invoice_vps_months m
  JOIN invoice_touched_months t ON t.month = m.month
  LEFT JOIN vps_instances v ON v.id = m.vps_id
 WHERE abs(m.invoiced_usd) >= 1000000
 ORDER BY m.month, v.hostwinds_instance_id
 LIMIT 10
