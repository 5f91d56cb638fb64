-- Acknowledges open anomalies: by id, or (:ids NULL) every one detected before :before. The state is
-- re-checked here, so an anomaly resolved meanwhile by someone else stays resolved.
UPDATE cost_anomalies a
   SET state = 'acknowledged', acknowledged_by = :by, acknowledged_at = now(), note = :note
 WHERE a.state = 'open'
   AND CASE WHEN :ids::bigint[] IS NULL THEN a.detected_at < :before::timestamptz ELSE a.id = ANY (:ids::bigint[]) END
RETURNING a.id::text
