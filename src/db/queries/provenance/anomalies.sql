-- Cost changes (and invoice drift, kind 'vps invoice') beyond both anomaly thresholds, newest first, optionally since a UTC date and for
-- one reconciliation run, in some states (all when :states is NULL); the VPS's serviceid helps find it at Hostwinds.
-- A 'catalogue price change' (the price watch) names no resource: its detail gives the plan, cycle, prices and VPS on it.
SELECT a.id::text,
       a.detected_at AS "detectedAt",
       a.run_id::text AS "runId",
       a.resource_kind AS kind,
       a.resource_id::text AS "resourceId",
       v.hostwinds_instance_id AS serviceid,
       a.old_value::text AS "oldValue",
       a.new_value::text AS "newValue",
       a.change_usd::text AS "changeUsd",
       a.change_pct::text AS "changePct",
       CASE WHEN pc.id IS NOT NULL THEN
           format('rid %s %s: %s -> %s, %s VPS on it, %s', pc.rid, pc.billing_cycle, pc.old_price, pc.new_price,
                  pc.vps_on_plan,
                  CASE pc.confirmed WHEN true THEN 'confirmed by serviceid ' || pc.verified_serviceid
                                    WHEN false THEN 'existing services keep their price'
                                    ELSE 'not verified' END)
       END AS detail,
       a.state,
       a.acknowledged_by AS "acknowledgedBy",
       a.acknowledged_at AS "acknowledgedAt",
       a.note,
       a.resolved_by AS "resolvedBy",
       a.resolved_at AS "resolvedAt",
       a.resolution_note AS "resolutionNote",
       count(*) OVER ()::int AS total
  FROM cost_anomalies a
  LEFT JOIN vps_instances v ON a.resource_kind IN ('vps', 'vps invoice') AND v.id = a.resource_id
  LEFT JOIN cost_catalogue_price_changes pc ON pc.id = a.price_change_id
 WHERE (:since::date IS NULL OR a.detected_at >= (:since::date)::timestamp AT TIME ZONE 'UTC')
   AND (:runId::uuid IS NULL OR a.run_id = :runId::uuid)
   AND (:states::text[] IS NULL OR a.state = ANY (:states::text[]))
 ORDER BY a.detected_at DESC, a.id DESC
 LIMIT :limit
