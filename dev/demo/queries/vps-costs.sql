SELECT region AS vps, status, approximate_cost::text AS cost, approximate_cost_source AS source, approximate_cost_unpriced_reason AS unpriced
  FROM vps_instances ORDER BY created, id
