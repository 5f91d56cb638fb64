-- Sets or clears a Finance override on one row of vps_instances (setOverride, src/db/writes/overrides.ts),
-- with its history, recorded with source 'override' whether it was set or cleared. Setting it applies it
-- to the cost at once; clearing it (:value NULL) leaves the cost for the caller to reprice. No row when
-- the id does not exist. set-vps.sql and set-ip.sql differ only in the table.
WITH old AS (SELECT id, approximate_cost FROM vps_instances WHERE id = :id::uuid FOR UPDATE),
     upd AS (
       UPDATE vps_instances t SET approximate_cost_override = :value::numeric,
              approximate_cost = COALESCE(:value::numeric, t.approximate_cost),
              approximate_cost_source = CASE WHEN :value::numeric IS NULL THEN t.approximate_cost_source ELSE 'override' END,
              approximate_cost_synced_at = now()
         FROM old WHERE t.id = old.id
       RETURNING t.id, old.approximate_cost AS old_value, t.approximate_cost AS new_value, t.approximate_cost_source AS source
     ),
     hist AS (
       /* @include cost-history */ FROM (SELECT id, old_value, new_value, 'override' AS source FROM upd
        WHERE old_value IS DISTINCT FROM new_value) AS h
       ON CONFLICT DO NOTHING
     )
    SELECT id::text, old_value::text, new_value::text, source FROM upd
