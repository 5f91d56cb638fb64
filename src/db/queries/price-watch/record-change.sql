-- One changed plan and cycle: the change with how many VPS are priced on it, and its fleet-level
-- anomaly (no resource: it is about a plan). Returns the change and one member to verify it with.
WITH members AS (
    SELECT v.hostwinds_instance_id AS serviceid
      FROM vps_instances v
     WHERE v.status IS DISTINCT FROM 'decommissioned'
       AND substring(v.approximate_cost_source FROM '^get_price_list rid (\S+) ') = :rid
       AND substring(v.approximate_cost_source FROM '^get_price_list rid \S+ (?:pricing\.\*\.)?([a-z]+)') = :cycle
), change AS (
    INSERT INTO cost_catalogue_price_changes (watch_run_id, rid, billing_cycle, old_price, new_price, vps_on_plan)
    SELECT :runId::uuid, :rid, :cycle, :oldPrice::numeric, :newPrice::numeric, (SELECT count(*) FROM members)
    RETURNING id, vps_on_plan
), anomaly AS (
    INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct,
                                price_change_id)
    SELECT NULL, 'catalogue price change', NULL, round(:oldPrice::numeric, 2), round(:newPrice::numeric, 2),
           round(:newPrice::numeric - :oldPrice::numeric, 2),
           round((:newPrice::numeric - :oldPrice::numeric) * 100 / :oldPrice::numeric, 2), id
      FROM change
)
SELECT c.id::text AS id,
       c.vps_on_plan AS "vpsOnPlan",
       (SELECT ltrim(serviceid, '0') FROM members WHERE serviceid ~ '^\d{1,15}$' AND ltrim(serviceid, '0') <> ''
         ORDER BY random() LIMIT 1) AS "verifyServiceid"
  FROM change c
