-- What a new IP constant would change, before it is set: how many IPs follow the constant (no
-- override, on a VPS that is not decommissioned: the IP rule of src/db/queries/include/ip-rule-*.sql), and the
-- fleet's monthly IP total now and with :newValue.
SELECT count(*) FILTER (WHERE follows)::int AS following,
       count(*)::int AS ips,
       COALESCE(sum(cost), 0)::numeric(14,2)::text AS "totalBefore",
       COALESCE(sum(CASE WHEN follows THEN :newValue::numeric ELSE cost END), 0)::numeric(14,2)::text AS "totalAfter"
  FROM (SELECT i.approximate_cost AS cost,
               (i.approximate_cost_override IS NULL AND v.id IS NOT NULL
                AND v.status IS DISTINCT FROM 'decommissioned') AS follows
          FROM smtp_ip_addresses i
          LEFT JOIN vps_instances v ON v.id = i.vps_instance_id) x
