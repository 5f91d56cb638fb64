-- The VPS whose Hostwinds service id is :serviceid (digits without leading zeros), compared the
-- same way: "0030" is 30. More than one row is a data problem the caller reports.
SELECT id::text, hostwinds_instance_id::text AS "storedAs"
  FROM vps_instances
 WHERE btrim(hostwinds_instance_id) ~ '^[0-9]+$'
   AND COALESCE(NULLIF(ltrim(btrim(hostwinds_instance_id), '0'), ''), '0') = :serviceid
 ORDER BY id
 LIMIT 5
