-- report invoices: VPS modelled above 0.00 in the month that no invoice line of it matched.
SELECT m.vps_id::text, v.hostwinds_instance_id AS serviceid, v.status, m.modelled_usd::text, m.modelled_from
  FROM invoice_vps_months m
  LEFT JOIN vps_instances v ON v.id = m.vps_id
 WHERE m.month = :month::date AND m.invoiced_usd IS NULL
 ORDER BY m.modelled_usd DESC, m.vps_id
