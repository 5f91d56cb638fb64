-- Each IP with its cost now (old_value) and by the IP rule (new_value, source, stale), joined to its VPS;
-- the including statement adds which IPs (WHERE).
SELECT i.id, i.approximate_cost AS old_value, /* @include ip-rule-value */ AS new_value, /* @include ip-rule-source */ AS source, /* @include ip-rule-stale */ AS stale
         FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
