-- Modelled cost per Hostwinds plan rid (VPS and their IPs) as of an instant; planRid NULL: VPS
-- priced from no plan (override from the start, no history). Exact decimals as text.
SELECT plan_rid AS "planRid", vps_cost::text AS "vpsCost", ip_cost::text AS "ipCost",
       vps_count::int AS "vpsCount", ip_count::int AS "ipCount"
  FROM cost_plans_as_of(:at::timestamptz)
 ORDER BY plan_rid NULLS LAST
