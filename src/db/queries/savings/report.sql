-- The opportunities `report savings` lists (docs/savings.md): open ones of the latest refresh by
-- default, or those in :state ('all': every state; dismissed and done ones whatever their refresh),
-- of one kind and one tenant when given, by monthly saving, largest first. A current one was last
-- seen by the latest refresh (which does not rewrite an unchanged row).
SELECT o.id, o.kind, o.serviceid AS "serviceId", o.ip, o.tenant_id::text AS "tenantId",
       o.monthly_saving::text AS "monthlySaving", o.upfront::text AS upfront,
       o.break_even_months::text AS "breakEvenMonths", o.method, o.evidence, o.first_seen AS "firstSeen",
       GREATEST(o.last_seen, CASE WHEN o.current THEN (SELECT max(r.applied_at) FROM cost_savings_runs r) END)
           AS "lastSeen", o.state, o.dismissed_by AS "dismissedBy", o.dismiss_reason AS "dismissReason",
       o.done_at AS "doneAt", o.done_reason AS "doneReason"
  FROM cost_savings_opportunities o
 WHERE (:kind::text IS NULL OR o.kind = :kind::text)
   AND (:tenantId::uuid IS NULL OR o.tenant_id = :tenantId::uuid)
   AND CASE :state::text
         WHEN 'open' THEN o.state = 'open' AND o.current
         WHEN 'all' THEN o.current OR o.state <> 'open'
         ELSE o.state = :state::text
       END
 ORDER BY o.monthly_saving DESC NULLS LAST, o.id
 LIMIT :limit
