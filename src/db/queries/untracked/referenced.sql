-- Every Hostwinds service id a VPS row names, whatever its status or override, as numbers ("0030"
-- is 30): an instance named here is tracked. Compared as the duplicate check compares them.
SELECT DISTINCT COALESCE(NULLIF(ltrim(btrim(hostwinds_instance_id), '0'), ''), '0') AS sid
  FROM vps_instances
 WHERE btrim(hostwinds_instance_id) ~ '^[0-9]{1,20}$'
