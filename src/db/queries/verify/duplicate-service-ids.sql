-- VPS rows naming the same Hostwinds instance: service ids made of digits that are equal once
-- leading zeros are dropped ('0030' and '30'). The unique key on hostwinds_instance_id cannot see
-- it; each would be priced and attributed, so the instance would count twice.
WITH k AS (
  SELECT id, hostwinds_instance_id AS sid,
         COALESCE(NULLIF(ltrim(btrim(hostwinds_instance_id), '0'), ''), '0') AS digits
    FROM vps_instances
   WHERE btrim(hostwinds_instance_id) ~ '^[0-9]+$'
),
dup AS (
  SELECT digits, string_agg(id::text || ' (' || sid || ')', ', ' ORDER BY sid, id) AS members
    FROM k GROUP BY digits HAVING count(*) > 1
)
SELECT (array_agg(digits || ': ' || members ORDER BY length(digits), digits))[1 : :limit::int] AS ids, count(*)::int AS count
  FROM dup
