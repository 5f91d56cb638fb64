-- What the data already says about the months ahead (docs/forecast.md, "Known changes"):
--  * every VPS whose decommission_scheduled_for lies ahead, whatever its status: its cost and its
--    IPs' cost go away on that date (0.00 for one that already costs nothing);
--  * every VPS still provisioning and not yet priced: it will cost about the fleet's median VPS price
--    once priced (its IPs already cost the constant).
-- With the VPS's owner (NULL: shared, split by assignments) and its plan rid.
WITH median AS (
    SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY approximate_cost) AS cost
      FROM vps_instances WHERE status = 'active' AND approximate_cost > 0 AND approximate_cost <> 'NaN'
)
SELECT v.id::text AS "vpsId", v.hostwinds_instance_id AS serviceid, v.tenant_id::text AS "ownerId",
       'scheduled decommission' AS kind, v.decommission_scheduled_for AS date,
       (-v.approximate_cost)::text AS "vpsEffect",
       (-(SELECT COALESCE(sum(i.approximate_cost), 0) FROM smtp_ip_addresses i
           WHERE i.vps_instance_id = v.id AND i.approximate_cost > 0))::text AS "ipEffect",
       substring(v.approximate_cost_source FROM '^get_price_list rid (\S+) ') AS "planRid"
  FROM vps_instances v
 WHERE v.decommission_scheduled_for > :now::timestamptz
UNION ALL
SELECT v.id::text, v.hostwinds_instance_id, v.tenant_id::text, 'provisioning', :now::timestamptz,
       (SELECT cost FROM median)::text, '0.00', NULL
  FROM vps_instances v
 WHERE v.status = 'provisioning' AND COALESCE(v.approximate_cost, 0) = 0 AND (SELECT cost FROM median) IS NOT NULL
 ORDER BY 5, 1
