-- Sets VPS costs in one statement, with their history and anomalies (src/db/writes/vps-costs.ts). Each
-- row is written only if the facts its cost was decided on (serviceid, status, override) still hold when
-- it is locked (`old.current`); an override is replaced by nothing but itself. Returns one row: the
-- changes as JSON, the anomalies found, and the ids skipped because their facts moved.
WITH u AS (
       SELECT * FROM unnest(:ids::uuid[], :costs::numeric[], :sources::text[],
                            :sids::text[], :statuses::text[], :overrides::numeric[])
                     AS u(id, cost, source, sid, status, override)
     ),
     old AS (
       SELECT v.id, v.approximate_cost,
              (v.hostwinds_instance_id IS NOT DISTINCT FROM u.sid AND v.status IS NOT DISTINCT FROM u.status
               AND v.approximate_cost_override IS NOT DISTINCT FROM u.override) AS current
         FROM vps_instances v JOIN u ON u.id = v.id ORDER BY v.id FOR UPDATE OF v
     ),
     upd AS (
       UPDATE vps_instances v
          SET approximate_cost = u.cost, approximate_cost_source = u.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM u JOIN old ON old.id = u.id
        WHERE v.id = u.id AND old.current
          AND (v.approximate_cost_override IS NULL OR (u.source = 'override' AND u.cost = v.approximate_cost_override))
          AND (v.approximate_cost IS DISTINCT FROM u.cost OR v.approximate_cost_source IS DISTINCT FROM u.source
               OR v.approximate_cost_unpriced_reason IS NOT NULL)
       RETURNING v.id, old.approximate_cost AS old_value, v.approximate_cost AS new_value, u.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),
     hist AS (
       /* @include cost-history */ FROM changed
       ON CONFLICT DO NOTHING
     ),
     /* @include cost-anomalies */
    SELECT /* @include cost-changes-json */ AS changes, (SELECT count(*) FROM anom)::int AS anomalies,
           (SELECT COALESCE(array_agg(id::text ORDER BY id), '{}') FROM old WHERE NOT current) AS skipped
