-- The anomalies detected in the period [since, until), newest first, with their lifecycle state.
SELECT id::text AS id, resource_kind AS kind, resource_id::text AS "resourceId",
       old_value::text AS "oldValue", new_value::text AS "newValue", change_usd::text AS change,
       change_pct::text AS "changePercent", detected_at AS "detectedAt", state
  FROM cost_anomalies
 WHERE detected_at >= :since::timestamptz AND detected_at < :until::timestamptz
 ORDER BY detected_at DESC, id DESC
