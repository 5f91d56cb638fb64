-- The changes a price watch run found.
SELECT c.rid, c.billing_cycle AS cycle, c.old_price::text AS "oldPrice", c.new_price::text AS "newPrice",
       c.vps_on_plan AS "vpsOnPlan", c.confirmed, c.verified_serviceid AS "verifiedServiceid",
       c.verified_note AS "verifiedNote"
  FROM cost_catalogue_price_changes c
 WHERE c.watch_run_id = :runId::uuid
 ORDER BY c.rid, c.billing_cycle
