-- Records why VPS could not be priced; their cost stays as it was.
UPDATE vps_instances v
   SET approximate_cost_unpriced_reason = u.reason,
       approximate_cost_synced_at = now()
  FROM unnest(:ids::uuid[], :reasons::text[]) AS u(id, reason)
 WHERE v.id = u.id
   AND v.approximate_cost_unpriced_reason IS DISTINCT FROM u.reason
