SELECT id::text FROM vps_instances ORDER BY id
