-- VPS rows naming the same Hostwinds instance: service ids equal once blanks and leading zeros are
-- dropped ("0030" and "30"). A data problem: a sync of either prices the same instance twice.
SELECT COALESCE(NULLIF(ltrim(btrim(hostwinds_instance_id), '0'), ''), '0') AS serviceid,
       array_agg(id::text ORDER BY id) AS "vpsIds",
       array_agg(hostwinds_instance_id::text ORDER BY id) AS "storedAs",
       count(*) OVER ()::int AS total
  FROM vps_instances
 WHERE btrim(hostwinds_instance_id) ~ '^[0-9]+$'
 GROUP BY 1
HAVING count(*) > 1
 ORDER BY 1
 LIMIT :limit
