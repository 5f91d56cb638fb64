-- Monthly saving per kind of the open opportunities of the latest refresh (one tenant's when
-- given), and the fleet's modelled monthly cost: attributed plus unallocated, untracked spend left
-- out (cost_attribution_by_tenant as of its refresh).
SELECT k.kind, COALESCE(sum(o.monthly_saving), 0)::numeric(14,2)::text AS "monthlySaving", count(o.id)::int AS count,
       (SELECT COALESCE(sum(a.vps_cost + a.ip_cost), 0)::numeric(14,2)::text FROM cost_attribution_by_tenant a) AS "fleetMonthlyCost"
  FROM unnest(ARRAY['billing_cycle', 'idle_ip', 'idle_vps', 'billed_after_decommission', 'untracked']) AS k(kind)
  LEFT JOIN cost_savings_opportunities o
    ON o.kind = k.kind AND o.state = 'open' AND o.current
   AND (:kind::text IS NULL OR o.kind = :kind::text)
   AND (:tenantId::uuid IS NULL OR o.tenant_id = :tenantId::uuid)
 WHERE :kind::text IS NULL OR k.kind = :kind::text
 GROUP BY k.kind
 ORDER BY array_position(ARRAY['billing_cycle', 'idle_ip', 'idle_vps', 'billed_after_decommission', 'untracked'], k.kind)
