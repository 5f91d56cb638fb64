SELECT to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "when", h.resource_kind AS kind, COALESCE(v.region, iv.region || ' / ' || i.ip_address) AS resource,
       h.old_value::text AS "from", h.new_value::text AS "to", h.reason
  FROM cost_history h
  LEFT JOIN vps_instances v ON h.resource_kind = 'vps' AND v.id = h.resource_id
  LEFT JOIN smtp_ip_addresses i ON h.resource_kind = 'ip' AND i.id = h.resource_id
  LEFT JOIN vps_instances iv ON iv.id = i.vps_instance_id
 ORDER BY h.id
