-- Records why VPS could not be priced; their cost stays as it was. A row is written only if the
-- facts the decision rested on (serviceid, status, override) still hold once it is locked;
-- `written` says which were.
WITH u AS (
  SELECT * FROM unnest(:ids::uuid[], :reasons::text[], :sids::text[], :statuses::text[], :overrides::numeric[])
                AS u(id, reason, sid, status, override)
),
locked AS (
  SELECT v.id,
         (v.hostwinds_instance_id IS NOT DISTINCT FROM u.sid AND v.status IS NOT DISTINCT FROM u.status
          AND v.approximate_cost_override IS NOT DISTINCT FROM u.override) AS current
    FROM vps_instances v JOIN u ON u.id = v.id
   ORDER BY v.id
     FOR UPDATE OF v
),
upd AS (
  UPDATE vps_instances v
     SET approximate_cost_unpriced_reason = u.reason,
         approximate_cost_synced_at = now()
    FROM u JOIN locked l ON l.id = u.id
   WHERE v.id = u.id AND l.current
     AND v.approximate_cost_unpriced_reason IS DISTINCT FROM u.reason
  RETURNING v.id
)
SELECT id::text, current AS written FROM locked
