-- Ghost rows of a run: the first :limit, and how many in all.
SELECT vps_id::text AS "vpsId", serviceid, COALESCE(hostwinds_status, 'not listed') AS "hostwindsStatus",
       count(*) OVER ()::int AS total
  FROM cost_ghost_rows
 WHERE run_id = :runId::uuid
 ORDER BY length(serviceid), serviceid, vps_id
 LIMIT :limit
