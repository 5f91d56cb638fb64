-- One batch of the VPS that may save on a longer cycle, after row :after (keyset: each batch by key).
SELECT "vpsId", "serviceId", "tenantId", "monthlyCost", cycle, "runId", catalogue, "groupKey", "ownPriceReason", vps, n
  FROM savings_cycle_rows
 WHERE n > :after::int
 ORDER BY n
 LIMIT :limit::int
