-- The catalogue mismatches of a run: the first :limit, and how many in all.
SELECT group_key AS "groupKey", serviceid, catalogue_price AS catalogue, instance_price AS instance,
       count(*) OVER ()::int AS total
  FROM cost_catalogue_mismatches
 WHERE run_id = :runId::uuid
 ORDER BY group_key, serviceid
 LIMIT :limit
